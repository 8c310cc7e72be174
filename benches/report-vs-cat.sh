#!/usr/bin/env bash
# Times `frontline report` against a plain `cat` of the same attempt files (docs/performance.md).
# Usage: benches/report-vs-cat.sh [COUNT] [TRAINEES] [FOLDER]   (defaults: 100000 2000 a temporary folder)
# Both run three times on a warm cache; the best run of each is compared. Needs GNU time (/usr/bin/time) and bc.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-100000}
trainees=${2:-2000}
folder=${3:-$(mktemp -d)/results}
cargo build --release --quiet --example gen_results
cargo build --release --quiet
if [ ! -d "$folder" ]; then
  ./target/release/examples/gen_results --count "$count" --trainees "$trainees" --out "$folder"
fi
best() { sort -n | head -1; }
cat_times=$(for _ in 1 2 3; do /usr/bin/time -f %e sh -c "find '$folder' -name '*.json' -print0 | xargs -0 cat > /dev/null" 2>&1; done | best)
report_times=$(for _ in 1 2 3; do /usr/bin/time -f %e ./target/release/frontline report "$folder" --by criterion 2>&1 >/dev/null | tail -1; done | best)
rss=$(/usr/bin/time -f %M ./target/release/frontline report "$folder" --format json 2>&1 >/dev/null | tail -1)
echo "files: $(find "$folder" -name '*.json' | wc -l), cat: ${cat_times}s, report: ${report_times}s, ratio: $(echo "scale=2; $report_times / $cat_times" | bc), report --format json max RSS: ${rss} KiB"
