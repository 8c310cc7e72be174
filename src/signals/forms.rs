//! Sentence forms: signal rules over the shape of a clause, for wording no phrase list can enumerate.
//!
//! A form is a short pattern written in the lexicon, elements separated by spaces:
//!
//! - `^` the start of a clause: the reply's start, or after punctuation or a negation break word ("but");
//! - `{class}` any word or phrase of one of the lexicon's `word_classes`;
//! - `_` any one word;
//! - any other word (or `?`) stands for itself;
//! - a trailing `?` on an element makes it optional: `{adverb}?`, `not?`.
//!
//! `^ {aux} {subject}` finds "could you read me the card number"; `{agent} {modal} {adverb}? {fix_verb}` finds
//! "we can hold the headphones for you". A form's words go through the same normalisation as the reply, so
//! `{modal}` listing "will" also meets "I'll". Matching tries class members longest first and backtracks, so a
//! form finds a match if there is one; a reply is scanned in time proportional to its words times the forms.

use std::collections::{BTreeMap, HashMap};

use super::normalize::{Contractions, Token, tokenize};
use crate::fnv::FnvBuildHasher;

/// One element of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Element {
    /// `^`: the position is the start of a clause (consumes nothing).
    ClauseStart,
    /// `_`: any one word.
    AnyWord,
    /// A literal normalised word (or `?`).
    Word(String),
    /// `{class}`: index into the compiled word classes.
    Class(usize),
}

#[derive(Debug, Clone)]
struct Step {
    element: Element,
    optional: bool,
}

/// A compiled form.
#[derive(Debug, Clone)]
pub struct Form {
    /// The form as written in the lexicon (the entry a detection names).
    pub text: String,
    steps: Vec<Step>,
    anchored: bool,
}

/// The lexicon's word classes, normalised: each member a token sequence, longest first.
#[derive(Debug, Clone, Default)]
pub struct WordClasses {
    names: HashMap<String, usize>,
    members: Vec<Vec<Vec<String>>>,
    /// What the matcher needs to know about a word: which classes have a member starting with it, and whether it
    /// ends a clause. One lookup per token of a reply.
    words: HashMap<String, WordInfo, FnvBuildHasher>,
}

#[derive(Debug, Clone, Default)]
struct WordInfo {
    classes: Vec<usize>,
    breaks_clause: bool,
}

impl WordClasses {
    /// Compiles the lexicon's `word_classes` with its contractions; `breaks` are the (normalised) words after which
    /// a new clause starts ("but").
    pub fn new(classes: &BTreeMap<String, Vec<String>>, contractions: &Contractions, breaks: &[String]) -> Self {
        let mut compiled = WordClasses::default();
        for (name, words) in classes {
            let mut members: Vec<Vec<String>> = words
                .iter()
                .map(|w| tokenize(w, contractions).into_iter().map(|t| t.text).collect::<Vec<_>>())
                .filter(|m| !m.is_empty())
                .collect();
            members.sort_by_key(|m| std::cmp::Reverse(m.len()));
            members.dedup();
            let class = compiled.members.len();
            for first in members.iter().map(|m| m[0].clone()) {
                let info = compiled.words.entry(first).or_default();
                if !info.classes.contains(&class) {
                    info.classes.push(class);
                }
            }
            compiled.names.insert(name.clone(), class);
            compiled.members.push(members);
        }
        for word in breaks {
            compiled.words.entry(word.clone()).or_default().breaks_clause = true;
        }
        compiled
    }
}

/// Why a form could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// The form has no elements.
    #[error("the form is empty")]
    Empty,
    /// `{name}` names no word class.
    #[error("unknown word class {{{0}}}; define it under `word_classes:`")]
    UnknownClass(String),
    /// `^` is not the first element.
    #[error("`^` (a clause start) can only open a form")]
    StartNotFirst,
    /// Nothing in the form has to match a word.
    #[error("the form must require at least one word or class (not only `^`, `_` and optional elements)")]
    NothingRequired,
    /// An element normalises to more than one word (write a class for phrases).
    #[error("\"{0}\" is not one word; put phrases in a word class")]
    NotOneWord(String),
}

impl Form {
    /// Parses and compiles a form against the lexicon's word classes.
    pub fn parse(text: &str, classes: &WordClasses, contractions: &Contractions) -> Result<Form, FormError> {
        let mut steps = Vec::new();
        for (i, raw) in text.split_whitespace().enumerate() {
            let (body, optional) = match raw.strip_suffix('?') {
                Some(body) if !body.is_empty() => (body, true),
                _ => (raw, false),
            };
            let element = if body == "^" {
                if i > 0 {
                    return Err(FormError::StartNotFirst);
                }
                Element::ClauseStart
            } else if body == "_" {
                Element::AnyWord
            } else if let Some(name) = body.strip_prefix('{').and_then(|b| b.strip_suffix('}')) {
                Element::Class(*classes.names.get(name).ok_or_else(|| FormError::UnknownClass(name.to_string()))?)
            } else {
                let mut words = tokenize(body, contractions).into_iter().map(|t| t.text);
                match (words.next(), words.next()) {
                    (Some(word), None) => Element::Word(word),
                    _ => return Err(FormError::NotOneWord(body.to_string())),
                }
            };
            steps.push(Step { element, optional });
        }
        if steps.is_empty() {
            return Err(FormError::Empty);
        }
        let required = steps.iter().any(|s| !s.optional && matches!(s.element, Element::Word(_) | Element::Class(_)));
        if !required {
            return Err(FormError::NothingRequired);
        }
        let anchored = steps[0].element == Element::ClauseStart;
        Ok(Form { text: text.to_string(), steps, anchored })
    }

    /// Calls `found` with every token range `[first, last]` where the form matches, at most one per starting token.
    pub fn find(&self, reply: &Reply, mut found: impl FnMut(usize, usize)) {
        for start in 0..reply.tokens.len() {
            if (self.anchored && !reply.clause_start[start]) || !self.may_open_at(start, reply) {
                continue;
            }
            if let Some(end) = self.match_from(0, start, reply)
                && end > start
            {
                found(start, end - 1);
            }
        }
    }

    /// A cheap test before the backtracking matcher: can the token at `at` be the form's first word? It must
    /// match one of the optional steps before the first required one, or that one.
    fn may_open_at(&self, at: usize, reply: &Reply) -> bool {
        for step in self.steps.iter().filter(|s| s.element != Element::ClauseStart) {
            let fits = match &step.element {
                Element::Class(class) => reply.may_start(at, *class),
                Element::Word(word) => reply.tokens[at].text == *word,
                Element::AnyWord | Element::ClauseStart => true,
            };
            if fits {
                return true;
            }
            if !step.optional {
                return false;
            }
        }
        true
    }

    /// Matches steps `step..` at token `at`; returns the end (exclusive) of the first match found.
    fn match_from(&self, step: usize, at: usize, reply: &Reply) -> Option<usize> {
        let Some(current) = self.steps.get(step) else {
            return Some(at);
        };
        let (tokens, clause_start) = (reply.tokens, &reply.clause_start);
        let next = |to: usize| self.match_from(step + 1, to, reply);
        let taken = match &current.element {
            Element::ClauseStart => clause_start.get(at).copied().unwrap_or(false).then(|| next(at)).flatten(),
            Element::AnyWord => tokens.get(at).filter(|t| !t.is_punctuation()).and_then(|_| next(at + 1)),
            Element::Word(word) => tokens.get(at).filter(|t| &t.text == word).and_then(|_| next(at + 1)),
            Element::Class(class) if reply.may_start(at, *class) => {
                reply.classes.members[*class].iter().find_map(|member| {
                    let fits = tokens
                        .get(at..at + member.len())
                        .is_some_and(|window| window.iter().zip(member).all(|(token, word)| &token.text == word));
                    fits.then(|| next(at + member.len())).flatten()
                })
            }
            Element::Class(_) => None,
        };
        taken.or_else(|| if current.optional { next(at) } else { None })
    }
}

/// One reply prepared for matching forms: its tokens, which of them open a clause (the first word, and any word
/// after punctuation or a break word), and which classes each may start.
pub struct Reply<'a> {
    tokens: &'a [Token],
    clause_start: Vec<bool>,
    class_bits: Vec<u64>,
    stride: usize,
    classes: &'a WordClasses,
}

impl<'a> Reply<'a> {
    /// Prepares `tokens` for matching against forms compiled with `classes`: one lookup per token.
    pub fn new(tokens: &'a [Token], classes: &'a WordClasses) -> Self {
        let stride = classes.members.len().div_ceil(64).max(1);
        let mut class_bits = vec![0u64; tokens.len() * stride];
        let mut clause_start = Vec::with_capacity(tokens.len());
        let mut open = true;
        for (i, token) in tokens.iter().enumerate() {
            if token.is_punctuation() {
                clause_start.push(false);
                open = true;
                continue;
            }
            clause_start.push(open);
            open = false;
            if let Some(info) = classes.words.get(&token.text) {
                open = info.breaks_clause;
                for &class in &info.classes {
                    class_bits[i * stride + class / 64] |= 1 << (class % 64);
                }
            }
        }
        Reply { tokens, clause_start, class_bits, stride, classes }
    }

    /// Whether the token at `at` is the first word of some member of `class`.
    fn may_start(&self, at: usize, class: usize) -> bool {
        self.class_bits.get(at * self.stride + class / 64).is_some_and(|bits| bits >> (class % 64) & 1 == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes() -> (WordClasses, Contractions) {
        let mut contractions = Contractions::new();
        contractions.insert("i'll".into(), vec!["i".into(), "will".into()]);
        contractions.insert("can't".into(), vec!["can".into(), "not".into()]);
        let mut raw = BTreeMap::new();
        let breaks = ["but".to_string()];
        raw.insert("agent".to_string(), vec!["i".to_string(), "we".to_string(), "let me".to_string()]);
        raw.insert("modal".to_string(), vec!["will".to_string(), "can".to_string(), "am going to".to_string()]);
        raw.insert("verb".to_string(), vec!["send".to_string(), "hold".to_string()]);
        raw.insert("aux".to_string(), vec!["could".to_string(), "can".to_string()]);
        raw.insert("subject".to_string(), vec!["you".to_string(), "i".to_string()]);
        (WordClasses::new(&raw, &contractions, &breaks), contractions)
    }

    fn matches(form: &str, reply: &str) -> Vec<String> {
        let (classes, contractions) = classes();
        let form = Form::parse(form, &classes, &contractions).unwrap();
        let tokens = tokenize(reply, &contractions);
        let mut found = Vec::new();
        form.find(&Reply::new(&tokens, &classes), |first, last| {
            found.push(reply[tokens[first].start..tokens[last].end].to_string())
        });
        found
    }

    #[test]
    fn classes_with_phrases_and_optional_elements() {
        assert_eq!(matches("{agent} {modal} just? {verb}", "I'll just send it"), ["I'll just send"]);
        assert_eq!(matches("{agent} {modal} just? {verb}", "we can hold one"), ["we can hold"]);
        assert_eq!(matches("{agent} {modal} just? {verb}", "I am going to send it"), ["I am going to send"]);
        assert!(matches("{agent} {modal} just? {verb}", "we can't hold one").is_empty());
    }

    #[test]
    fn clause_start_is_the_reply_start_or_after_punctuation_or_a_break() {
        let form = "^ {aux} {subject}";
        assert_eq!(matches(form, "could you read it"), ["could you"]);
        assert_eq!(matches(form, "Sorry, could you read it"), ["could you"]);
        assert_eq!(matches(form, "I know but can you read it"), ["can you"]);
        assert!(matches(form, "I said you could read it").is_empty());
        assert!(matches(form, "we can you know").is_empty());
    }

    #[test]
    fn any_word_skips_one_word_only() {
        assert_eq!(matches("the _ {verb}", "the team hold it"), ["the team hold"]);
        assert!(matches("the _ {verb}", "the big team hold it").is_empty());
        assert!(matches("the _ {verb}", "the , hold").is_empty());
    }

    #[test]
    fn bad_forms_are_refused_with_a_reason() {
        let (classes, contractions) = classes();
        let parse = |f: &str| Form::parse(f, &classes, &contractions).unwrap_err();
        assert_eq!(parse("{nope} send"), FormError::UnknownClass("nope".into()));
        assert_eq!(parse("send ^"), FormError::StartNotFirst);
        assert_eq!(parse("^ _ {verb}?"), FormError::NothingRequired);
        assert_eq!(parse(""), FormError::Empty);
        assert_eq!(parse("can't"), FormError::NotOneWord("can't".into()));
    }
}
