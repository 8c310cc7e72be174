//! The HTML report: one self-contained page (no network, no scripts, no external fonts) with charts drawn as
//! inline SVG: the team's pass rate per criterion as bars, each trainee's score over time, and the scenario ×
//! trainee grid. Every piece of user text is escaped; colour is never the only carrier of a value.

use std::fmt::Write;

use super::Counts;
use super::aggregate::{Aggregates, TraineeTotals};
use super::export::footer;

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem;color:#1d1d1f;max-width:1100px}\
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2.2rem}table{border-collapse:collapse;margin:.5rem 0}\
th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;font-size:.9rem}th{background:#f2f2f2}\
td.num{text-align:right}.ready{color:#1a7f37;font-weight:600}.missing{color:#9a6700}\
.good{background:#d1f0da}.fair{background:#fff1c2}.poor{background:#ffd8d3}.none{background:#f6f6f6;color:#888}\
footer{margin-top:2rem;color:#666;font-size:.85rem}svg text{font-family:system-ui,sans-serif}";

fn rate_class(score: Option<f64>) -> &'static str {
    match score {
        None => "none",
        Some(s) if s >= 75.0 => "good",
        Some(s) if s >= 50.0 => "fair",
        Some(_) => "poor",
    }
}

fn criteria_bars(aggregates: &Aggregates) -> String {
    let criteria = aggregates.criteria_worst_first();
    let row = 26;
    let (label_w, bar_w) = (330, 420);
    let height = criteria.len() * row + 10;
    let mut svg = format!(
        "<svg class=\"bars\" role=\"img\" aria-label=\"Team pass rate per criterion, worst first\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\">",
        label_w + bar_w + 70,
        label_w + bar_w + 70
    );
    for (i, criterion) in criteria.iter().enumerate() {
        let y = i * row + 5;
        let rate = criterion.tally.rate();
        let width = rate.map_or(0.0, |r| r / 100.0 * bar_w as f64);
        let color = match rate {
            Some(r) if r >= 75.0 => "#2da44e",
            Some(r) if r >= 50.0 => "#d4a72c",
            Some(_) => "#cf222e",
            None => "#bbbbbb",
        };
        let shown = rate.map_or("n/a".to_string(), |r| format!("{r}%"));
        let _ = write!(
            svg,
            "<g class=\"bar\"><title>{title}: {shown} met ({met} met, {missed} missed)</title>\
<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\" font-size=\"13\">{title}</text>\
<rect x=\"{label_w}\" y=\"{y}\" width=\"{width:.1}\" height=\"{h}\" fill=\"{color}\"/>\
<text x=\"{vx:.1}\" y=\"{ty}\" font-size=\"13\">{shown}</text></g>",
            title = escape(&criterion.title),
            met = criterion.tally.pass,
            missed = criterion.tally.fail,
            lx = label_w - 8,
            ty = y + 15,
            h = row - 8,
            vx = label_w as f64 + width + 6.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

fn sparkline(trainee: &TraineeTotals) -> String {
    let (w, h, pad) = (260.0, 60.0, 6.0);
    let points = &trainee.series;
    let mut svg = format!(
        "<svg class=\"trend\" role=\"img\" aria-label=\"Scores of {} over time\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\
<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#fafafa\" stroke=\"#ddd\"/>",
        escape(&trainee.trainee)
    );
    let x = |i: usize| {
        if points.len() < 2 { w / 2.0 } else { pad + i as f64 * (w - 2.0 * pad) / (points.len() - 1) as f64 }
    };
    let y = |score: f64| h - pad - score.clamp(0.0, 100.0) / 100.0 * (h - 2.0 * pad);
    let path: Vec<String> = points.iter().enumerate().map(|(i, (_, s))| format!("{:.1},{:.1}", x(i), y(*s))).collect();
    if points.len() > 1 {
        let _ = write!(
            svg,
            "<polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"2\" points=\"{}\"/>",
            path.join(" ")
        );
    }
    for (i, (_, score)) in points.iter().enumerate() {
        let _ = write!(
            svg,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"#0969da\"><title>{score}</title></circle>",
            x(i),
            y(*score)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The whole page.
pub fn page(aggregates: &Aggregates, counts: &Counts, title: &str, generated_at: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>\n<p>Generated {g}. {f}.</p>\n",
        t = escape(title),
        g = escape(generated_at),
        f = escape(&footer(counts))
    );

    out.push_str("<h2>Where training should focus: team pass rate per criterion</h2>\n");
    out.push_str(&criteria_bars(aggregates));
    out.push_str("\n<table class=\"misses\">\n<tr><th>Criterion</th><th>Met</th><th>An example of a miss</th></tr>\n");
    for criterion in aggregates.criteria_worst_first().into_iter().filter(|c| c.tally.fail > 0) {
        let example = criterion
            .example_miss
            .as_ref()
            .map_or(String::new(), |(who, quote)| format!("{}: “{}”", escape(who), escape(quote)));
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td>{example}</td></tr>",
            escape(&criterion.title),
            criterion.tally.rate().map_or("-".to_string(), |r| format!("{r}%"))
        );
    }
    out.push_str("</table>\n");

    out.push_str("\n<h2>Trainees</h2>\n<table class=\"trainees\">\n<tr><th>Trainee</th><th>Attempts</th><th>Best</th><th>Latest</th><th>Pass rate</th><th>Weakest criterion</th><th>Scores over time</th>");
    if aggregates.policy.is_some() {
        out.push_str("<th>Readiness</th>");
    }
    out.push_str("</tr>\n");
    for trainee in aggregates.trainees.values() {
        let score = |s: Option<f64>| s.map_or("-".to_string(), |s| s.to_string());
        let weakest = trainee.weakest().map_or("-".to_string(), |c| escape(&c.title));
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{weakest}</td><td>{}</td>",
            escape(&trainee.trainee),
            trainee.attempts,
            score(trainee.best),
            score(trainee.latest_score()),
            trainee.pass_rate().map_or("-".to_string(), |r| format!("{r}%")),
            sparkline(trainee)
        );
        if let Some(readiness) = aggregates.readiness(trainee) {
            if readiness.ready {
                out.push_str("<td class=\"ready\">ready</td>");
            } else {
                let _ = write!(out, "<td class=\"missing\">missing: {}</td>", escape(&readiness.missing.join("; ")));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");

    out.push_str("<h2>Scenario × trainee: best score</h2>\n<table class=\"grid\">\n<tr><th>Scenario</th>");
    for trainee in aggregates.trainees.keys() {
        let _ = write!(out, "<th>{}</th>", escape(trainee));
    }
    out.push_str("</tr>\n");
    for scenario in aggregates.scenarios.values() {
        let _ = write!(out, "<tr><th>{}</th>", escape(&scenario.title));
        for trainee in aggregates.trainees.keys() {
            match aggregates.grid.get(&(trainee.clone(), scenario.scenario.clone())) {
                Some(cell) => {
                    let mark = if cell.passed { " ✓" } else { "" };
                    let best = cell.best.map_or("incomplete".to_string(), |b| b.to_string());
                    let _ = write!(out, "<td class=\"num {}\">{best}{mark}</td>", rate_class(cell.best));
                }
                None => out.push_str("<td class=\"none\">–</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n<p>✓ passed at least once. Colours: green 75 and above, amber 50-74, red below 50.</p>\n");

    out.push_str("<h2>Scenarios</h2>\n<table class=\"scenarios\">\n<tr><th>Scenario</th><th>Attempts</th><th>Average</th><th>Pass rate</th><th>Criterion failed most</th></tr>\n");
    for scenario in aggregates.scenarios.values() {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            escape(&scenario.title),
            scenario.attempts,
            scenario.average().map_or("-".to_string(), |a| a.to_string()),
            scenario.pass_rate().map_or("-".to_string(), |r| format!("{r}%")),
            scenario.most_failed().map_or("-".to_string(), |c| escape(&c.title))
        );
    }
    out.push_str("</table>\n<footer>Made by frontline. Every value above is also in the text of the page.</footer>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
    }
}
