//! Values that must never be printed, and the scrubbing of text that might hold them.

use std::fmt;

/// A string that must never reach a log line, a diagnostic or a panic message: the API
/// key or a secret's value. `Debug` and `Display` print a placeholder, so a forgotten
/// `{:?}` cannot leak it; the only way to the text is [`Sensitive::expose`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Sensitive(String);

impl Sensitive {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself, for the one place that must send it (a header or a request body).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl serde::Serialize for Sensitive {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Longest excerpt of a server's answer that is ever shown to a person.
pub const EXCERPT_CHARS: usize = 200;

/// A short, printable excerpt of an HTTP body with every occurrence of `needles` (the API
/// key, the value being sent) replaced by a placeholder. Servers echo what they were sent
/// (FastAPI's 422 carries the whole `input`), so any body may hold a secret.
pub fn excerpt(body: &str, needles: &[&str]) -> String {
    let scrubbed = scrub(body, needles);
    let mut out = String::new();
    for (count, c) in scrubbed.chars().enumerate() {
        if count == EXCERPT_CHARS {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out.trim().to_string()
}

/// Replaces every occurrence of the non-trivial `needles` in `text`.
pub fn scrub(text: &str, needles: &[&str]) -> String {
    let mut out = text.to_string();
    for needle in needles {
        // A one- or two-character value would erase half the text and protect nothing.
        if needle.chars().count() >= 3 && out.contains(needle) {
            out = out.replace(needle, "<redacted>");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let s = Sensitive::new("apk_user_topsecret");
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{s}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(&s)), "Some(<redacted>)");
        assert_eq!(s.expose(), "apk_user_topsecret");
    }

    #[test]
    fn excerpt_scrubs_and_truncates() {
        let body = format!("{{\"input\":\"hunter22\",\"x\":\"{}\"}}", "a".repeat(500));
        let e = excerpt(&body, &["hunter22"]);
        assert!(!e.contains("hunter22"));
        assert!(e.contains("<redacted>"));
        assert!(e.chars().count() <= EXCERPT_CHARS + 1);
        assert!(e.ends_with('…'));
    }

    #[test]
    fn excerpt_flattens_control_characters() {
        assert_eq!(excerpt("a\nb\r\u{1b}[31mc", &[]), "a b  [31mc");
    }

    #[test]
    fn short_needles_are_not_scrubbed() {
        assert_eq!(scrub("a b", &["a", ""]), "a b");
    }
}
