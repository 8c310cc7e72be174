//! Regular inflections: the endings a lexicon lets the last word of its entries take, so that "idiot" also meets
//! "idiots" and "delivery" meets "deliveries" without each form written out.
//!
//! The rules are lexicon data (`inflections:` in `rubrics/lexicons/<lang>.yaml`), because they belong to the
//! language: a rule replaces a word's ending with another (`{ ending: y, becomes: ies }`; an empty ending adds to any
//! word). The detector applies them when it compiles phrases, exceptions, negation cues and word-class members:
//! each inflected form becomes one more pattern naming the same lexicon entry, so matching costs nothing more per
//! reply. Only the last word is inflected ("sorry for the delay" meets "sorry for the delays"), only words of
//! letters, and only words of at least `min_letters` letters: "i" must not meet "is".

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The lexicon's inflection rules.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Inflections {
    /// Words shorter than this many letters are not inflected.
    #[serde(default = "default_min_letters")]
    pub min_letters: usize,
    /// The rules, each applied to every word it fits.
    #[serde(default)]
    pub rules: Vec<InflectionRule>,
}

/// One rule: a word ending in `ending` also matches with that ending replaced by `becomes`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InflectionRule {
    /// The ending replaced, in lower-case letters; empty for any word.
    #[serde(default)]
    pub ending: String,
    /// What replaces it, in lower-case letters.
    pub becomes: String,
    /// Letters that may not stand just before the ending: `aeiou` keeps "delay" from "delaies".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub not_after: String,
}

fn default_min_letters() -> usize {
    3
}

impl Default for Inflections {
    fn default() -> Self {
        Inflections { min_letters: default_min_letters(), rules: Vec::new() }
    }
}

/// Whether `text` is lower-case letters only (what a rule's `ending` and `becomes` may hold).
pub fn is_ending(text: &str) -> bool {
    text.chars().all(|c| c.is_lowercase() && c.is_alphabetic())
}

impl Inflections {
    /// The inflected forms of one normalised word, without the word itself; none for a word too short or with
    /// anything but letters in it.
    pub fn word_forms(&self, word: &str) -> Vec<String> {
        let mut forms: Vec<String> = Vec::new();
        if word.chars().count() < self.min_letters || !word.chars().all(char::is_alphabetic) {
            return forms;
        }
        for rule in &self.rules {
            if let Some(stem) = word.strip_suffix(rule.ending.as_str()) {
                if stem.chars().last().is_some_and(|c| rule.not_after.contains(c)) {
                    continue;
                }
                let form = format!("{stem}{}", rule.becomes);
                if form != word && !forms.contains(&form) {
                    forms.push(form);
                }
            }
        }
        forms
    }

    /// The inflected forms of a normalised phrase (words joined by single spaces): its last word inflected.
    pub fn phrase_forms(&self, phrase: &str) -> Vec<String> {
        let (head, last) = match phrase.rsplit_once(' ') {
            Some((head, last)) => (Some(head), last),
            None => (None, phrase),
        };
        self.word_forms(last)
            .into_iter()
            .map(|form| match head {
                Some(head) => format!("{head} {form}"),
                None => form,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english() -> Inflections {
        let rule = |ending: &str, becomes: &str, not_after: &str| InflectionRule {
            ending: ending.into(),
            becomes: becomes.into(),
            not_after: not_after.into(),
        };
        Inflections {
            min_letters: 3,
            rules: vec![rule("", "s", ""), rule("ch", "ches", ""), rule("y", "ies", "aeiou")],
        }
    }

    #[test]
    fn every_fitting_rule_gives_a_form() {
        assert_eq!(english().word_forms("idiot"), ["idiots"]);
        assert_eq!(english().word_forms("delivery"), ["deliverys", "deliveries"]);
        assert_eq!(english().word_forms("branch"), ["branchs", "branches"]);
        assert_eq!(english().word_forms("delay"), ["delays"], "not_after keeps a vowel before y");
    }

    #[test]
    fn short_words_and_words_with_other_characters_are_left_alone() {
        assert!(english().word_forms("i").is_empty());
        assert!(english().word_forms("it").is_empty());
        assert!(english().word_forms("f**k").is_empty());
        assert!(english().word_forms("24.99").is_empty());
    }

    #[test]
    fn only_a_phrase_s_last_word_is_inflected() {
        assert_eq!(english().phrase_forms("sorry for the delay"), ["sorry for the delays"]);
        assert_eq!(english().phrase_forms("jerk"), ["jerks"]);
        assert!(english().phrase_forms("sorry for it").is_empty());
    }

    #[test]
    fn no_rules_no_forms() {
        assert!(Inflections::default().word_forms("idiot").is_empty());
    }
}
