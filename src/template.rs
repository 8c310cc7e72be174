//! `{placeholder}` templates in customer lines and feedback.
//!
//! A template is plain text with `{name}` placeholders; `{{` and `}}` stand for literal braces. The module finds
//! placeholders (so loaders can reject unknown ones with a position) and renders them from a lookup function.

/// The placeholders in `text`, each with its byte offset (of the `{`).
pub fn placeholders(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
            b'}' if bytes.get(i + 1) == Some(&b'}') => i += 2,
            b'{' => match text[i + 1..].find('}') {
                Some(close) => {
                    found.push((i, text[i + 1..i + 1 + close].trim()));
                    i += close + 2;
                }
                None => {
                    found.push((i, ""));
                    i += 1;
                }
            },
            _ => i += 1,
        }
    }
    found
}

/// Renders `text`, replacing each placeholder by `lookup(name)`; unknown names are left as written.
pub fn render(text: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
        } else if tail.starts_with('{')
            && let Some(close) = tail.find('}')
        {
            let name = tail[1..close].trim();
            match lookup(name) {
                Some(value) => out.push_str(&value),
                None => out.push_str(&tail[..=close]),
            }
            rest = &tail[close + 1..];
        } else {
            out.push_str(&tail[..1]);
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_renders_placeholders() {
        let text = "Hi {customer}, your {facts.item} {{not this}}";
        let names: Vec<&str> = placeholders(text).into_iter().map(|(_, n)| n).collect();
        assert_eq!(names, ["customer", "facts.item"]);
        let out = render(text, |n| (n == "customer").then(|| "Maria".to_string()));
        assert_eq!(out, "Hi Maria, your {facts.item} {not this}");
    }

    #[test]
    fn an_unclosed_brace_is_reported_as_an_empty_placeholder() {
        assert_eq!(placeholders("oops {facts.item"), [(5, "")]);
    }
}
