//! Text normalisation and tokenisation for signal matching.
//!
//! A reply becomes a list of [`Token`]s: lower-cased, compatibility forms and accents folded (NFKD, `Lucía` becomes
//! `lucia`), curly quotes straightened, contractions expanded (`can't` becomes `can not`), possessive `'s` dropped.
//! Every token keeps the byte span of the original text it came from, so a detection can quote exactly what the
//! trainee typed. Lexicon phrases go through the same function, so `can't` in a lexicon and `cannot` in a reply meet
//! as `can not`.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// One normalised word or punctuation mark, with the byte span it came from in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The normalised text: lower case, no apostrophe variants.
    pub text: String,
    /// Byte offset of the first byte in the original text.
    pub start: usize,
    /// Byte offset one past the last byte in the original text.
    pub end: usize,
}

impl Token {
    /// Whether this token is punctuation that ends a clause (`, . ; : ! ?`).
    pub fn is_punctuation(&self) -> bool {
        self.text.len() == 1 && CLAUSE_PUNCTUATION.contains(self.text.as_bytes()[0] as char)
    }
}

const CLAUSE_PUNCTUATION: &str = ",.;:!?";

/// Word replacements applied after tokenising (from the lexicon's `contractions`).
pub type Contractions = HashMap<String, Vec<String>>;

/// Maps one character to its normalised form, appending to `out`.
fn normalise_char(c: char, out: &mut Vec<char>) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '\u{2032}' | '\u{00B4}' | '\u{0060}' => out.push('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => out.push('"'),
        '\u{2013}' | '\u{2014}' | '\u{2212}' => out.push('-'),
        '\u{2026}' => out.push('.'),
        // Letters with no accent to drop, written as their plain forms by agents: "Yilmaz", "Lodz", "Ostergaard".
        '\u{0131}' => out.push('i'),
        '\u{0141}' | '\u{0142}' => out.push('l'),
        '\u{00D8}' | '\u{00F8}' => out.push('o'),
        '\u{0110}' | '\u{0111}' => out.push('d'),
        '\u{00DF}' => out.extend(['s', 's']),
        '\u{00C6}' | '\u{00E6}' => out.extend(['a', 'e']),
        '\u{0152}' | '\u{0153}' => out.extend(['o', 'e']),
        // Compatibility forms folded, accents dropped: agents type "Lucia" for "Lucía", "Fernandez" for "Fernández".
        _ => {
            for n in std::iter::once(c).nfkd().filter(|&n| !is_combining_mark(n)) {
                out.extend(n.to_lowercase());
            }
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether the run of `*` that `rest` starts with masks letters of the word so far ("sh*t", "f***ing", "f***"),
/// rather than marking a correction ("sorry*") or emphasis ("**sorry**"): it does if a letter follows the run, or
/// if the word so far is a single letter.
fn masks(rest: &[(char, usize, usize)], word: &str) -> bool {
    let after = rest.iter().find(|&&(c, _, _)| c != '*').map(|&(c, _, _)| c);
    after.is_some_and(is_word_char) || word.chars().count() == 1
}

/// A lexicon entry's text and whether it is a stem: a trailing `*` matches any ending of its last word. Only the
/// last star is the marker, so the masked `f***` is the stem `f**`.
pub fn stem_marker(entry: &str) -> (&str, bool) {
    match entry.strip_suffix('*') {
        Some(bare) => (bare, true),
        None => (entry, false),
    }
}

/// Splits `text` into normalised tokens, applying `contractions` to each word.
pub fn tokenize(text: &str, contractions: &Contractions) -> Vec<Token> {
    // Normalised characters, each with the original byte span of the character it came from.
    let mut chars: Vec<(char, usize, usize)> = Vec::with_capacity(text.len());
    let mut buffer = Vec::with_capacity(4);
    for (start, c) in text.char_indices() {
        let end = start + c.len_utf8();
        buffer.clear();
        normalise_char(c, &mut buffer);
        chars.extend(buffer.iter().map(|&n| (n, start, end)));
    }

    let mut tokens = Vec::with_capacity(chars.len() / 4 + 1);
    let mut i = 0;
    while i < chars.len() {
        let (c, start, _) = chars[i];
        if is_word_char(c) {
            let mut word = String::new();
            let mut end = start;
            while i < chars.len() {
                let (c, _, char_end) = chars[i];
                let next_is_word = chars.get(i + 1).is_some_and(|&(n, _, _)| is_word_char(n));
                let prev_is_word = !word.is_empty();
                let joins = |sep: char| c == sep && prev_is_word && next_is_word;
                let prev_is_digit = word.chars().last().is_some_and(|p| p.is_ascii_digit());
                let next_is_digit = chars.get(i + 1).is_some_and(|&(n, _, _)| n.is_ascii_digit());
                if c == '*' && prev_is_word && masks(&chars[i..], &word) {
                    // A masked word ("sh*t", "f***ing"): the run of stars joins the word.
                    while chars.get(i).is_some_and(|&(n, _, _)| n == '*') {
                        word.push('*');
                        end = chars[i].2;
                        i += 1;
                    }
                } else if is_word_char(c) || joins('\'') || ((c == '.' || c == ',') && prev_is_digit && next_is_digit) {
                    word.push(c);
                    end = char_end;
                    i += 1;
                } else {
                    break;
                }
            }
            push_word(&mut tokens, word, start, end, contractions);
        } else {
            if CLAUSE_PUNCTUATION.contains(c) {
                // Runs such as "?!" or "..." count once.
                let repeated = tokens.last().is_some_and(|t: &Token| t.is_punctuation() && t.end == start);
                if !repeated {
                    tokens.push(Token { text: c.to_string(), start, end: chars[i].2 });
                } else if let Some(last) = tokens.last_mut() {
                    last.end = chars[i].2;
                    if c == '?' {
                        last.text = "?".into();
                    }
                }
            }
            i += 1;
        }
    }
    tokens
}

fn push_word(tokens: &mut Vec<Token>, word: String, start: usize, end: usize, contractions: &Contractions) {
    if let Some(replacement) = contractions.get(&word) {
        tokens.extend(replacement.iter().map(|w| Token { text: w.clone(), start, end }));
        return;
    }
    if let Some(stem) = word.strip_suffix("'s") {
        tokens.push(Token { text: stem.to_string(), start, end });
        return;
    }
    tokens.push(Token { text: word, start, end });
}

/// Which tokens open a clause: the first word, and any word after clause punctuation or after a word that
/// `breaks_clause` ("but", "however"). Negation scope and sentence forms (`^`, `$`) both read it.
pub fn clause_starts(tokens: &[Token], breaks_clause: impl Fn(&str) -> bool) -> Vec<bool> {
    let mut starts = Vec::with_capacity(tokens.len());
    let mut open = true;
    for token in tokens {
        if token.is_punctuation() {
            starts.push(false);
            open = true;
        } else {
            starts.push(open);
            open = breaks_clause(&token.text);
        }
    }
    starts
}

/// Normalises a lexicon phrase into the single-space-joined form the matcher searches for.
pub fn normalise_phrase(phrase: &str, contractions: &Contractions) -> String {
    let tokens = tokenize(phrase, contractions);
    let mut out = String::with_capacity(phrase.len());
    for (i, token) in tokens.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&token.text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contractions() -> Contractions {
        let mut map = Contractions::new();
        map.insert("can't".into(), vec!["can".into(), "not".into()]);
        map.insert("cannot".into(), vec!["can".into(), "not".into()]);
        map.insert("im".into(), vec!["i".into(), "am".into()]);
        map
    }

    fn words(text: &str) -> Vec<String> {
        tokenize(text, &contractions()).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn lowercases_straightens_quotes_and_expands_contractions() {
        assert_eq!(words("I CAN\u{2019}T, cannot"), ["i", "can", "not", ",", "can", "not"]);
        assert_eq!(words("im sorry"), ["i", "am", "sorry"]);
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let text = "Sorry, Mar\u{ed}a\u{2019}s order";
        let tokens = tokenize(text, &contractions());
        let maria = tokens.iter().find(|t| t.text == "maria").unwrap();
        assert_eq!(&text[maria.start..maria.end], "Mar\u{ed}a\u{2019}s");
    }

    #[test]
    fn folds_compatibility_characters_and_accents() {
        assert_eq!(words("\u{FF33}\u{FF4F}\u{FF52}\u{FF52}\u{FF59}"), ["sorry"]);
        assert_eq!(words("Lucía FERNÁNDEZ, Siobhán, Zoë"), ["lucia", "fernandez", ",", "siobhan", ",", "zoe"]);
        assert_eq!(words("Yılmaz Łódź Søren Straße"), ["yilmaz", "lodz", "soren", "strasse"]);
    }

    #[test]
    fn keeps_decimals_and_collapses_punctuation_runs() {
        assert_eq!(words("It was 24.99?!"), ["it", "was", "24.99", "?"]);
        assert_eq!(words("Wait... what"), ["wait", ".", "what"]);
    }

    #[test]
    fn clauses_start_after_punctuation_and_break_words() {
        let tokens = tokenize("ok, sorry but we can not", &contractions());
        let starts = clause_starts(&tokens, |w| w == "but");
        let opening: Vec<&str> =
            tokens.iter().zip(&starts).filter(|(_, s)| **s).map(|(t, _)| t.text.as_str()).collect();
        assert_eq!(opening, ["ok", "sorry", "we"]);
    }

    #[test]
    fn masked_words_keep_their_stars_but_corrections_and_emphasis_do_not() {
        assert_eq!(words("sh*t, f***ing f***"), ["sh*t", ",", "f***ing", "f***"]);
        assert_eq!(words("sorry* **sorry**"), ["sorry", "sorry"]);
    }

    #[test]
    fn emoji_and_symbols_are_not_tokens() {
        assert_eq!(words("thanks \u{1F64F} #48213"), ["thanks", "48213"]);
    }
}
