//! Signal detection: which coaching signals a reply triggers, where, and which lexicon entry fired.
//!
//! A [`Detector`] is compiled once from a [`Lexicon`]: every phrase, exception and negation cue becomes one
//! Aho-Corasick automaton over the normalised, space-joined tokens of a reply, so a reply is scanned once
//! whatever the lexicon's size. A [`Vocabulary`] adds one scenario's customer name and facts
//! (`customer_name`, `fact:<key>`). Detection keeps each match's byte span in the original text, so feedback
//! can quote the trainee's own words, and [`Detector::explain`] also lists the matches that an exception or a
//! negation cancelled: the trainer's "why did this not count?". The anti-gaming flags (`keyword_list`,
//! `stuffing`, `too_long`, and `repeated_reply` via [`Detector::mark_repeats`]) are added here too, with
//! thresholds from the lexicon. When the lexicon turns it on, a signal the phrases and forms missed (and did not
//! cancel) can still fire through the nearest labelled reply ([`neighbours`]); such a detection spans the whole reply
//! and names the labelled reply as its entry.

pub mod forms;
pub mod inflection;
pub mod lexicon;
pub mod neighbours;
pub mod normalize;

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, MatchKind};

use crate::fnv::FnvBuildHasher;
use serde::{Deserialize, Serialize};

use forms::{Form, FormSet, WordClasses};
pub use lexicon::{BUILT_IN_SIGNALS, FACT_PREFIX, GAMING_SIGNALS, Gaming, LEXICON_SCHEMA, Lexicon, NeighbourSettings};
use neighbours::Bank;
use normalize::{Contractions, Token, clause_starts, normalise_phrase, stem_marker, tokenize};

/// The built-in bank of labelled replies (the development part of the evaluation set and the built-in lexicon's
/// examples), as built by `build.rs`.
pub static BUILT_IN_BANK: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/labelled-replies.bank"));

/// The built-in bank, read once per process (every detector shares it).
fn built_in_bank() -> &'static Bank<'static> {
    static BANK: std::sync::OnceLock<Bank<'static>> = std::sync::OnceLock::new();
    BANK.get_or_init(|| Bank::parse(BUILT_IN_BANK).expect("build.rs writes a bank Bank::parse reads"))
}

/// The longest reply frontline accepts, in bytes (about three pages of text; a real chat line is far shorter).
pub const MAX_REPLY_BYTES: usize = 8 * 1024;

/// One signal found in a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detection {
    /// The signal's name (`apology`, `fact:item`, …).
    pub name: String,
    /// Byte span `[start, end)` in the reply.
    pub span: [usize; 2],
    /// The reply's text in that span.
    #[serde(rename = "match")]
    pub matched: String,
    /// The lexicon entry (phrase) that fired.
    pub entry: String,
}

/// A match that did not count, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cancelled {
    /// The signal that would have fired.
    pub name: String,
    /// Byte span in the reply.
    pub span: [usize; 2],
    /// The reply's text in that span.
    #[serde(rename = "match")]
    pub matched: String,
    /// The lexicon entry that matched.
    pub entry: String,
    /// Why it did not count: `exception "sorry you feel"` or `negated by "can not"`.
    pub reason: String,
}

/// Everything the detector saw in one reply.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Analysis {
    /// The signals that fired, by position.
    pub signals: Vec<Detection>,
    /// Matches cancelled by exceptions or negation.
    pub cancelled: Vec<Cancelled>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Phrase,
    Unless,
    NegationCue,
    NegationIgnore,
    QuoteCue,
}

#[derive(Debug, Clone)]
struct PatternUse {
    role: Role,
    signal: usize,
    entry: String,
    prefix: bool,
    form: bool,
}

/// Where a detection came from: its signal's index (`usize::MAX` for the scenario's vocabulary) and whether a
/// sentence form, rather than a phrase, found it.
#[derive(Debug, Clone, Copy)]
struct Origin {
    signal: usize,
    form: bool,
}

/// A compiled lexicon.
#[derive(Debug, Clone)]
pub struct Detector {
    language: String,
    contractions: Contractions,
    automaton: AhoCorasick,
    uses: Vec<Vec<PatternUse>>,
    signals: Vec<String>,
    negatable: Vec<bool>,
    window: usize,
    breaks: HashSet<String, FnvBuildHasher>,
    gaming: Gaming,
    classes: WordClasses,
    forms: FormSet,
    form_uses: Vec<PatternUse>,
    yields_to: Vec<Vec<usize>>,
    neighbours: Option<Neighbours>,
}

/// The nearest-labelled-reply fallback, compiled.
#[derive(Debug, Clone)]
struct Neighbours {
    bank: &'static Bank<'static>,
    min_similarity: f32,
    /// For each lexicon signal, its index among the bank's signals (`None`: not labelled there, or excepted).
    bank_signal: Vec<Option<usize>>,
    /// The bank source left out, so a labelled reply is never its own neighbour.
    left_out: Option<usize>,
}

/// One scenario's own words: the customer's name and the facts, as extra signals.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    automaton: Option<AhoCorasick>,
    uses: Vec<(String, String)>,
}

/// A token range `[first, last]` and the pattern use that matched it.
struct Hit<'a> {
    first: usize,
    last: usize,
    usage: &'a PatternUse,
}

/// The normalised reply the automata run over.
struct Prepared {
    tokens: Vec<Token>,
    /// Which tokens open a clause (negation scope, and `^`/`$` in sentence forms).
    clause_start: Vec<bool>,
    joined: String,
    starts: Vec<usize>,
    ends: Vec<usize>,
}

impl Prepared {
    fn new(tokens: Vec<Token>, clause_start: Vec<bool>) -> Self {
        let mut joined = String::with_capacity(tokens.iter().map(|t| t.text.len() + 1).sum());
        let mut starts = Vec::with_capacity(tokens.len());
        let mut ends = Vec::with_capacity(tokens.len());
        for (i, token) in tokens.iter().enumerate() {
            if i > 0 {
                joined.push(' ');
            }
            starts.push(joined.len());
            joined.push_str(&token.text);
            ends.push(joined.len());
        }
        Prepared { tokens, clause_start, joined, starts, ends }
    }

    /// The token range a match covers, if it starts and ends on token boundaries (or inside the last token for
    /// a prefix pattern).
    fn token_range(&self, start: usize, end: usize, prefix: bool) -> Option<(usize, usize)> {
        let first = self.starts.binary_search(&start).ok()?;
        let last = match self.ends.binary_search(&end) {
            Ok(last) => last,
            Err(_) if prefix => {
                let last = self.starts.partition_point(|&s| s < end).checked_sub(1)?;
                (self.ends[last] > end).then_some(last)?
            }
            Err(_) => return None,
        };
        Some((first, last))
    }

    fn span(&self, first: usize, last: usize) -> [usize; 2] {
        [self.tokens[first].start, self.tokens[last].end]
    }
}

/// Compiles a lexicon's `contractions` into the tokenizer's replacement table.
pub(crate) fn compile_contractions(contractions: &std::collections::BTreeMap<String, String>) -> Contractions {
    contractions
        .iter()
        .map(|(from, to)| {
            let from = from.to_lowercase().replace(['\u{2019}', '\u{2018}'], "'");
            (from, to.split_whitespace().map(str::to_lowercase).collect())
        })
        .collect()
}

impl Detector {
    /// Compiles a validated lexicon.
    pub fn new(lexicon: &Lexicon) -> Self {
        let contractions = compile_contractions(&lexicon.contractions);
        let mut patterns: Vec<String> = Vec::new();
        let mut uses: Vec<Vec<PatternUse>> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut add = |phrase: &str, role: Role, signal: usize| {
            let (bare, prefix) = stem_marker(phrase);
            let normal = normalise_phrase(bare, &contractions);
            if normal.is_empty() {
                return;
            }
            // A stem already takes any ending; any other entry also matches its last word's inflections.
            let inflected = if prefix { Vec::new() } else { lexicon.inflections.phrase_forms(&normal) };
            for pattern in std::iter::once(normal).chain(inflected) {
                let id = *index.entry(pattern.clone()).or_insert_with(|| {
                    patterns.push(pattern);
                    uses.push(Vec::new());
                    patterns.len() - 1
                });
                uses[id].push(PatternUse { role, signal, entry: phrase.to_string(), prefix, form: false });
            }
        };
        let mut signals = Vec::new();
        let mut negatable = Vec::new();
        for (i, (name, spec)) in lexicon.signals.iter().enumerate() {
            signals.push(name.clone());
            negatable.push(spec.negatable);
            for phrase in &spec.phrases {
                add(phrase, Role::Phrase, i);
            }
            for phrase in &spec.unless {
                add(phrase, Role::Unless, i);
            }
        }
        for cue in &lexicon.negation.cues {
            add(cue, Role::NegationCue, usize::MAX);
        }
        for phrase in &lexicon.negation.ignore {
            add(phrase, Role::NegationIgnore, usize::MAX);
        }
        for phrase in &lexicon.negation.quoting {
            add(phrase, Role::QuoteCue, usize::MAX);
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .expect("lexicon patterns are plain strings");
        let breaks: HashSet<String, FnvBuildHasher> =
            lexicon.negation.breaks.iter().map(|b| normalise_phrase(b, &contractions)).collect();
        let mut classes = WordClasses::new(&lexicon.word_classes, &contractions, &lexicon.inflections);
        let (mut forms, mut form_uses) = (Vec::new(), Vec::new());
        for (signal, spec) in lexicon.signals.values().enumerate() {
            for text in &spec.forms {
                // A validated lexicon's forms all compile; one that does not is skipped rather than fatal.
                if let Ok(form) = Form::parse(text, &mut classes, &contractions) {
                    let usage =
                        PatternUse { role: Role::Phrase, signal, entry: text.clone(), prefix: false, form: true };
                    forms.push(form);
                    form_uses.push(usage);
                }
            }
        }
        let neighbours = lexicon.neighbours.as_ref().map(|settings| {
            let bank = built_in_bank();
            let bank_signal = signals
                .iter()
                .map(|name| {
                    if settings.except.contains(name) {
                        return None;
                    }
                    bank.signals().iter().position(|s| s == name)
                })
                .collect();
            Neighbours { bank, min_similarity: settings.min_similarity as f32, bank_signal, left_out: None }
        });
        let index_of = |name: &String| lexicon.signals.keys().position(|s| s == name);
        let forms = FormSet::new(forms, &classes);
        let yields_to =
            lexicon.signals.values().map(|spec| spec.yields_to.iter().filter_map(index_of).collect()).collect();
        Detector {
            language: lexicon.language.clone(),
            contractions,
            automaton,
            uses,
            signals,
            negatable,
            window: lexicon.negation.window,
            breaks,
            gaming: lexicon.gaming.clone(),
            classes,
            forms,
            form_uses,
            yields_to,
            neighbours,
        }
    }

    /// This detector with the labelled replies of one bank source (a development file's name, such as
    /// `signals-dev-3.yaml`) left out of the nearest-labelled-reply fallback, so that measuring that file does not
    /// find each reply as its own neighbour. Unchanged when the bank holds no such source.
    pub fn leaving_out(&self, source: &str) -> Detector {
        let mut detector = self.clone();
        if let Some(neighbours) = &mut detector.neighbours {
            neighbours.left_out = neighbours.bank.source_index(source);
        }
        detector
    }

    /// How many labelled replies the nearest-labelled-reply fallback draws on (0 when the lexicon turns it off).
    pub fn labelled_replies(&self) -> usize {
        self.neighbours.as_ref().map_or(0, |n| n.bank.len())
    }

    /// The lexicon's language code.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// The names of the lexicon's signals, in lexicon order.
    pub fn signal_names(&self) -> &[String] {
        &self.signals
    }

    /// Whether `name` is a signal this detector can report for a scenario with `fact_keys`.
    pub fn knows_signal<'a>(&self, name: &str, mut fact_keys: impl Iterator<Item = &'a str>) -> bool {
        if BUILT_IN_SIGNALS.contains(&name) || self.signals.iter().any(|s| s == name) {
            return true;
        }
        match name.strip_prefix(FACT_PREFIX) {
            Some("*") => true,
            Some(key) => fact_keys.any(|k| k == key),
            None => false,
        }
    }

    /// Why `name` is no signal this detector can report for a scenario with `fact_keys`, with the nearest known
    /// name as a hint; `None` when it is one.
    pub fn unknown_signal(&self, name: &str, fact_keys: &[&str]) -> Option<String> {
        if self.knows_signal(name, fact_keys.iter().copied()) {
            return None;
        }
        let facts: Vec<String> = fact_keys.iter().map(|key| format!("{FACT_PREFIX}{key}")).collect();
        let known = self.signals.iter().chain(&facts).map(String::as_str).chain(BUILT_IN_SIGNALS.iter().copied());
        Some(format!("unknown signal \"{name}\"{}", crate::diagnostic::suggestion(name, known)))
    }

    /// Builds the vocabulary of one scenario: its customer's name (whole and each part) and fact values.
    pub fn vocabulary<'a>(
        &self,
        customer_name: &str,
        facts: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Vocabulary {
        let mut patterns = Vec::new();
        let mut uses = Vec::new();
        let mut add = |phrase: &str, signal: String| {
            let normal = normalise_phrase(phrase, &self.contractions);
            if !normal.is_empty() && !patterns.contains(&normal) {
                patterns.push(normal);
                uses.push((signal, phrase.to_string()));
            }
        };
        add(customer_name, "customer_name".into());
        for part in customer_name.split_whitespace().filter(|p| p.chars().count() > 1) {
            add(part, "customer_name".into());
            // Agents often drop a name's apostrophe or hyphen: "OConnor", "Smithjones".
            let joined: String = part.chars().filter(|c| c.is_alphanumeric()).collect();
            if joined.chars().count() > 1 {
                add(&joined, "customer_name".into());
            }
        }
        for (key, value) in facts {
            add(value, format!("{FACT_PREFIX}{key}"));
        }
        let automaton = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .expect("vocabulary patterns are plain strings")
        });
        Vocabulary { automaton, uses }
    }

    /// The signals in `reply`, in order of position.
    pub fn detect(&self, reply: &str, vocabulary: &Vocabulary) -> Vec<Detection> {
        self.explain(reply, vocabulary).signals
    }

    /// The signals in `reply` and the matches that were cancelled.
    pub fn explain(&self, reply: &str, vocabulary: &Vocabulary) -> Analysis {
        let mut analysis = Analysis::default();
        if reply.trim().is_empty() {
            analysis.signals.push(Detection {
                name: "silence".into(),
                span: [0, reply.len()],
                matched: reply.to_string(),
                entry: "(empty reply)".into(),
            });
            return analysis;
        }
        let tokens = tokenize(reply, &self.contractions);
        let clause_start = clause_starts(&tokens, |word| self.breaks.contains(word));
        let prepared = Prepared::new(tokens, clause_start);

        let mut hits: Vec<Hit> = Vec::new();
        for found in self.automaton.find_overlapping_iter(&prepared.joined) {
            for usage in &self.uses[found.pattern().as_usize()] {
                if let Some((first, last)) = prepared.token_range(found.start(), found.end(), usage.prefix) {
                    hits.push(Hit { first, last, usage });
                }
            }
        }

        let mut detected: Vec<(Detection, Origin)> = Vec::new();
        let mut per_signal: Vec<Vec<(usize, usize, &PatternUse)>> = vec![Vec::new(); self.signals.len()];
        for hit in hits.iter().filter(|h| h.usage.role == Role::Phrase) {
            per_signal[hit.usage.signal].push((hit.first, hit.last, hit.usage));
        }
        if !self.forms.is_empty() {
            let reply = forms::Reply::new(&prepared.tokens, &prepared.clause_start, &self.classes);
            self.forms.find(&reply, |form, first, last| {
                let usage = &self.form_uses[form];
                per_signal[usage.signal].push((first, last, usage));
            });
        }
        for (signal, candidates) in per_signal.iter_mut().enumerate() {
            candidates.sort_by_key(|&(first, last, _)| (first, std::cmp::Reverse(last)));
            let mut kept_until: Option<usize> = None;
            // A phrase and a form can match the same words; a cancelled match is reported once.
            let mut cancelled_at: Option<(usize, usize)> = None;
            for &(first, last, usage) in candidates.iter() {
                if kept_until.is_some_and(|until| first <= until) || cancelled_at == Some((first, last)) {
                    continue;
                }
                let span = prepared.span(first, last);
                let matched = reply[span[0]..span[1]].to_string();
                let name = &self.signals[signal];
                if let Some(exception) = hits.iter().find(|h| {
                    h.usage.role == Role::Unless && h.usage.signal == signal && h.first <= last && first <= h.last
                }) {
                    cancelled_at = Some((first, last));
                    analysis.cancelled.push(Cancelled {
                        name: name.clone(),
                        span,
                        matched,
                        entry: usage.entry.clone(),
                        reason: format!("exception \"{}\"", exception.usage.entry),
                    });
                    continue;
                }
                if self.negatable[signal]
                    && let Some(cue) = self.negation_before(&prepared, &hits, first)
                {
                    cancelled_at = Some((first, last));
                    analysis.cancelled.push(Cancelled {
                        name: name.clone(),
                        span,
                        matched,
                        entry: usage.entry.clone(),
                        reason: cue,
                    });
                    continue;
                }
                kept_until = Some(last);
                let detection = Detection { name: name.clone(), span, matched, entry: usage.entry.clone() };
                detected.push((detection, Origin { signal, form: usage.form }));
            }
        }
        self.apply_yields(&mut detected, &mut analysis.cancelled);

        if let Some(automaton) = &vocabulary.automaton {
            let mut found: Vec<(usize, usize, usize)> = automaton
                .find_overlapping_iter(&prepared.joined)
                .filter_map(|m| {
                    let (first, last) = prepared.token_range(m.start(), m.end(), false)?;
                    Some((first, last, m.pattern().as_usize()))
                })
                .collect();
            // "Maria Lopez" and "Maria" both match: keep the longest, non-overlapping.
            found.sort_by_key(|&(first, last, _)| (first, std::cmp::Reverse(last)));
            let mut kept_until: Option<usize> = None;
            for (first, last, pattern) in found {
                if kept_until.is_some_and(|until| first <= until) {
                    continue;
                }
                kept_until = Some(last);
                let (name, entry) = &vocabulary.uses[pattern];
                let span = prepared.span(first, last);
                let detection = Detection {
                    name: name.clone(),
                    span,
                    matched: reply[span[0]..span[1]].to_string(),
                    entry: entry.clone(),
                };
                detected.push((detection, Origin { signal: usize::MAX, form: false }));
            }
        }
        detected.sort_by(|(a, _), (b, _)| a.span.cmp(&b.span).then_with(|| a.name.cmp(&b.name)));
        let flags = self.gaming_flags(reply, &prepared, &detected);
        let nearest = self.nearest_labelled(reply, &detected, &analysis.cancelled);
        analysis.signals = detected.into_iter().map(|(detection, _)| detection).chain(nearest).chain(flags).collect();
        analysis
    }

    /// The signals that fire through the nearest labelled reply: those the phrases and forms neither found nor
    /// cancelled, whose nearest labelled reply (at or above the lexicon's similarity) has them under `must`.
    fn nearest_labelled(&self, reply: &str, found: &[(Detection, Origin)], cancelled: &[Cancelled]) -> Vec<Detection> {
        let Some(neighbours) = &self.neighbours else {
            return Vec::new();
        };
        let open: Vec<(usize, usize)> = (0..self.signals.len())
            .filter_map(|signal| {
                let in_bank = neighbours.bank_signal[signal]?;
                let settled = found.iter().any(|(_, origin)| origin.signal == signal)
                    || cancelled.iter().any(|c| c.name == self.signals[signal]);
                (!settled).then_some((signal, in_bank))
            })
            .collect();
        if open.is_empty() {
            return Vec::new();
        }
        let nearest = neighbours.bank.nearest(reply, neighbours.min_similarity, neighbours.left_out);
        let start = reply.len() - reply.trim_start().len();
        let span = [start, reply.trim_end().len().max(start)];
        open.into_iter()
            .filter_map(|(signal, in_bank)| {
                let near = nearest[in_bank]?;
                neighbours.bank.is_must(near.reply, in_bank).then(|| Detection {
                    name: self.signals[signal].clone(),
                    span,
                    matched: reply[span[0]..span[1]].to_string(),
                    entry: format!(
                        "nearest labelled reply \"{}\" ({}, similarity {:.2})",
                        neighbours.bank.text(near.reply),
                        neighbours.bank.source(near.reply),
                        near.similarity
                    ),
                })
            })
            .collect()
    }

    /// Cancels detections that overlap a detection of a signal they yield to (`apology` in "sorry you feel").
    fn apply_yields(&self, found: &mut Vec<(Detection, Origin)>, cancelled: &mut Vec<Cancelled>) {
        let overlaps = |a: &Detection, b: &Detection| a.span[0] < b.span[1] && b.span[0] < a.span[1];
        let mut yielded = vec![false; found.len()];
        for (i, (detection, origin)) in found.iter().enumerate() {
            let Some(winners) = self.yields_to.get(origin.signal).filter(|w| !w.is_empty()) else {
                continue;
            };
            let winner = found.iter().find(|(other, o)| winners.contains(&o.signal) && overlaps(detection, other));
            if let Some((winner, _)) = winner {
                yielded[i] = true;
                cancelled.push(Cancelled {
                    name: detection.name.clone(),
                    span: detection.span,
                    matched: detection.matched.clone(),
                    entry: detection.entry.clone(),
                    reason: format!("yields to {} \"{}\"", winner.name, winner.entry),
                });
            }
        }
        let mut index = 0;
        found.retain(|_| {
            index += 1;
            !yielded[index - 1]
        });
    }

    /// Why a reply counts as stuffing, if it does: at least `stuffing_repeats` detections of one signal share a
    /// word (its first five letters, glue words aside) within `stuffing_window` words.
    fn stuffed(&self, words: &[&Token], found: &[(Detection, Origin)]) -> Option<String> {
        let n = self.gaming.stuffing_repeats.max(2);
        // Most replies have no signal that often: nothing to look into.
        if !found.iter().any(|(d, _)| found.iter().filter(|(e, _)| e.name == d.name).count() >= n) {
            return None;
        }
        let stem = |word: &str| word.chars().take(5).collect::<String>();
        // For each (signal, stem): the word positions where its detections start and end, in order.
        let mut runs: HashMap<(&str, String), Vec<(usize, usize)>, FnvBuildHasher> = HashMap::default();
        for (detection, _) in found {
            let inside: Vec<usize> = (0..words.len())
                .filter(|&i| detection.span[0] <= words[i].start && words[i].end <= detection.span[1])
                .collect();
            let (Some(&first), Some(&last)) = (inside.first(), inside.last()) else { continue };
            let mut stems: Vec<String> = inside
                .iter()
                .map(|&i| &words[i].text)
                .filter(|w| !self.gaming.glue_words.contains(w))
                .map(|w| stem(w))
                .collect();
            stems.dedup();
            for word_stem in stems {
                runs.entry((detection.name.as_str(), word_stem)).or_default().push((first, last));
            }
        }
        let window = self.gaming.stuffing_window;
        runs.values_mut().for_each(|positions| positions.sort_unstable());
        runs.iter()
            .filter(|(_, positions)| positions.windows(n).any(|w| w[n - 1].1 + 1 - w[0].0 <= window))
            .map(|((name, word_stem), positions)| {
                format!("{name}: \"{word_stem}...\" {} times within {window} words", positions.len())
            })
            .min()
    }

    /// The anti-gaming flags a reply earns on its own: a keyword list, one signal stuffed in, a wall of text.
    fn gaming_flags(&self, reply: &str, prepared: &Prepared, found: &[(Detection, Origin)]) -> Vec<Detection> {
        let whole = |name: &str, entry: String| Detection {
            name: name.to_string(),
            span: [0, reply.len()],
            matched: reply.to_string(),
            entry,
        };
        let words: Vec<&Token> = prepared.tokens.iter().filter(|t| !t.is_punctuation()).collect();
        let mut flags = Vec::new();
        if words.len() > self.gaming.too_long_words {
            flags.push(whole(
                "too_long",
                format!("{} words (a chat reply is rarely over {})", words.len(), self.gaming.too_long_words),
            ));
        }
        // Stuffing: one signal's word again and again, close together ("sorry, so sorry, really sorry", "thank you
        // thanks thank you"). The same word spread over a longer reply is no stuffing ("thanks for waiting, thank you
        // for the photo, and thanks again"), nor are several phrases of one signal that share no word.
        if let Some(entry) = self.stuffed(&words, found) {
            flags.push(whole("stuffing", entry));
        }
        // A keyword list: signal phrases one after another, nothing but content words left between them, no
        // sentence break inside; or a string of terms with no glue word and no punctuation at all. A sentence form
        // ("can you ...", "we can hold ...") is grammar, not a keyword, so its words do not count as covered.
        let signals: Vec<&Detection> =
            found.iter().filter(|(_, origin)| !origin.form).map(|(detection, _)| detection).collect();
        if words.len() >= self.gaming.list_min_words {
            let uncovered: Vec<&&Token> =
                words.iter().filter(|w| !signals.iter().any(|s| s.span[0] <= w.start && w.end <= s.span[1])).collect();
            let share = 1.0 - uncovered.len() as f64 / words.len() as f64;
            let glue = uncovered.iter().any(|w| self.gaming.glue_words.contains(&w.text));
            let last_word_end = words.last().map_or(0, |w| w.end);
            let sentence_break =
                prepared.tokens.iter().any(|t| matches!(t.text.as_str(), "." | "!" | "?") && t.end < last_word_end);
            let no_glue_at_all = !words.iter().any(|w| self.gaming.glue_words.contains(&w.text));
            let any_punctuation = prepared.tokens.iter().any(|t| t.is_punctuation() && t.end < last_word_end);
            if signals.len() >= self.gaming.list_min_signals
                && share >= self.gaming.list_coverage
                && !glue
                && !sentence_break
            {
                let covered = words.len() - uncovered.len();
                flags.push(whole(
                    "keyword_list",
                    format!("{covered} of {} words are signal phrases, with nothing between them", words.len()),
                ));
            } else if signals.len() >= 2 && no_glue_at_all && !any_punctuation {
                flags.push(whole(
                    "keyword_list",
                    format!("{} words and no sentence: no glue words, no punctuation", words.len()),
                ));
            }
        }
        flags
    }

    /// The words of a reply, normalised, for spotting copies.
    pub fn words(&self, reply: &str) -> Vec<String> {
        tokenize(reply, &self.contractions).into_iter().filter(|t| !t.is_punctuation()).map(|t| t.text).collect()
    }

    /// Flags replies that copy an earlier reply (of at least the lexicon's `repeat_min_words` words).
    pub fn mark_repeats(&self, turns: &mut [crate::transcript::Turn]) {
        let mut earlier: Vec<Vec<String>> = Vec::new();
        for turn in turns.iter_mut().filter(|t| t.speaker == crate::transcript::Speaker::Agent) {
            let words = self.words(&turn.text);
            if words.len() >= self.gaming.repeat_min_words && earlier.contains(&words) && !turn.has("repeated_reply") {
                turn.signals.push(Detection {
                    name: "repeated_reply".into(),
                    span: [0, turn.text.len()],
                    matched: turn.text.clone(),
                    entry: "the same words as an earlier reply".into(),
                });
            }
            earlier.push(words);
        }
    }

    /// Why the match at token `first` is refused, if it is: a negation cue ("negated by \"not\"") or a phrase that
    /// quotes the customer ("quoting the customer: \"you asked for\""), in the same clause and ending at most
    /// `window` words before it.
    fn negation_before(&self, prepared: &Prepared, hits: &[Hit], first: usize) -> Option<String> {
        let clause_start = (0..=first).rev().find(|&i| prepared.clause_start[i]).unwrap_or(0);
        let window_start = first.saturating_sub(self.window);
        let ignored = |cue: &Hit| {
            hits.iter().any(|h| h.usage.role == Role::NegationIgnore && h.first <= cue.first && cue.last <= h.last)
        };
        hits.iter()
            .find(|h| {
                matches!(h.usage.role, Role::NegationCue | Role::QuoteCue)
                    && h.first >= clause_start
                    && h.last >= window_start
                    && h.last < first
                    && !ignored(h)
            })
            .map(|h| match h.usage.role {
                Role::QuoteCue => format!("quoting the customer: \"{}\"", h.usage.entry),
                _ => format!("negated by \"{}\"", h.usage.entry),
            })
    }
}

/// Whether a reply was flagged as gaming the scorer.
pub fn is_gaming(signals: &[Detection]) -> bool {
    signals.iter().any(|d| GAMING_SIGNALS.contains(&d.name.as_str()))
}

/// Whether a detection list contains `name` (with `fact:*` meaning any fact).
pub fn contains_signal(signals: &[Detection], name: &str) -> bool {
    signals.iter().any(|d| signal_matches(&d.name, name))
}

/// Whether a detected signal name satisfies a wanted name (with `fact:*` meaning any fact).
pub fn signal_matches(detected: &str, wanted: &str) -> bool {
    detected == wanted || (wanted == "fact:*" && detected.starts_with(FACT_PREFIX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        crate::yaml::from_str(
            r#"
schema: frontline/lexicon@1
language: en
contractions: { "can't": "can not", cannot: "can not", "don't": "do not", "i'm": "i am", im: "i am" }
negation: { cues: ["not", "no", "never"], window: 4, breaks: ["but"], ignore: ["do not worry"] }
inflections: { rules: [{ becomes: s }, { ending: y, becomes: ies, not_after: aeiou }] }
word_classes:
  party: [courier, delivery firm]
  agent: [i, we]
  modal: [will, can]
  fix: [send, hold]
  aux: [can, could, is]
  subject: [you, it]
  feeling: [upset, annoyed]
signals:
  apology:
    description: sorry
    phrases: ["sorry", "apolog*", "i am so sorry"]
    yields_to: [non_apology]
  non_apology:
    description: not really sorry
    phrases: ["sorry you feel", "sorry if you feel"]
    forms: ["sorry you are {feeling}"]
  fix_proposal:
    description: a fix
    phrases: ["replacement"]
    forms: ["{agent} {modal} {fix}"]
    negatable: true
  offer:
    description: an offer
    phrases: ["refund", "discount"]
    negatable: true
  negative_language:
    description: bare negatives
    phrases: ["can not", "no way"]
    unless: ["do not worry"]
  question:
    description: a question
    phrases: ["?", "could you tell me"]
    forms: ["^ {aux} {subject}"]
  blame:
    description: blaming someone else
    forms: ["the {party} lost"]
"#,
        )
        .unwrap()
    }

    fn names(reply: &str) -> Vec<String> {
        let detector = Detector::new(&lexicon());
        let vocabulary = detector.vocabulary("Maria Lopez", [("item", "wooden train set")]);
        detector.detect(reply, &vocabulary).into_iter().map(|d| d.name).collect()
    }

    #[test]
    fn finds_phrases_on_word_boundaries_with_spans() {
        let detector = Detector::new(&lexicon());
        let found = detector.detect("Oh, I'm SO sorry!", &Vocabulary::default());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "apology");
        assert_eq!(found[0].matched, "I'm SO sorry");
        assert_eq!(found[0].entry, "i am so sorry");
        assert_eq!(names("sorrynot"), Vec::<String>::new());
    }

    #[test]
    fn prefix_entries_stem() {
        assert_eq!(names("I apologise"), ["apology"]);
        assert_eq!(names("My apologies."), ["apology"]);
    }

    #[test]
    fn the_last_word_of_an_entry_also_matches_its_inflections() {
        let detector = Detector::new(&lexicon());
        let found = detector.detect("two discounts", &Vocabulary::default());
        assert_eq!((found[0].name.as_str(), found[0].entry.as_str()), ("offer", "discount"), "named by its entry");
        assert_eq!(names("the couriers lost it"), ["blame"]);
        assert_eq!(names("the delivery firms lost it"), ["blame"]);
        assert_eq!(names("we will send it"), ["fix_proposal"]);
        assert!(names("is will send it").is_empty(), "\"i\" is too short to meet \"is\"");
        assert!(names("the couriered lost it").is_empty(), "only the rules' endings");
        assert_eq!(names("we can't offer discounts"), ["negative_language"], "an inflection is refused like its entry");
    }

    #[test]
    fn inflection_rules_are_lower_case_letters() {
        let mut lexicon = lexicon();
        let rule = |ending: &str, becomes: &str| inflection::InflectionRule {
            ending: ending.into(),
            becomes: becomes.into(),
            not_after: String::new(),
        };
        lexicon.inflections.rules.extend([rule("Y", "ies"), rule("", ""), rule("e", "ing")]);
        let mut problems = Vec::new();
        crate::diagnostic::Validate::validate(&lexicon, &mut problems);
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn exceptions_turn_an_apology_into_a_non_apology() {
        assert_eq!(names("I'm sorry you feel that way"), ["non_apology"]);
    }

    #[test]
    fn negation_refuses_an_offer_within_its_clause_only() {
        assert_eq!(names("We can't refund this"), ["negative_language"]);
        assert_eq!(names("no, but a refund is fine"), ["offer"]);
        assert_eq!(names("Never mind the wait. A refund is on its way"), ["offer"]);
        let analysis = Detector::new(&lexicon()).explain("we can not refund it", &Vocabulary::default());
        assert_eq!(analysis.cancelled[0].reason, "negated by \"not\"");
    }

    #[test]
    fn ignored_phrases_do_not_negate() {
        assert_eq!(names("Don't worry I will refund you"), ["offer"]);
    }

    #[test]
    fn dont_worry_is_not_negative_language() {
        assert_eq!(names("Don't worry, no way we lose it"), ["negative_language"]);
        assert_eq!(names("Don't worry"), Vec::<String>::new());
    }

    #[test]
    fn questions_by_mark_and_by_form() {
        assert_eq!(names("where is it?"), ["question"]);
        assert_eq!(names("could you tell me the order number"), ["question"]);
    }

    #[test]
    fn forms_fire_name_their_form_and_are_refused_by_negation() {
        assert_eq!(names("we can hold one"), ["fix_proposal"]);
        assert_eq!(names("we can't hold one"), ["negative_language"]);
        assert_eq!(names("could you read it"), ["question"]);
        assert_eq!(names("you could read it"), Vec::<String>::new());
        let detector = Detector::new(&lexicon());
        let found = detector.detect("Sure, I'll send it", &Vocabulary::default());
        assert!(found.is_empty(), "no contraction table for \"i'll\" in this lexicon: {found:?}");
        let found = detector.detect("Sure, I will send it", &Vocabulary::default());
        assert_eq!((found[0].matched.as_str(), found[0].entry.as_str()), ("I will send", "{agent} {modal} {fix}"));
        let analysis = detector.explain("we can not send it", &Vocabulary::default());
        assert_eq!(analysis.cancelled.len(), 0, "the negation breaks the form itself: {analysis:?}");
        let analysis = detector.explain("not sure we can send it", &Vocabulary::default());
        assert_eq!(analysis.cancelled[0].reason, "negated by \"not\"");
    }

    #[test]
    fn a_signal_yields_where_the_one_it_yields_to_overlaps() {
        assert_eq!(names("I'm sorry you feel that way"), ["non_apology"]);
        assert_eq!(names("I'm sorry you are upset"), ["non_apology"]);
        assert_eq!(names("I'm so sorry. Are you upset?"), ["apology", "question"]);
        let analysis = Detector::new(&lexicon()).explain("sorry you are annoyed", &Vocabulary::default());
        assert_eq!(analysis.cancelled[0].name, "apology");
        assert_eq!(analysis.cancelled[0].reason, "yields to non_apology \"sorry you are {feeling}\"");
    }

    #[test]
    fn customer_name_and_facts_in_any_case() {
        assert_eq!(names("MARIA, your Wooden Train Set"), ["customer_name", "fact:item"]);
        let detector = Detector::new(&lexicon());
        let vocabulary = detector.vocabulary("Maria Lopez", []);
        let found = detector.detect("Ms Maria Lopez", &vocabulary);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].matched, "Maria Lopez");
    }

    #[test]
    fn customer_name_without_its_accents_or_apostrophe() {
        let detector = Detector::new(&lexicon());
        let vocabulary = detector.vocabulary("Siobhán O'Connor", []);
        for reply in ["siobhan, hi", "Ms OConnor", "ms o'connor", "SIOBHÁN"] {
            let found = detector.detect(reply, &vocabulary);
            assert_eq!(found.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), ["customer_name"], "{reply}");
        }
        assert!(detector.detect("Connor from the fraud team", &vocabulary).is_empty());
    }

    #[test]
    fn empty_reply_is_silence() {
        assert_eq!(names("   "), ["silence"]);
    }

    #[test]
    fn knows_built_in_and_fact_signals() {
        let detector = Detector::new(&lexicon());
        assert!(detector.knows_signal("apology", std::iter::empty()));
        assert!(detector.knows_signal("fact:item", ["item"].into_iter()));
        assert!(!detector.knows_signal("fact:order", ["item"].into_iter()));
        assert!(!detector.knows_signal("apologie", std::iter::empty()));
    }

    /// A lexicon whose `blame` rules cannot match the bank reply "the couriers are the ones who lost it"
    /// (tests/data/signals-dev-23.yaml, labelled `must: [blame]`), with the nearest labelled reply turned on.
    fn with_neighbours(except: &[&str]) -> Lexicon {
        let mut lexicon = lexicon();
        lexicon.signals.get_mut("blame").unwrap().forms = vec!["the {party} lost the parcel".into()];
        lexicon.neighbours =
            Some(NeighbourSettings { min_similarity: 0.3, except: except.iter().map(|s| s.to_string()).collect() });
        lexicon
    }

    #[test]
    fn a_missed_signal_fires_through_the_nearest_labelled_reply_and_names_it() {
        let reply = "the couriers are the ones who lost it";
        assert!(!contains_signal(&Detector::new(&lexicon()).detect(reply, &Vocabulary::default()), "blame"));
        let detector = Detector::new(&with_neighbours(&[]));
        assert!(detector.labelled_replies() > 9000, "the built-in bank: {}", detector.labelled_replies());
        let found = detector.detect(reply, &Vocabulary::default());
        let blame = found.iter().find(|d| d.name == "blame").expect("blame through its labelled twin");
        assert_eq!(blame.span, [0, reply.len()], "the whole reply");
        assert_eq!(blame.entry, format!("nearest labelled reply \"{reply}\" (signals-dev-23.yaml, similarity 1.00)"));
        let elsewhere = detector.leaving_out("signals-dev-23.yaml").detect(reply, &Vocabulary::default());
        assert!(
            elsewhere.iter().all(|d| !d.entry.contains("signals-dev-23.yaml")),
            "its own file left out: {elsewhere:?}"
        );
        let excepted = Detector::new(&with_neighbours(&["blame"])).detect(reply, &Vocabulary::default());
        assert!(!contains_signal(&excepted, "blame"), "except keeps blame to its rules");
    }

    #[test]
    fn a_cancelled_signal_does_not_come_back_through_a_neighbour() {
        let mut lexicon = with_neighbours(&[]);
        let blame = lexicon.signals.get_mut("blame").unwrap();
        blame.phrases = vec!["couriers".into()];
        blame.unless = vec!["couriers are the ones".into()];
        let analysis = Detector::new(&lexicon).explain("the couriers are the ones who lost it", &Vocabulary::default());
        assert!(analysis.cancelled.iter().any(|c| c.name == "blame"), "{:?}", analysis.cancelled);
        assert!(!contains_signal(&analysis.signals, "blame"), "{:?}", analysis.signals);
    }

    #[test]
    fn neighbour_settings_are_validated() {
        use crate::diagnostic::Validate;
        let mut lexicon = with_neighbours(&["blam"]);
        lexicon.neighbours.as_mut().unwrap().min_similarity = 0.0;
        let mut problems = Vec::new();
        lexicon.validate(&mut problems);
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].starts_with("min_similarity is a cosine similarity above 0"), "{messages:?}");
        assert_eq!(messages[1], "except names \"blam\", not a signal here");
    }
}
