//! The built-in content proves itself: every lexicon example, criterion example and scenario example attempt
//! comes out as its file says.

use frontline::catalog::{Catalog, Folders};
use frontline::examples;

#[test]
fn every_built_in_example_comes_out_as_its_file_says() {
    let catalog = Catalog::load(&Folders::default()).unwrap_or_else(|e| panic!("built-in files load: {e}"));
    let results = examples::all(&catalog);
    let failures: Vec<String> = results.iter().filter(|r| !r.passed).map(|r| r.location.to_string()).collect();
    assert!(failures.is_empty(), "{} of {} examples failed:\n{}", failures.len(), results.len(), failures.join("\n"));
    assert!(results.len() > 100, "only {} examples ran", results.len());
}
