//! Sentence forms: signal rules over the shape of a clause, for wording no phrase list can enumerate.
//!
//! A form is a short pattern written in the lexicon, elements separated by spaces:
//!
//! - `^` the start of a clause: the reply's start, or after punctuation or a negation break word ("but");
//! - `$` the end of a clause: the reply's end, or before punctuation or a break word;
//! - `{class}` any word or phrase of one of the lexicon's `word_classes`;
//! - `_` any one word;
//! - `..` a gap of up to [`MAX_GAP`] words inside the same clause (`if .. {end} the {contact}`);
//! - any other word (or `?`) stands for itself;
//! - a trailing `?` on an element makes it optional: `{adverb}?`, `not?`.
//!
//! A class member may end in `*` to match any ending of its last word: `pass*` covers pass, passes, passing,
//! passed.
//!
//! `^ {aux} {subject}` finds "could you read me the card number"; `{agent} {modal} {adverb}? {fix_verb}` finds
//! "we can hold the headphones for you". A form's words go through the same normalisation as the reply, so
//! `{modal}` listing "will" also meets "I'll". Matching tries class members longest first and backtracks, so a
//! form finds a match if there is one. A [`FormSet`] indexes the forms by the classes that can open them: each
//! word of a reply is looked up once and tries only the forms it could open, and only those whose every required
//! element may occur somewhere in the reply.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::inflection::Inflections;
#[cfg(test)]
use super::normalize::clause_starts;
use super::normalize::{Contractions, Token, stem_marker, tokenize};
use crate::fnv::FnvBuildHasher;

/// The most words a `..` gap spans.
pub const MAX_GAP: usize = 6;

/// One element of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Element {
    /// `^`: the position is the start of a clause (consumes nothing).
    ClauseStart,
    /// `$`: the position is the end of a clause (consumes nothing).
    ClauseEnd,
    /// `_`: any one word.
    AnyWord,
    /// `..`: up to [`MAX_GAP`] words, none of them punctuation.
    Gap,
    /// `{class}`, or a literal word (compiled as a one-word class of its own): index into the word classes.
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
    members: Vec<Vec<Member>>,
    /// What the matcher needs to know about a word: which classes have a member starting with it, and whether it
    /// ends a clause. One lookup per token of a reply.
    words: HashMap<String, WordInfo, FnvBuildHasher>,
    /// One-word stems (`pass*`), their class and member index, by their first byte: a token is compared only with
    /// the stems that begin as it does.
    stems: Vec<Vec<(String, usize, usize)>>,
    /// The endings a member's last word may also take.
    inflections: Inflections,
}

/// One entry of a word class: its normalised words; with `stem`, the last one matches any word it begins.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Member {
    words: Vec<String>,
    stem: bool,
}

impl Member {
    fn matches(&self, tokens: &[Token]) -> bool {
        let last = self.words.len() - 1;
        tokens.len() == self.words.len()
            && tokens.iter().zip(&self.words).enumerate().all(|(i, (token, word))| {
                if self.stem && i == last { token.text.starts_with(word.as_str()) } else { token.text == *word }
            })
    }
}

#[derive(Debug, Clone, Default)]
struct WordInfo {
    /// The classes with a member starting with this word.
    classes: Vec<usize>,
    /// Those members, as (class, member index), sorted: by class, then longest first within a class.
    members: Vec<(usize, usize)>,
}

impl WordClasses {
    /// How many `u64`s a set of classes takes as bits.
    fn stride(&self) -> usize {
        self.members.len().div_ceil(64).max(1)
    }

    /// Compiles the lexicon's `word_classes` with its contractions; each member that is not a stem also matches
    /// the inflections of its last word.
    pub fn new(
        classes: &BTreeMap<String, Vec<String>>,
        contractions: &Contractions,
        inflections: &Inflections,
    ) -> Self {
        let mut compiled = WordClasses { inflections: inflections.clone(), ..WordClasses::default() };
        for (name, words) in classes {
            let mut members: Vec<Member> = Vec::new();
            let mut seen: HashSet<Member> = HashSet::new();
            for word in words {
                let (bare, stem) = stem_marker(word);
                let member = Member { words: tokenize(bare, contractions).into_iter().map(|t| t.text).collect(), stem };
                if member.words.is_empty() {
                    continue;
                }
                let inflected = if stem { Vec::new() } else { compiled.inflected(&member.words) };
                for member in std::iter::once(member).chain(inflected) {
                    if seen.insert(member.clone()) {
                        members.push(member);
                    }
                }
            }
            members.sort_by_key(|m| std::cmp::Reverse(m.words.len()));
            let class = compiled.members.len();
            for (index, member) in members.iter().enumerate() {
                if member.stem && member.words.len() == 1 {
                    let stem = member.words[0].clone();
                    if compiled.stems.is_empty() {
                        compiled.stems = vec![Vec::new(); 256];
                    }
                    compiled.stems[usize::from(stem.as_bytes()[0])].push((stem, class, index));
                    continue;
                }
                let info = compiled.words.entry(member.words[0].clone()).or_default();
                if !info.classes.contains(&class) {
                    info.classes.push(class);
                }
                info.members.push((class, index));
            }
            compiled.names.insert(name.clone(), class);
            compiled.members.push(members);
        }
        compiled.words.values_mut().for_each(|info| info.members.sort_unstable());
        compiled
    }

    /// A member's inflected forms: its last word inflected, as members of their own.
    fn inflected(&self, words: &[String]) -> Vec<Member> {
        let Some((last, head)) = words.split_last() else { return Vec::new() };
        self.inflections
            .word_forms(last)
            .into_iter()
            .map(|form| Member { words: head.iter().cloned().chain([form]).collect(), stem: false })
            .collect()
    }

    /// The class standing for one literal word of a form (and its inflections), added on first use.
    fn literal(&mut self, word: &str) -> usize {
        let name = format!("={word}");
        if let Some(&class) = self.names.get(&name) {
            return class;
        }
        let class = self.members.len();
        let literal = [word.to_string()];
        let members: Vec<Member> =
            std::iter::once(Member { words: literal.to_vec(), stem: false }).chain(self.inflected(&literal)).collect();
        for (index, member) in members.iter().enumerate() {
            let info = self.words.entry(member.words[0].clone()).or_default();
            info.classes.push(class);
            info.members.push((class, index));
            info.members.sort_unstable();
        }
        self.members.push(members);
        self.names.insert(name, class);
        class
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
    #[error("the form must require at least one word or class (not only `^`, `_`, `..` and optional elements)")]
    NothingRequired,
    /// An element normalises to more than one word (write a class for phrases).
    #[error("\"{0}\" is not one word; put phrases in a word class")]
    NotOneWord(String),
}

impl Form {
    /// Parses and compiles a form against the lexicon's word classes (adding a class for each literal word).
    pub fn parse(text: &str, classes: &mut WordClasses, contractions: &Contractions) -> Result<Form, FormError> {
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
            } else if body == "$" {
                Element::ClauseEnd
            } else if body == "_" {
                Element::AnyWord
            } else if body == ".." {
                Element::Gap
            } else if let Some(name) = body.strip_prefix('{').and_then(|b| b.strip_suffix('}')) {
                Element::Class(*classes.names.get(name).ok_or_else(|| FormError::UnknownClass(name.to_string()))?)
            } else {
                let mut words = tokenize(body, contractions).into_iter().map(|t| t.text);
                match (words.next(), words.next()) {
                    (Some(word), None) => Element::Class(classes.literal(&word)),
                    _ => return Err(FormError::NotOneWord(body.to_string())),
                }
            };
            steps.push(Step { element, optional });
        }
        if steps.is_empty() {
            return Err(FormError::Empty);
        }
        let required = steps.iter().any(|s| !s.optional && matches!(s.element, Element::Class(_)));
        if !required {
            return Err(FormError::NothingRequired);
        }
        let anchored = steps[0].element == Element::ClauseStart;
        Ok(Form { text: text.to_string(), steps, anchored })
    }

    /// The last token of a match starting at token `start`, if the form matches there.
    fn match_at(&self, start: usize, reply: &Reply) -> Option<usize> {
        if self.anchored && !reply.clause_start[start] {
            return None;
        }
        self.match_from(0, start, reply).filter(|&end| end > start).map(|end| end - 1)
    }

    /// The classes of the form's elements that are not optional: a reply must have a word of each for it to match.
    fn required(&self) -> impl Iterator<Item = usize> + '_ {
        self.steps.iter().filter(|s| !s.optional).filter_map(|s| match s.element {
            Element::Class(class) => Some(class),
            _ => None,
        })
    }

    /// The classes one of which the form's first word must belong to; `None` if it can open on any word (`_`, `..`).
    fn openings(&self) -> Option<Vec<usize>> {
        let mut openings = Vec::new();
        for step in self.steps.iter().filter(|s| s.element != Element::ClauseStart) {
            match step.element {
                Element::Class(class) => openings.push(class),
                Element::ClauseEnd => continue,
                _ => return None,
            }
            if !step.optional {
                return Some(openings);
            }
        }
        None
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
            Element::ClauseEnd => {
                // The clause ends here if this is the end or punctuation, or the next word opens a new clause
                // (this word is a break such as "but").
                let ends = at == tokens.len() || tokens[at].is_punctuation() || clause_start.get(at + 1) == Some(&true);
                ends.then(|| next(at)).flatten()
            }
            Element::AnyWord => tokens.get(at).filter(|t| !t.is_punctuation()).and_then(|_| next(at + 1)),
            Element::Gap => (0..=MAX_GAP)
                .take_while(|&n| n == 0 || tokens.get(at + n - 1).is_some_and(|t| !t.is_punctuation()))
                .find_map(|n| next(at + n)),
            Element::Class(class) if reply.may_start(at, *class) => {
                let members = &reply.classes.members[*class];
                let by_word = reply.infos[at].map(|info| info.members.as_slice()).unwrap_or_default();
                let by_stem = &reply.stem_hits;
                let first = by_word.partition_point(|&(c, _)| c < *class);
                by_word[first..]
                    .iter()
                    .take_while(|(c, _)| c == class)
                    .map(|&(_, m)| m)
                    .chain(by_stem.iter().filter(|&&(t, c, _)| t == at && c == *class).map(|&(_, _, m)| m))
                    .find_map(|m| {
                        let member = &members[m];
                        let end = at + member.words.len();
                        tokens.get(at..end).is_some_and(|window| member.matches(window)).then(|| next(end)).flatten()
                    })
            }
            Element::Class(_) => None,
        };
        taken.or_else(|| if current.optional { next(at) } else { None })
    }
}

/// A lexicon's forms, indexed by the classes that can open them, so each token of a reply tries only the forms
/// it could start instead of all of them.
#[derive(Debug, Clone, Default)]
pub struct FormSet {
    forms: Vec<Form>,
    by_opening: Vec<Vec<usize>>,
    anywhere: Vec<usize>,
    /// Each form's required classes (its elements that are not optional), as bits: a form is tried only on a reply
    /// where every one of them may occur.
    required: Vec<Vec<u64>>,
}

impl FormSet {
    /// Indexes `forms`, compiled with `classes`.
    pub fn new(forms: Vec<Form>, classes: &WordClasses) -> Self {
        let mut by_opening = vec![Vec::new(); classes.members.len()];
        let mut anywhere = Vec::new();
        let stride = classes.stride();
        let mut required = Vec::with_capacity(forms.len());
        for (i, form) in forms.iter().enumerate() {
            match form.openings() {
                Some(openings) => openings.into_iter().for_each(|class| by_opening[class].push(i)),
                None => anywhere.push(i),
            }
            let mut bits = vec![0u64; stride];
            form.required().for_each(|class| bits[class / 64] |= 1 << (class % 64));
            required.push(bits);
        }
        FormSet { forms, by_opening, anywhere, required }
    }

    /// Whether there are no forms.
    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// Calls `found` with the form's index and the token range `[first, last]` of every match, at most one per form
    /// and starting token.
    pub fn find(&self, reply: &Reply, mut found: impl FnMut(usize, usize, usize)) {
        // The token a form was last tried at; or never tried; or never to be tried, because one of its required
        // classes cannot occur in this reply (checked the first time the form could open).
        const UNTRIED: usize = usize::MAX;
        const IMPOSSIBLE: usize = usize::MAX - 1;
        let mut tried = vec![UNTRIED; self.forms.len()];
        for start in 0..reply.tokens.len() {
            let mut try_form = |form: usize| {
                if tried[form] == UNTRIED
                    && self.required[form].iter().zip(&reply.present).any(|(needed, present)| needed & !present != 0)
                {
                    tried[form] = IMPOSSIBLE;
                }
                if tried[form] != IMPOSSIBLE && tried[form] != start {
                    tried[form] = start;
                    if let Some(last) = self.forms[form].match_at(start, reply) {
                        found(form, start, last);
                    }
                }
            };
            let marks = &reply.class_bits[start * reply.stride..(start + 1) * reply.stride];
            for (chunk, &bits) in marks.iter().enumerate() {
                let mut bits = bits;
                while bits != 0 {
                    let class = chunk * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    self.by_opening[class].iter().for_each(|&form| try_form(form));
                }
            }
            self.anywhere.iter().for_each(|&form| try_form(form));
        }
    }
}

/// One reply prepared for matching forms: its tokens, which of them open a clause
/// ([`clause_starts`](super::normalize::clause_starts)), and which classes each may start.
pub struct Reply<'a> {
    tokens: &'a [Token],
    clause_start: &'a [bool],
    class_bits: Vec<u64>,
    /// The classes any token may start, as bits: the union of `class_bits`.
    present: Vec<u64>,
    stride: usize,
    classes: &'a WordClasses,
    /// What the classes know about each token's word.
    infos: Vec<Option<&'a WordInfo>>,
    /// Stem members matched: (token, class, member).
    stem_hits: Vec<(usize, usize, usize)>,
}

impl<'a> Reply<'a> {
    /// Prepares `tokens` (and where their clauses start) for matching against forms compiled with `classes`: one
    /// lookup per token.
    pub fn new(tokens: &'a [Token], clause_start: &'a [bool], classes: &'a WordClasses) -> Self {
        let stride = classes.stride();
        let mut class_bits = vec![0u64; tokens.len() * stride];
        let mut infos = Vec::with_capacity(tokens.len());
        let mut stem_hits = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            let info = classes.words.get(&token.text);
            infos.push(info);
            for &class in info.map(|info| info.classes.as_slice()).unwrap_or_default() {
                class_bits[i * stride + class / 64] |= 1 << (class % 64);
            }
            if token.is_punctuation() {
                continue;
            }
            let first = token.text.as_bytes().first().map_or(0, |&b| usize::from(b));
            for &(ref stem, class, member) in classes.stems.get(first).map(Vec::as_slice).unwrap_or_default() {
                if token.text.starts_with(stem.as_str()) {
                    class_bits[i * stride + class / 64] |= 1 << (class % 64);
                    stem_hits.push((i, class, member));
                }
            }
        }
        let mut present = vec![0u64; stride];
        for token_bits in class_bits.chunks(stride) {
            present.iter_mut().zip(token_bits).for_each(|(all, bits)| *all |= bits);
        }
        Reply { tokens, clause_start, class_bits, present, stride, classes, infos, stem_hits }
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
        raw.insert("agent".to_string(), vec!["i".to_string(), "we".to_string(), "let me".to_string()]);
        raw.insert("modal".to_string(), vec!["will".to_string(), "can".to_string(), "am going to".to_string()]);
        raw.insert("verb".to_string(), vec!["send".to_string(), "hold".to_string(), "pass*".to_string()]);
        raw.insert("aux".to_string(), vec!["could".to_string(), "can".to_string()]);
        raw.insert("subject".to_string(), vec!["you".to_string(), "i".to_string()]);
        (WordClasses::new(&raw, &contractions, &Inflections::default()), contractions)
    }

    fn matches(form: &str, reply: &str) -> Vec<String> {
        let (mut classes, contractions) = classes();
        let form = Form::parse(form, &mut classes, &contractions).unwrap();
        let forms = FormSet::new(vec![form], &classes);
        let tokens = tokenize(reply, &contractions);
        let starts = clause_starts(&tokens, |word| word == "but");
        let mut found = Vec::new();
        forms.find(&Reply::new(&tokens, &starts, &classes), |_, first, last| {
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
    fn a_gap_spans_a_few_words_inside_one_clause() {
        assert_eq!(matches("if .. {verb}", "if it goes on I hold"), ["if it goes on I hold"]);
        assert_eq!(matches("if .. {verb}", "if so hold"), ["if so hold"]);
        assert!(matches("if .. {verb}", "if it goes on and on and on and on I hold").is_empty(), "more than 6 words");
        assert!(matches("if .. {verb}", "if it goes on, hold").is_empty(), "the comma ends the clause");
    }

    #[test]
    fn clause_end_is_the_reply_end_or_before_punctuation_or_a_break() {
        assert_eq!(matches("only _ $", "it is only jam"), ["only jam"]);
        assert_eq!(matches("only _ $", "only jam, honestly"), ["only jam"]);
        assert_eq!(matches("only _ $", "only jam but still"), ["only jam"]);
        assert!(matches("only _ $", "only jam jars").is_empty());
    }

    #[test]
    fn a_stem_matches_any_ending() {
        assert_eq!(matches("{agent} am? {verb}", "I am passing it on"), ["I am passing"]);
        assert_eq!(matches("{agent} {verb}", "we passed"), ["we passed"]);
        assert!(matches("{agent} {verb}", "we pa").is_empty());
    }

    #[test]
    fn bad_forms_are_refused_with_a_reason() {
        let (mut classes, contractions) = classes();
        let mut parse = |f: &str| Form::parse(f, &mut classes, &contractions).unwrap_err();
        assert_eq!(parse("{nope} send"), FormError::UnknownClass("nope".into()));
        assert_eq!(parse("send ^"), FormError::StartNotFirst);
        assert_eq!(parse("^ _ {verb}?"), FormError::NothingRequired);
        assert_eq!(parse(""), FormError::Empty);
        assert_eq!(parse("can't"), FormError::NotOneWord("can't".into()));
    }
}
