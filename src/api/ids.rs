//! The identifiers the client puts in URLs, each checked so that it is sent as exactly
//! one percent-encoded path segment.

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Characters sent as they are in a path segment or a query value: RFC 3986's
/// unreserved set. Everything else, `/`, `?`, `#`, `&`, `=` and `%` included, is
/// percent-encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A secret id that is safe to put in a URL: whatever it holds, it is sent as exactly one
/// percent-encoded path segment, so an id from state or import can never reach another
/// endpoint.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SecretId(String);

/// Why a string cannot be a secret id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidSecretId {
    /// Empty or only white space.
    Empty,
    /// `.` or `..`, which URL normalisation would turn into another path.
    DotSegment,
    /// Holds control characters, which no API id has.
    ControlCharacters,
    /// Longer than any id the API hands out.
    TooLong,
}

impl fmt::Display for InvalidSecretId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "a secret id cannot be empty",
            Self::DotSegment => "a secret id cannot be \".\" or \"..\"",
            Self::ControlCharacters => "a secret id cannot contain control characters",
            Self::TooLong => "a secret id is at most 256 characters long",
        })
    }
}

/// What keeps `id` from being one path segment, if anything. Shared by secret and
/// organization ids.
fn segment_problem(id: &str) -> Option<InvalidSecretId> {
    if id.trim().is_empty() {
        Some(InvalidSecretId::Empty)
    } else if id == "." || id == ".." {
        Some(InvalidSecretId::DotSegment)
    } else if id.chars().any(char::is_control) {
        Some(InvalidSecretId::ControlCharacters)
    } else if id.len() > 256 {
        Some(InvalidSecretId::TooLong)
    } else {
        None
    }
}

/// `text` as one percent-encoded path segment, or one query value.
pub fn encode_segment(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

impl SecretId {
    /// Checks `id` and wraps it.
    pub fn parse(id: &str) -> Result<Self, InvalidSecretId> {
        match segment_problem(id) {
            Some(problem) => Err(problem),
            None => Ok(Self(id.to_string())),
        }
    }

    /// The id as the API knows it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as one percent-encoded path segment.
    pub fn path_segment(&self) -> String {
        encode_segment(&self.0)
    }
}

/// A v3 organization id, checked like a [`SecretId`]: it is sent as exactly one
/// percent-encoded path segment, so an id like `../x` can never reach another endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgId(String);

impl OrgId {
    /// Checks `id` and wraps it; the error is a sentence for a person.
    pub fn parse(id: &str) -> Result<Self, String> {
        match segment_problem(id) {
            None => Ok(Self(id.to_string())),
            Some(InvalidSecretId::Empty) => {
                Err("the Devin API v3 needs an organization id, and none was given".into())
            }
            Some(problem) => Err(format!("the organization id {}", Self::describe(problem))),
        }
    }

    /// What makes `id` unusable as an organization id, said of it ("is empty"), or
    /// `None` when it is usable.
    pub fn problem(id: &str) -> Option<&'static str> {
        segment_problem(id).map(Self::describe)
    }

    fn describe(problem: InvalidSecretId) -> &'static str {
        match problem {
            InvalidSecretId::Empty => "is empty",
            InvalidSecretId::DotSegment => "cannot be \".\" or \"..\"",
            InvalidSecretId::ControlCharacters => "cannot contain control characters",
            InvalidSecretId::TooLong => "is longer than 256 characters",
        }
    }

    /// The id as the API knows it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as one percent-encoded path segment.
    pub fn path_segment(&self) -> String {
        encode_segment(&self.0)
    }
}

impl fmt::Display for SecretId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SecretId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretId({:?})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_one_path_segment() {
        for (id, segment) in [
            ("sec_abc123", "sec_abc123"),
            ("../x", "..%2Fx"),
            ("a/b", "a%2Fb"),
            ("?", "%3F"),
            ("#", "%23"),
            ("%2F", "%252F"),
            ("a b", "a%20b"),
            ("é", "%C3%A9"),
            ("..x", "..x"),
        ] {
            let got = SecretId::parse(id).unwrap().path_segment();
            assert_eq!(got, segment, "id {id:?}");
            assert!(!got.contains('/') && !got.contains('?') && !got.contains('#'));
        }
    }

    #[test]
    fn ids_that_cannot_be_a_segment_are_refused() {
        assert_eq!(SecretId::parse(""), Err(InvalidSecretId::Empty));
        assert_eq!(SecretId::parse("  "), Err(InvalidSecretId::Empty));
        assert_eq!(SecretId::parse("."), Err(InvalidSecretId::DotSegment));
        assert_eq!(SecretId::parse(".."), Err(InvalidSecretId::DotSegment));
        assert_eq!(
            SecretId::parse("a\nb"),
            Err(InvalidSecretId::ControlCharacters)
        );
        assert_eq!(
            SecretId::parse(&"x".repeat(300)),
            Err(InvalidSecretId::TooLong)
        );
    }

    #[test]
    fn org_ids_are_one_path_segment() {
        for (id, segment) in [
            ("org-abc123", "org-abc123"),
            ("../x", "..%2Fx"),
            ("a/b", "a%2Fb"),
            ("o?x=1#f", "o%3Fx%3D1%23f"),
            ("%2F", "%252F"),
        ] {
            let got = OrgId::parse(id).unwrap().path_segment();
            assert_eq!(got, segment, "org id {id:?}");
        }
        for bad in ["", " ", ".", "..", "a\nb"] {
            let err = OrgId::parse(bad).unwrap_err();
            assert!(err.contains("organization id"), "{bad:?}: {err}");
        }
        assert_eq!(encode_segment("a b&c=d"), "a%20b%26c%3Dd");
    }
}
