//! Reply scripts: the `--replies FILE|-` input of a scripted attempt.
//!
//! A script is either one reply per line (an empty line is silence: letting the customer talk) or a YAML list of
//! strings. It is read as YAML when the file ends in `.yaml`/`.yml` or its first non-blank line starts with
//! `- `, `[` or `---`. Bad input (not UTF-8, too long, not a list) is one error with the line it is on.

use crate::signals::MAX_REPLY_BYTES;
use crate::yaml;

/// The largest script read, in bytes.
pub const MAX_SCRIPT_BYTES: usize = 4 * 1024 * 1024;

/// A script that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}:{line}: {message}")]
pub struct ScriptError {
    /// The file name (or `<stdin>`).
    pub name: String,
    /// The line, from 1.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Parses a script named `name` (for messages) from raw bytes.
pub fn parse(name: &str, bytes: &[u8]) -> Result<Vec<String>, ScriptError> {
    let fail = |line: usize, message: String| ScriptError { name: name.to_string(), line, message };
    if bytes.len() > MAX_SCRIPT_BYTES {
        return Err(fail(
            1,
            format!("the script is larger than {} KiB; a scenario needs far fewer replies", MAX_SCRIPT_BYTES / 1024),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        fail(line, "the replies are not UTF-8 text (binary data?)".into())
    })?;
    if text.contains('\0') {
        let line = text[..text.find('\0').unwrap_or(0)].matches('\n').count() + 1;
        return Err(fail(line, "the replies contain a NUL byte (binary data?)".into()));
    }
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim_start();
    let looks_yaml = name.ends_with(".yaml")
        || name.ends_with(".yml")
        || first.starts_with("- ")
        || first == "-"
        || first.starts_with('[')
        || first.starts_with("---");
    let replies: Vec<String> = if looks_yaml {
        yaml::from_str::<Vec<Option<String>>>(text)
            .map_err(|e| fail(e.position.line, format!("{} (a YAML script is a list of strings)", e.message)))?
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect()
    } else {
        text.lines().map(|l| l.strip_suffix('\r').unwrap_or(l).to_string()).collect()
    };
    for (i, reply) in replies.iter().enumerate() {
        if reply.len() > MAX_REPLY_BYTES {
            let line = if looks_yaml { 1 } else { i + 1 };
            return Err(fail(
                line,
                format!("reply {} is {} bytes; a reply is at most {} bytes", i + 1, reply.len(), MAX_REPLY_BYTES),
            ));
        }
    }
    Ok(replies)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_with_empty_silence() {
        assert_eq!(parse("r.txt", b"\nI'm sorry\r\n\nok\n").unwrap(), ["", "I'm sorry", "", "ok"]);
    }

    #[test]
    fn yaml_lists_by_extension_or_shape() {
        assert_eq!(parse("-", b"- \"\"\n- I'm sorry, Maria\n-\n").unwrap(), ["", "I'm sorry, Maria", ""]);
        assert_eq!(parse("r.yaml", b"[a, b]").unwrap(), ["a", "b"]);
        assert!(parse("r.yaml", b"not: a list").unwrap_err().message.contains("list of strings"));
    }

    #[test]
    fn binary_and_huge_input_are_refused() {
        assert_eq!(parse("-", b"ok\n\xff\xfe").unwrap_err().line, 2);
        assert!(parse("-", b"a\0b").unwrap_err().message.contains("NUL"));
        let long = "x".repeat(MAX_REPLY_BYTES + 1);
        let err = parse("-", format!("ok\n{long}\n").as_bytes()).unwrap_err();
        assert_eq!((err.line, err.message.contains("at most")), (2, true));
    }
}
