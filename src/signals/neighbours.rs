//! The nearest labelled reply: a second way for a signal to fire, when the lexicon's phrases and forms missed it
//! but the most similar labelled reply has it.
//!
//! A *bank* is a set of labelled replies (text, the signals it must fire, the ones it must not) turned into TF-IDF
//! vectors over lower-cased words and word pairs. For a new reply and each signal, the most similar bank reply
//! labelled for that signal (either way) decides: when it is labelled `must` and its cosine similarity is at least
//! the lexicon's threshold, the signal fires, and the detection names that labelled reply. A labelled near miss
//! (`not`) close to a reply therefore stops the signal, which is how a trainer corrects it.
//!
//! The bank is built once, as bytes: `build.rs` builds the built-in one from the development part of the evaluation
//! set (`tests/data/signals-dev*.yaml`) and the built-in lexicon's examples, so start-up reads it in place rather
//! than vectorising 9,800 replies. This
//! file is also compiled into `build.rs` (with [`crate::fnv`]), so it uses nothing outside `std` and that module.
//!
//! Scoring is exact, with one shortcut: terms are visited by how much they can add; once the terms left cannot lift
//! a reply not seen yet to the threshold, only the replies already seen are scored further.

use std::collections::HashMap;

use crate::fnv::Fnv;

const MAGIC: &[u8; 8] = b"FLNBANK1";

/// The most signal names a bank can hold (labels are kept as 64-bit sets).
pub const MAX_SIGNALS: usize = 64;

/// Bytes per reply in the label table: its source (u32), then its `must` and `not` signal sets (u64 each).
const LABEL_BYTES: usize = 20;

/// One labelled reply going into a bank.
#[derive(Debug, Clone)]
pub struct LabelledReply<'a> {
    /// The reply.
    pub text: &'a str,
    /// Where it comes from (a file name), so a reply can be kept from being its own neighbour.
    pub source: &'a str,
    /// Signals it must fire.
    pub must: Vec<&'a str>,
    /// Signals it must not fire.
    pub not: Vec<&'a str>,
}

/// The hashed terms of a text: its words (lower-cased ASCII letters and digits, `n't` read as `not`, `?` kept as a
/// word) and each pair of neighbouring words, repeats included.
pub fn terms(text: &str) -> Vec<u64> {
    let lower: String =
        text.chars().flat_map(char::to_lowercase).map(|c| if c == '\u{2019}' { '\'' } else { c }).collect();
    let lower = lower.replace("n't", " not");
    let mut words: Vec<&str> = Vec::new();
    let mut start = None;
    for (i, c) in lower.char_indices() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            words.push(&lower[s..i]);
        }
        if c == '?' {
            words.push("?");
        }
    }
    if let Some(s) = start {
        words.push(&lower[s..]);
    }
    let hash = |parts: &[&str]| {
        let mut hash = Fnv::new();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                hash.write(b"_");
            }
            hash.write(part.as_bytes());
        }
        hash.finish()
    };
    words.iter().map(|w| hash(&[w])).chain(words.windows(2).map(hash)).collect()
}

/// Each distinct term with its count, sorted by term.
fn counted(mut terms: Vec<u64>) -> Vec<(u64, u32)> {
    terms.sort_unstable();
    let mut out: Vec<(u64, u32)> = Vec::new();
    for term in terms {
        match out.last_mut() {
            Some((last, count)) if *last == term => *count += 1,
            _ => out.push((term, 1)),
        }
    }
    out
}

/// A term's weight in one text: `(1 + ln count) * idf`.
fn weight(count: u32, idf: f64) -> f64 {
    (1.0 + f64::from(count).ln()) * idf
}

/// Builds a bank from labelled replies, as the bytes [`Bank::parse`] reads.
pub fn build(replies: &[LabelledReply]) -> Result<Vec<u8>, String> {
    let mut signals: Vec<&str> = replies.iter().flat_map(|r| r.must.iter().chain(&r.not)).copied().collect();
    signals.sort_unstable();
    signals.dedup();
    if signals.len() > MAX_SIGNALS {
        return Err(format!("{} signal names; a bank holds at most {MAX_SIGNALS}", signals.len()));
    }
    let mut sources: Vec<&str> = replies.iter().map(|r| r.source).collect();
    sources.sort_unstable();
    sources.dedup();
    let docs: Vec<Vec<(u64, u32)>> = replies.iter().map(|r| counted(terms(r.text))).collect();
    let mut document_frequency: HashMap<u64, u32> = HashMap::new();
    for doc in &docs {
        for &(term, _) in doc {
            *document_frequency.entry(term).or_insert(0) += 1;
        }
    }
    let n = docs.len() as f64;
    let mut vocabulary: Vec<u64> = document_frequency.keys().copied().collect();
    vocabulary.sort_unstable();
    let idf: Vec<f64> =
        vocabulary.iter().map(|t| ((n + 1.0) / (f64::from(document_frequency[t]) + 1.0)).ln()).collect();
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); vocabulary.len()];
    for (doc_index, doc) in docs.iter().enumerate() {
        let indexed: Vec<(usize, f64)> = doc
            .iter()
            .map(|&(term, count)| {
                let index = vocabulary.binary_search(&term).expect("every term is in the vocabulary");
                (index, weight(count, idf[index]))
            })
            .collect();
        let norm = indexed.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
        for (index, w) in indexed {
            let normalised = if norm > 0.0 { w / norm } else { 0.0 };
            postings[index].push((doc_index as u32, normalised as f32));
        }
    }

    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    let count = |out: &mut Vec<u8>, n: usize| out.extend_from_slice(&(n as u32).to_le_bytes());
    let text = |out: &mut Vec<u8>, s: &str| {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    };
    count(&mut out, replies.len());
    count(&mut out, vocabulary.len());
    count(&mut out, postings.iter().map(Vec::len).sum());
    count(&mut out, signals.len());
    signals.iter().for_each(|s| text(&mut out, s));
    count(&mut out, sources.len());
    sources.iter().for_each(|s| text(&mut out, s));
    vocabulary.iter().for_each(|t| out.extend_from_slice(&t.to_le_bytes()));
    idf.iter().for_each(|w| out.extend_from_slice(&(*w as f32).to_le_bytes()));
    let mut offset = 0usize;
    for list in &postings {
        count(&mut out, offset);
        offset += list.len();
    }
    count(&mut out, offset);
    for list in &postings {
        let max = list.iter().map(|&(_, w)| w).fold(0.0f32, f32::max);
        out.extend_from_slice(&max.to_le_bytes());
    }
    postings.iter().flatten().for_each(|(doc, _)| out.extend_from_slice(&doc.to_le_bytes()));
    postings.iter().flatten().for_each(|(_, w)| out.extend_from_slice(&w.to_le_bytes()));
    let labels = |names: &[&str]| -> u64 {
        names.iter().map(|n| 1u64 << signals.binary_search(n).expect("collected above")).fold(0, |a, b| a | b)
    };
    for reply in replies {
        let source = sources.binary_search(&reply.source).expect("collected above");
        count(&mut out, source);
        out.extend_from_slice(&labels(&reply.must).to_le_bytes());
        out.extend_from_slice(&labels(&reply.not).to_le_bytes());
    }
    replies.iter().for_each(|r| text(&mut out, r.text));
    Ok(out)
}

/// Reads a built bank in place.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&end| end <= self.bytes.len()).ok_or("the bank is cut short")?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn count(&mut self) -> Result<usize, String> {
        Ok(u32_at(self.take(4)?, 0) as usize)
    }

    fn text(&mut self) -> Result<&'a str, String> {
        let n = self.count()?;
        std::str::from_utf8(self.take(n)?).map_err(|_| "the bank holds a text that is not UTF-8".to_string())
    }

    fn array(&mut self, items: usize, width: usize) -> Result<&'a [u8], String> {
        self.take(items.checked_mul(width).ok_or("the bank is too large")?)
    }
}

fn u32_at(bytes: &[u8], index: usize) -> u32 {
    u32::from_le_bytes(bytes[index * 4..index * 4 + 4].try_into().expect("four bytes"))
}

fn f32_at(bytes: &[u8], index: usize) -> f32 {
    f32::from_le_bytes(bytes[index * 4..index * 4 + 4].try_into().expect("four bytes"))
}

fn u64_at(bytes: &[u8], index: usize) -> u64 {
    u64::from_le_bytes(bytes[index * 8..index * 8 + 8].try_into().expect("eight bytes"))
}

/// A bank of labelled replies, read in place from the bytes [`build`] wrote.
#[derive(Debug, Clone)]
pub struct Bank<'a> {
    replies: usize,
    signals: Vec<&'a str>,
    sources: Vec<&'a str>,
    vocabulary: &'a [u8],
    idf: &'a [u8],
    offsets: &'a [u8],
    max_weight: &'a [u8],
    posting_docs: &'a [u8],
    posting_weights: &'a [u8],
    labels: &'a [u8],
    texts: Vec<&'a str>,
}

/// A bank reply near enough to count, and how near.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neighbour {
    /// Its index in the bank.
    pub reply: usize,
    /// Cosine similarity, 0 to 1.
    pub similarity: f32,
}

impl<'a> Bank<'a> {
    /// Reads bytes written by [`build`].
    pub fn parse(bytes: &'a [u8]) -> Result<Bank<'a>, String> {
        let mut reader = Reader { bytes, at: 0 };
        if reader.take(MAGIC.len())? != MAGIC {
            return Err("not a frontline bank of labelled replies".into());
        }
        let (replies, terms, postings) = (reader.count()?, reader.count()?, reader.count()?);
        let signals = (0..reader.count()?).map(|_| reader.text()).collect::<Result<Vec<_>, _>>()?;
        let sources = (0..reader.count()?).map(|_| reader.text()).collect::<Result<Vec<_>, _>>()?;
        let vocabulary = reader.array(terms, 8)?;
        let idf = reader.array(terms, 4)?;
        let offsets = reader.array(terms + 1, 4)?;
        let max_weight = reader.array(terms, 4)?;
        let posting_docs = reader.array(postings, 4)?;
        let posting_weights = reader.array(postings, 4)?;
        let labels = reader.array(replies, LABEL_BYTES)?;
        let texts = (0..replies).map(|_| reader.text()).collect::<Result<Vec<_>, _>>()?;
        if (0..=terms).any(|t| u32_at(offsets, t) as usize > postings)
            || (0..postings).any(|p| u32_at(posting_docs, p) as usize >= replies)
            || (0..replies).any(|r| u32_at(&labels[r * LABEL_BYTES..], 0) as usize >= sources.len())
        {
            return Err("the bank's indexes point outside it".into());
        }
        Ok(Bank {
            replies,
            signals,
            sources,
            vocabulary,
            idf,
            offsets,
            max_weight,
            posting_docs,
            posting_weights,
            labels,
            texts,
        })
    }

    /// How many labelled replies the bank holds.
    pub fn len(&self) -> usize {
        self.replies
    }

    /// Whether the bank holds no reply.
    pub fn is_empty(&self) -> bool {
        self.replies == 0
    }

    /// The signal names its labels use, in the order of the masks [`Bank::nearest`] reports by.
    pub fn signals(&self) -> &[&'a str] {
        &self.signals
    }

    /// The index of a source (file name), if the bank holds replies from it.
    pub fn source_index(&self, name: &str) -> Option<usize> {
        self.sources.iter().position(|s| *s == name)
    }

    /// A bank reply's text.
    pub fn text(&self, reply: usize) -> &'a str {
        self.texts[reply]
    }

    /// Where a bank reply comes from.
    pub fn source(&self, reply: usize) -> &'a str {
        self.sources[self.source_of(reply)]
    }

    fn source_of(&self, reply: usize) -> usize {
        u32_at(&self.labels[reply * LABEL_BYTES..], 0) as usize
    }

    /// Whether a bank reply is labelled `must` for signal `signal` (an index into [`Bank::signals`]).
    pub fn is_must(&self, reply: usize, signal: usize) -> bool {
        self.must(reply) & (1 << signal) != 0
    }

    fn must(&self, reply: usize) -> u64 {
        u64_at(&self.labels[reply * LABEL_BYTES + 4..], 0)
    }

    fn not(&self, reply: usize) -> u64 {
        u64_at(&self.labels[reply * LABEL_BYTES + 12..], 0)
    }

    fn term_index(&self, term: u64) -> Option<usize> {
        let (mut low, mut high) = (0, self.vocabulary.len() / 8);
        while low < high {
            let middle = (low + high) / 2;
            match u64_at(self.vocabulary, middle).cmp(&term) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some(middle),
            }
        }
        None
    }

    fn postings(&self, term: usize) -> std::ops::Range<usize> {
        u32_at(self.offsets, term) as usize..u32_at(self.offsets, term + 1) as usize
    }

    /// For each signal of the bank, the most similar bank reply labelled for it (`must` or `not`), when that
    /// similarity is at least `threshold`; replies from the source `excluded` are left out.
    pub fn nearest(&self, text: &str, threshold: f32, excluded: Option<usize>) -> Vec<Option<Neighbour>> {
        let mut nearest = vec![None; self.signals.len()];
        let n = self.replies as f64;
        // The reply's vector: terms the bank never saw count in its length only.
        let mut known: Vec<(usize, f64)> = Vec::new();
        let mut norm = 0.0f64;
        for (term, count) in counted(terms(text)) {
            let index = self.term_index(term);
            let idf = index.map_or_else(|| (n + 1.0).ln(), |i| f64::from(f32_at(self.idf, i)));
            let w = weight(count, idf);
            norm += w * w;
            if let Some(index) = index {
                known.push((index, w));
            }
        }
        let norm = norm.sqrt();
        if norm == 0.0 || known.is_empty() {
            return nearest;
        }
        let mut query: Vec<(usize, f32, f32)> = known
            .into_iter()
            .map(|(index, w)| {
                let q = (w / norm) as f32;
                (index, q, q * f32_at(self.max_weight, index))
            })
            .collect();
        query.sort_by(|a, b| b.2.total_cmp(&a.2));
        // `left[i]`: the most the terms from `i` on can add to any reply's score.
        let mut left = vec![0.0f32; query.len() + 1];
        for i in (0..query.len()).rev() {
            left[i] = left[i + 1] + query[i].2;
        }
        let margin = 1e-5;
        let mut score = vec![0.0f32; self.replies];
        let mut seen: Vec<u32> = Vec::new();
        let mut i = 0;
        while i < query.len() && left[i] + margin >= threshold {
            let (term, q, _) = query[i];
            let range = self.postings(term);
            let docs = &self.posting_docs[range.start * 4..range.end * 4];
            let weights = &self.posting_weights[range.start * 4..range.end * 4];
            for (doc, w) in docs.chunks_exact(4).zip(weights.chunks_exact(4)) {
                let doc = u32::from_le_bytes(doc.try_into().expect("four bytes"));
                let slot = &mut score[doc as usize];
                if *slot == 0.0 {
                    seen.push(doc);
                }
                *slot += q * f32::from_le_bytes(w.try_into().expect("four bytes"));
            }
            i += 1;
        }
        // No reply unseen so far can reach the threshold: finish the ones that still can.
        let mut candidates: Vec<(u32, f32)> = seen
            .into_iter()
            .map(|doc| (doc, score[doc as usize]))
            .filter(|&(_, s)| s + left[i] + margin >= threshold)
            .collect();
        for &(term, q, _) in &query[i..] {
            let range = self.postings(term);
            // A long list read straight through costs less than looking each candidate up in it.
            if candidates.len() * 16 > range.len() {
                for p in range {
                    let doc = u32_at(self.posting_docs, p) as usize;
                    if score[doc] != 0.0 {
                        score[doc] += q * f32_at(self.posting_weights, p);
                    }
                }
                continue;
            }
            for &(doc, _) in &candidates {
                let (mut low, mut high) = (range.start, range.end);
                while low < high {
                    let middle = (low + high) / 2;
                    let at = u32_at(self.posting_docs, middle);
                    if at < doc {
                        low = middle + 1;
                    } else {
                        high = middle;
                    }
                }
                if low < range.end && u32_at(self.posting_docs, low) == doc {
                    score[doc as usize] += q * f32_at(self.posting_weights, low);
                }
            }
        }
        candidates.iter_mut().for_each(|(doc, s)| *s = score[*doc as usize]);
        candidates.retain(|&(doc, s)| s >= threshold && excluded != Some(self.source_of(doc as usize)));
        candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut decided = 0u64;
        for (doc, similarity) in candidates {
            let labelled = (self.must(doc as usize) | self.not(doc as usize)) & !decided;
            for signal in (0..self.signals.len()).filter(|s| labelled & (1 << s) != 0) {
                nearest[signal] = Some(Neighbour { reply: doc as usize, similarity });
            }
            decided |= labelled;
        }
        nearest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply<'a>(text: &'a str, must: &[&'a str], not: &[&'a str]) -> LabelledReply<'a> {
        LabelledReply { text, source: "a.yaml", must: must.to_vec(), not: not.to_vec() }
    }

    #[test]
    fn terms_are_words_and_word_pairs_with_contractions_opened() {
        assert_eq!(terms("We CAN'T refund?"), terms("we ca not refund ?"));
        assert_eq!(terms("don’t"), terms("do not"));
        assert_eq!(terms("one two").len(), 3, "two words and one pair");
        assert!(terms("🙏 ...").is_empty());
    }

    #[test]
    fn the_nearest_labelled_reply_decides_each_signal() {
        let bytes = build(&[
            reply("I can send a replacement today", &["fix_proposal"], &[]),
            reply("I can not send a replacement", &[], &["fix_proposal"]),
            reply("thanks for waiting so patiently", &["thanks"], &["fix_proposal"]),
        ])
        .unwrap();
        let bank = Bank::parse(&bytes).unwrap();
        assert_eq!(bank.signals(), ["fix_proposal", "thanks"]);
        let fix = bank.signals().iter().position(|s| *s == "fix_proposal").unwrap();
        let near = bank.nearest("I can send a replacement tomorrow", 0.3, None);
        let found = near[fix].expect("near enough");
        assert_eq!(bank.text(found.reply), "I can send a replacement today");
        assert!(bank.is_must(found.reply, fix));
        assert!(found.similarity > 0.3 && found.similarity < 1.0, "{}", found.similarity);
        let refused = bank.nearest("sorry, I can not send a replacement", 0.3, None)[fix].unwrap();
        assert!(!bank.is_must(refused.reply, fix), "the labelled near miss is nearer");
        assert_eq!(bank.nearest("what colour was it", 0.3, None), vec![None, None], "nothing near");
        let alone = bank.nearest("I can send a replacement today", 0.3, bank.source_index("a.yaml"));
        assert_eq!(alone, vec![None, None], "its own source left out");
    }

    #[test]
    fn pruned_scores_equal_the_full_dot_product() {
        let texts = [
            "sorry about the wait, I will send a new one",
            "I will send a new one today",
            "the courier lost it, sorry",
            "can you tell me the order number",
            "we will refund you today",
            "sorry sorry sorry",
        ];
        let replies: Vec<LabelledReply> = texts.iter().map(|t| reply(t, &["x"], &[])).collect();
        let bytes = build(&replies).unwrap();
        let bank = Bank::parse(&bytes).unwrap();
        for (threshold, query) in [(0.05, "sorry, I will send a new one"), (0.3, "the courier will refund you")] {
            let got = bank.nearest(query, threshold, None)[0];
            // Brute force: every reply's full cosine.
            let vector = |text: &str| {
                let mut v: HashMap<u64, f64> = HashMap::new();
                for (term, count) in counted(terms(text)) {
                    let idf = bank
                        .term_index(term)
                        .map_or((bank.len() as f64 + 1.0).ln(), |i| f64::from(f32_at(bank.idf, i)));
                    v.insert(term, weight(count, idf));
                }
                let norm = v.values().map(|w| w * w).sum::<f64>().sqrt();
                v.values_mut().for_each(|w| *w /= norm);
                v
            };
            let q = vector(query);
            let best = texts
                .iter()
                .enumerate()
                .map(|(i, t)| (i, vector(t).iter().map(|(k, w)| w * q.get(k).unwrap_or(&0.0)).sum::<f64>()))
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap();
            let got = got.expect("above the threshold");
            assert_eq!(got.reply, best.0, "{query}");
            assert!((f64::from(got.similarity) - best.1).abs() < 1e-4, "{} vs {}", got.similarity, best.1);
        }
    }

    #[test]
    fn a_damaged_bank_is_refused() {
        let bytes = build(&[reply("hello there", &["x"], &[])]).unwrap();
        assert!(Bank::parse(&bytes[..bytes.len() - 3]).is_err());
        assert!(Bank::parse(b"something else").is_err());
    }
}
