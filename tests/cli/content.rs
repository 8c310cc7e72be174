//! The built-in content proves itself: every lexicon example, criterion example and scenario example attempt
//! comes out as its file says.

use frontline::catalog::{Catalog, Folders};
use frontline::examples;
use frontline::signals::Vocabulary;
use frontline::signals::inflection::Inflections;

#[test]
fn every_built_in_example_comes_out_as_its_file_says() {
    let catalog = Catalog::load(&Folders::default()).unwrap_or_else(|e| panic!("built-in files load: {e}"));
    let results = examples::all(&catalog);
    let failures: Vec<String> = results.iter().filter(|r| !r.passed).map(|r| r.location.to_string()).collect();
    assert!(failures.is_empty(), "{} of {} examples failed:\n{}", failures.len(), results.len(), failures.join("\n"));
    assert!(results.len() > 100, "only {} examples ran", results.len());
}

/// Every reply written in the built-in files, with the customer and facts it is read with there.
fn every_example_reply(catalog: &Catalog) -> Vec<(String, Vocabulary)> {
    let mut replies: Vec<(String, Vocabulary)> = Vec::new();
    for spec in catalog.lexicon.signals.values() {
        replies.extend(
            spec.examples.matches.iter().chain(&spec.examples.no_match).map(|r| (r.clone(), Vocabulary::default())),
        );
    }
    for rubric in &catalog.rubrics {
        let context = &rubric.example_context;
        let vocabulary =
            catalog.detector.vocabulary(&context.customer, context.facts.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        for criterion in &rubric.criteria {
            replies.extend(
                criterion.examples.pass.iter().chain(&criterion.examples.fail).map(|r| (r.clone(), vocabulary.clone())),
            );
        }
    }
    for scenario in &catalog.scenarios {
        let vocabulary = catalog.detector.vocabulary(&scenario.customer.name, scenario.mentionable_facts());
        for example in &scenario.examples {
            replies.extend(example.replies.iter().map(|r| (r.clone(), vocabulary.clone())));
        }
    }
    replies
}

#[test]
fn only_deliberate_gaming_examples_are_flagged_as_gaming() {
    let catalog = Catalog::load(&Folders::default()).unwrap();
    let mut flagged: Vec<String> = every_example_reply(&catalog)
        .into_iter()
        .filter(|(reply, vocabulary)| frontline::signals::is_gaming(&catalog.detector.detect(reply, vocabulary)))
        .map(|(reply, _)| reply)
        .collect();
    flagged.sort();
    flagged.dedup();
    assert_eq!(flagged, GAMING_EXAMPLES);
}

/// The example replies in the built-in files that are gaming on purpose.
const GAMING_EXAMPLES: &[&str] = &[
    "Linda sorry no need to repeat winter boots replacement today",
    "Sorry, so sorry, really sorry!",
    "please stop Derek sorry smart speaker replacement today",
    "sorry understand thank you Maria wooden train set",
    "what I can do replacement express today by Friday",
];

/// What is wrong with the entries of `list` that add nothing: listed twice, or already matched as an inflection of
/// another entry ("couriers" next to "courier").
fn repeated(list: &[String], inflections: &Inflections) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut problems: Vec<String> =
        list.iter().filter(|entry| !seen.insert(entry.as_str())).map(|entry| format!("\"{entry}\" twice")).collect();
    for entry in list {
        for form in inflections.phrase_forms(entry) {
            if seen.contains(form.as_str()) {
                problems.push(format!("\"{form}\", which \"{entry}\" already matches"));
            }
        }
    }
    problems
}

#[test]
fn the_built_in_lexicon_has_no_unused_word_class_and_no_repeated_entry() {
    let catalog = Catalog::load(&Folders::default()).unwrap();
    let lexicon = &catalog.lexicon;
    let forms: Vec<&str> = lexicon.signals.values().flat_map(|spec| spec.forms.iter().map(String::as_str)).collect();
    let mut problems = Vec::new();
    for (class, words) in &lexicon.word_classes {
        if !forms.iter().any(|form| form.contains(&format!("{{{class}}}"))) {
            problems.push(format!("word class {class} is used by no form"));
        }
        for problem in repeated(words, &lexicon.inflections) {
            problems.push(format!("word class {class} lists {problem}"));
        }
    }
    for (signal, spec) in &lexicon.signals {
        for (field, list) in [("phrases", &spec.phrases), ("forms", &spec.forms), ("unless", &spec.unless)] {
            for problem in repeated(list, &lexicon.inflections) {
                problems.push(format!("{signal}.{field} lists {problem}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
