//! The one place YAML is parsed.
//!
//! serde_yaml is archived upstream, so every other module goes through this one: swapping it for a maintained
//! fork is a change here only. The module owns three things:
//! - [`from_str`]: typed deserialisation with the size and shape limits that keep hostile input harmless
//!   (serde_yaml itself refuses alias bombs and nesting deeper than 128 levels);
//! - [`decode_utf8`]: bytes to text, with the line and column of the first invalid byte;
//! - [`locate`]: the line and column of a [`YamlPath`] in a document, so that a validation problem found after
//!   deserialising (a `goto` to a missing node, say) can still be reported as `file:line:col`. It re-reads the text
//!   with a marked event parser only when a problem needs a position, so the happy path parses once.

use std::fmt;

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// Largest YAML file frontline reads (4 MiB): scenarios and rubrics are a few kilobytes, so anything near this is
/// a mistake (or an attack) and is refused before parsing.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// A line and column, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line number, from 1.
    pub line: usize,
    /// Column number in characters, from 1.
    pub column: usize,
}

impl Position {
    /// The start of a file, used when nothing more precise is known.
    pub const START: Position = Position { line: 1, column: 1 };
}

/// A syntax or type error from the YAML layer, with the position it was found at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What is wrong, without the position.
    pub message: String,
    /// Where, when the parser knows.
    pub position: Position,
}

/// One step of a [`YamlPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A key of a mapping.
    Key(String),
    /// An index into a sequence, from 0.
    Index(usize),
}

/// A path from the root of a document to one value, such as `nodes.opening.then[1].goto`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct YamlPath(Vec<Segment>);

impl YamlPath {
    /// The document root.
    pub fn root() -> Self {
        YamlPath(Vec::new())
    }

    /// This path extended by a mapping key.
    pub fn key(&self, key: impl Into<String>) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Key(key.into()));
        YamlPath(segments)
    }

    /// This path extended by a sequence index.
    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Index(index));
        YamlPath(segments)
    }

    /// The steps of the path.
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }
}

impl fmt::Display for YamlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) if i == 0 => write!(f, "{key}")?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// Decodes file bytes as UTF-8, refusing oversized input first.
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, SyntaxError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(SyntaxError {
            message: format!(
                "file is too large ({:.1} MiB); frontline reads YAML files of at most {} MiB",
                bytes.len() as f64 / (1024.0 * 1024.0),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            position: Position::START,
        });
    }
    std::str::from_utf8(bytes).map_err(|err| {
        let valid = &bytes[..err.valid_up_to()];
        // The prefix is valid UTF-8 by construction.
        let text = std::str::from_utf8(valid).unwrap_or_default();
        SyntaxError {
            message: format!(
                "the file is not UTF-8 text (invalid byte 0x{:02x}); save it as UTF-8",
                bytes[err.valid_up_to()]
            ),
            position: position_at(text, text.len()),
        }
    })
}

/// Deserialises a document into `T`, with serde_yaml's limits on aliases and nesting.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, SyntaxError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(decode_utf8(text.as_bytes())
            .err()
            .unwrap_or(SyntaxError { message: "file is too large".into(), position: Position::START }));
    }
    if text.trim().is_empty() {
        return Err(SyntaxError { message: "the file is empty".into(), position: Position::START });
    }
    serde_yaml::from_str(text).map_err(|err| {
        let message = clean_message(&err.to_string());
        let reported = err
            .location()
            .map(|location| Position { line: location.line().max(1), column: location.column().max(1) })
            .unwrap_or(Position::START);
        // A repeated key is reported where its mapping starts; point at the repetition instead.
        let position = duplicate_key_in(&message).and_then(|key| locate_repeated_key(text, key)).unwrap_or(reported);
        SyntaxError { message, position }
    })
}

/// Serialises a value as YAML text (for files frontline writes, such as transcripts).
pub fn to_string<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|err| err.to_string())
}

/// serde_yaml appends " at line L column C" (the position is reported separately) and names serde's
/// internals in a few messages; keep what a trainer can act on.
fn clean_message(message: &str) -> String {
    let message = match message.rfind(" at line ") {
        Some(cut) => &message[..cut],
        None => message,
    };
    let mut message = message.replace("repetition limit exceeded", "too many aliases expanded (an alias bomb?)");
    message = message.replace("recursion limit exceeded", "the document is nested too deeply");
    for (rust, plain) in [
        ("expected usize", "expected a whole number"),
        ("expected u64", "expected a whole number"),
        ("expected u8", "expected a whole number"),
        ("expected i32", "expected a whole number (+ or -)"),
        ("expected f64", "expected a number"),
        ("expected a string", "expected text"),
        ("expected a sequence", "expected a list"),
        ("expected struct ", "expected a mapping: "),
    ] {
        message = message.replace(rust, plain);
    }
    message
}

/// The message prefix for a key written twice in one mapping.
pub const DUPLICATE_ID: &str = "duplicate id \"";

/// The key named by a `duplicate id "KEY"` message (see [`crate::serde_forms::OrderedMap`]).
fn duplicate_key_in(message: &str) -> Option<&str> {
    let rest = &message[message.find(DUPLICATE_ID)? + DUPLICATE_ID.len()..];
    rest.split('"').next()
}

/// Where `key` appears for the second time in one mapping.
fn locate_repeated_key(text: &str, key: &str) -> Option<Position> {
    let mut builder = TreeBuilder::default();
    Parser::new_from_str(text).load(&mut builder, false).ok()?;
    let mut pending = vec![builder.root?];
    while let Some(node) = pending.pop() {
        match node.kind {
            Kind::Map(entries) => {
                let mut seen = false;
                for (k, v) in entries {
                    if matches!(&k.kind, Kind::Scalar(s) if s == key) {
                        if seen {
                            return Some(Position { line: k.mark.line(), column: k.mark.col() + 1 });
                        }
                        seen = true;
                    }
                    pending.push(v);
                }
            }
            Kind::Seq(items) => pending.extend(items),
            Kind::Scalar(_) | Kind::Alias => {}
        }
    }
    None
}

/// The line and column of a byte offset in `text`.
pub fn position_at(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position { line, column: before[line_start..].chars().count() + 1 }
}

/// Finds where `path` points in `text` (see [`Locator::position`]). Returns `None` only when the text does not parse.
pub fn locate(text: &str, path: &YamlPath) -> Option<Position> {
    Locator::new(text)?.position(path)
}

/// A document parsed once (with positions) to locate many paths in it.
pub struct Locator {
    root: Node,
}

impl Locator {
    /// Parses `text`; `None` when it does not parse.
    pub fn new(text: &str) -> Option<Locator> {
        let mut builder = TreeBuilder::default();
        Parser::new_from_str(text).load(&mut builder, false).ok()?;
        builder.root.map(|root| Locator { root })
    }

    /// Where `path` points: the value at the path, or the deepest part of it that exists (so a missing field is
    /// reported at its parent). A collection is reported where its key stands (`opening:`), a scalar where its
    /// value starts.
    pub fn position(&self, path: &YamlPath) -> Option<Position> {
        let mut node = &self.root;
        let mut position = node.mark;
        for segment in path.segments() {
            let child = match (&node.kind, segment) {
                (Kind::Map(entries), Segment::Key(key)) => entries
                    .iter()
                    .find(|(k, _)| matches!(&k.kind, Kind::Scalar(s) if s == key))
                    .map(|(k, v)| (if matches!(v.kind, Kind::Scalar(_)) { v.mark } else { k.mark }, v)),
                (Kind::Seq(items), Segment::Index(index)) => items.get(*index).map(|item| (item.mark, item)),
                _ => None,
            };
            match child {
                Some((mark, child)) => {
                    position = mark;
                    node = child;
                }
                None => break,
            }
        }
        Some(Position { line: position.line(), column: position.col() + 1 })
    }
}

/// A YAML node with its position; aliases are kept as leaves, never expanded.
#[derive(Debug, Clone)]
struct Node {
    mark: Marker,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
    Alias,
}

/// Builds a [`Node`] tree from marked events with an explicit stack (no recursion).
#[derive(Default)]
struct TreeBuilder {
    stack: Vec<(Node, Option<Node>)>,
    root: Option<Node>,
}

impl TreeBuilder {
    fn push_value(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some((parent, pending_key)) => match &mut parent.kind {
                Kind::Seq(items) => items.push(node),
                Kind::Map(entries) => match pending_key.take() {
                    Some(key) => entries.push((key, node)),
                    None => *pending_key = Some(node),
                },
                Kind::Scalar(_) | Kind::Alias => {}
            },
        }
    }
}

impl MarkedEventReceiver for TreeBuilder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => self.push_value(Node { mark, kind: Kind::Scalar(value) }),
            Event::Alias(_) => self.push_value(Node { mark, kind: Kind::Alias }),
            Event::SequenceStart(..) => self.stack.push((Node { mark, kind: Kind::Seq(Vec::new()) }, None)),
            Event::MappingStart(..) => self.stack.push((Node { mark, kind: Kind::Map(Vec::new()) }, None)),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((mut node, _)) = self.stack.pop() {
                    // A block mapping's start mark follows its first key; its first key is where a reader looks.
                    if let Kind::Map(entries) = &node.kind
                        && let Some((first_key, _)) = entries.first()
                    {
                        node.mark = first_key.mark;
                    }
                    self.push_value(node);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        name: String,
        items: Vec<u32>,
    }

    #[test]
    fn unknown_field_is_reported_at_its_line() {
        let err = from_str::<Doc>("name: a\nitems: [1]\nnmae: b\n").unwrap_err();
        assert!(err.message.contains("unknown field `nmae`"), "{}", err.message);
        assert_eq!(err.position.line, 3);
        assert!(!err.message.contains(" at line "), "{}", err.message);
    }

    #[test]
    fn wrong_type_names_the_field() {
        let err = from_str::<Doc>("name: a\nitems: [1, x]\n").unwrap_err();
        assert!(err.message.contains("items"), "{}", err.message);
        assert_eq!(err.position.line, 2);
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 0..9 {
            let prev = if level == 0 { "a".to_string() } else { format!("l{}", level - 1) };
            text.push_str(&format!("l{level}: &l{level} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let err = from_str::<serde_yaml::Value>(&text).unwrap_err();
        assert!(err.message.contains("alias"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = from_str::<serde_yaml::Value>(&text).unwrap_err();
        assert!(err.message.contains("nested too deeply"), "{}", err.message);
    }

    #[test]
    fn invalid_utf8_reports_the_byte_position() {
        let err = decode_utf8(b"id: ok\ntitle: caf\xff\n").unwrap_err();
        assert_eq!(err.position, Position { line: 2, column: 11 });
        assert!(err.message.contains("0xff"));
    }

    #[test]
    fn oversized_input_is_refused_before_parsing() {
        let big = vec![b'a'; MAX_FILE_BYTES + 1];
        assert!(decode_utf8(&big).unwrap_err().message.contains("too large"));
    }

    #[test]
    fn locate_finds_nested_values_and_falls_back_to_the_parent() {
        let text = "nodes:\n  opening:\n    then:\n      - goto: options\n      - else: { goto: nowhere }\n";
        let path = YamlPath::root().key("nodes").key("opening").key("then").index(1).key("else").key("goto");
        assert_eq!(locate(text, &path), Some(Position { line: 5, column: 23 }));
        let missing = YamlPath::root().key("nodes").key("opening").key("say");
        assert_eq!(locate(text, &missing), Some(Position { line: 2, column: 3 }));
        assert_eq!(path.to_string(), "nodes.opening.then[1].else.goto");
    }

    #[test]
    fn position_at_counts_characters_not_bytes() {
        assert_eq!(position_at("é\nab", 4), Position { line: 2, column: 2 });
    }
}
