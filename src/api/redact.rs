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

/// Longest text [`excerpt`] quotes at all. A longer one is described, not quoted: its
/// excerpt would be its first 200 characters, and scrubbing a cut text is not safe (a value
/// that straddles the cut is only partly there, and a partial match is no match).
pub const SCRUBBED_BYTES: usize = 64 * 1024;

/// What a redacted value becomes.
pub const PLACEHOLDER: &str = "<redacted>";

/// A short, printable excerpt of an HTTP body with every occurrence of `hidden` (the API
/// key, the value being sent) replaced by a placeholder, in whatever encoding it takes
/// (see [`scrub`]). Servers echo what they were sent (FastAPI's 422 carries the whole
/// `input`), so any body may hold a secret.
pub fn excerpt(body: &str, hidden: &[&str]) -> String {
    if body.len() > SCRUBBED_BYTES {
        return format!("({} bytes, too long to quote)", body.len());
    }
    let scrubbed = scrub(body, hidden);
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

/// Replaces every occurrence of the non-trivial `hidden` (three characters or more) in
/// `text`, raw or encoded.
///
/// A server that echoes a request rarely echoes it as it was sent. A JSON API quotes it
/// JSON-escaped (`pa\"ss\\word\n`, with `\u00f6` and surrogate pairs from encoders that
/// write ASCII only, `\/` from PHP's); a proxy quotes a form or a URL percent-encoded; an
/// HTML error page, HTML-escaped; and the encodings nest (a JSON `detail` that quotes a JSON
/// body escapes it twice). Searching for a list of encoded forms of a value would miss any
/// mix of them: encoders differ in what they escape, character by character. So the text
/// is decoded instead, not the value encoded. It is read as up to [`LAYERS`] layers, each
/// the one before with every escape it recognises decoded (JSON and Python backslash
/// escapes, `%XX` runs as UTF-8, HTML character references; a `+` may stand for a space),
/// each decoded character remembering the span of the original text it came from. A match
/// of a hidden text in any layer redacts the whole span of original text behind it.
///
/// Base64 cannot be decoded in place (where it starts is unknown), so it is searched for
/// the other way round: the hidden text's base64 at each of the three byte alignments,
/// in the standard and the URL alphabets, of the hidden text and of its JSON-escaped
/// forms (a base64 of a whole JSON request body holds those), when that is at least six
/// characters long.
///
/// What no scrubbing catches is a value the server changed (cut short, hashed,
/// re-cased): callers therefore quote, from a JSON body, only the fields meant for a
/// person (`detail`, a 422's `msg`, `loc` and `type`, never its `input`), and at most
/// [`EXCERPT_CHARS`] of it.
pub fn scrub(text: &str, hidden: &[&str]) -> String {
    let patterns = patterns(hidden);
    if patterns.is_empty() {
        return text.to_string();
    }
    let mut layer: Vec<Unit> = text
        .char_indices()
        .map(|(start, ch)| Unit {
            ch,
            start,
            end: start + ch.len_utf8(),
            plus: ch == '+',
        })
        .collect();
    let mut spans = Vec::new();
    for depth in 0..LAYERS {
        for pattern in &patterns {
            find(&layer, pattern, &mut spans);
        }
        if depth + 1 < LAYERS {
            match decode(&layer) {
                Some(next) => layer = next,
                None => break,
            }
        }
    }
    replace_spans(text, spans)
}

/// How many readings of a text [`scrub`] searches: the text itself, and up to three
/// nested decodings of it.
pub const LAYERS: usize = 4;

/// One character of a layer, and the bytes of the original text it stands for.
#[derive(Clone, Copy, Debug)]
struct Unit {
    ch: char,
    start: usize,
    end: usize,
    /// A `+` of the original text: a space, in a form-encoded text.
    plus: bool,
}

/// The character sequences searched for: each hidden text, and its base64 fragments.
fn patterns(hidden: &[&str]) -> Vec<Vec<char>> {
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    use base64::Engine;
    let mut out: Vec<Vec<char>> = Vec::new();
    let mut push = |p: Vec<char>| {
        if !out.contains(&p) {
            out.push(p);
        }
    };
    for secret in hidden {
        // A one- or two-character value would erase half the text and protect nothing.
        if secret.chars().count() < 3 {
            continue;
        }
        push(secret.chars().collect());
        let json = serde_json::to_string(secret).unwrap_or_default();
        let json = json
            .get(1..json.len().saturating_sub(1))
            .unwrap_or_default();
        for form in [secret.to_string(), json.to_string(), json_ascii(secret)] {
            for offset in 0..3usize {
                let mut bytes = vec![0u8; offset];
                bytes.extend_from_slice(form.as_bytes());
                // Characters that depend on the form's bytes alone: not the first ones,
                // which also hold the bytes before it, nor a last one that holds the
                // bytes after it.
                let first = (8 * offset).div_ceil(6);
                let last = 8 * bytes.len() / 6;
                for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
                    let encoded: Vec<char> = engine.encode(&bytes).chars().collect();
                    if last >= first + 6 && last <= encoded.len() {
                        push(encoded[first..last].to_vec());
                    }
                }
            }
        }
    }
    out
}

/// `text` as JSON string contents written by an encoder that escapes all but printable
/// ASCII (Python's `json.dumps`, PHP's `json_encode`): `\uXXXX` with surrogate pairs,
/// and `\/`.
fn json_ascii(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
        }
    }
    out
}

/// Records the original span of every occurrence of `pattern` in `layer`, overlapping ones
/// included.
fn find(layer: &[Unit], pattern: &[char], spans: &mut Vec<(usize, usize)>) {
    let m = pattern.len();
    if m == 0 || layer.len() < m {
        return;
    }
    let fits = |u: &Unit, c: char| u.ch == c || (c == ' ' && u.plus);
    for i in 0..=layer.len() - m {
        if layer[i..i + m]
            .iter()
            .zip(pattern)
            .all(|(u, &c)| fits(u, c))
        {
            spans.push((layer[i].start, layer[i + m - 1].end));
        }
    }
}

/// `text` with the union of `spans` replaced by [`PLACEHOLDER`], once per run.
fn replace_spans(text: &str, mut spans: Vec<(usize, usize)>) -> String {
    if spans.is_empty() {
        return text.to_string();
    }
    spans.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut run: Option<(usize, usize)> = None;
    for (start, end) in spans {
        match run {
            Some((s, e)) if start <= e => run = Some((s, e.max(end))),
            _ => {
                if let Some((s, e)) = run {
                    out.push_str(&text[at..s]);
                    out.push_str(PLACEHOLDER);
                    at = e;
                }
                run = Some((start, end));
            }
        }
    }
    if let Some((s, e)) = run {
        out.push_str(&text[at..s]);
        out.push_str(PLACEHOLDER);
        at = e;
    }
    out.push_str(&text[at..]);
    out
}

/// The layer under `layer`: every escape it recognises decoded. `None` when it holds none.
fn decode(layer: &[Unit]) -> Option<Vec<Unit>> {
    let mut out = Vec::with_capacity(layer.len());
    let mut changed = false;
    let mut i = 0;
    while i < layer.len() {
        let rest = &layer[i..];
        let used = match rest[0].ch {
            '%' => percent_run(rest, &mut out),
            '\\' | '&' => {
                let escape = if rest[0].ch == '&' {
                    character_reference(rest)
                } else {
                    backslash_escape(rest)
                };
                escape.map(|(ch, used)| {
                    out.push(Unit {
                        ch,
                        start: rest[0].start,
                        end: rest[used - 1].end,
                        plus: false,
                    });
                    used
                })
            }
            _ => None,
        };
        match used {
            Some(used) => {
                changed = true;
                i += used;
            }
            None => {
                out.push(rest[0]);
                i += 1;
            }
        }
    }
    changed.then_some(out)
}

fn hex_value(units: &[Unit]) -> Option<u32> {
    let mut value = 0;
    for u in units {
        value = value * 16 + u.ch.to_digit(16)?;
    }
    Some(value)
}

/// A JSON (or Python, or JavaScript) backslash escape at the start of `units`: the
/// character, and how many units it took.
fn backslash_escape(units: &[Unit]) -> Option<(char, usize)> {
    let ch = match units.get(1)?.ch {
        c @ ('"' | '\\' | '/' | '\'') => c,
        'b' => '\u{8}',
        'f' => '\u{c}',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'x' => return Some((char::from_u32(hex_value(units.get(2..4)?)?)?, 4)),
        'u' => {
            let unit = hex_value(units.get(2..6)?)?;
            if (0xD800..0xDC00).contains(&unit) {
                // A high surrogate: a character only with the low one after it.
                let low = units.get(6..12)?;
                if low[0].ch != '\\' || low[1].ch != 'u' {
                    return None;
                }
                let low = hex_value(&low[2..])?;
                if !(0xDC00..0xE000).contains(&low) {
                    return None;
                }
                let c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                return Some((char::from_u32(c)?, 12));
            }
            return Some((char::from_u32(unit)?, 6));
        }
        _ => return None,
    };
    Some((ch, 2))
}

/// A run of `%XX` at the start of `units`, decoded as UTF-8 into `out`; bytes that are not
/// UTF-8 keep their `%XX`. How many units it took.
fn percent_run(units: &[Unit], out: &mut Vec<Unit>) -> Option<usize> {
    let mut bytes = Vec::new();
    while let Some(triple) = units.get(3 * bytes.len()..3 * bytes.len() + 3) {
        match (triple[0].ch, hex_value(&triple[1..])) {
            ('%', Some(b)) => bytes.push(b as u8),
            _ => break,
        }
    }
    if bytes.is_empty() {
        return None;
    }
    let mut at = 0; // bytes consumed
    for chunk in bytes.utf8_chunks() {
        for ch in chunk.valid().chars() {
            let n = ch.len_utf8();
            out.push(Unit {
                ch,
                start: units[3 * at].start,
                end: units[3 * (at + n) - 1].end,
                plus: false,
            });
            at += n;
        }
        let raw = chunk.invalid().len();
        out.extend_from_slice(&units[3 * at..3 * (at + raw)]);
        at += raw;
    }
    Some(3 * bytes.len())
}

/// An HTML character reference at the start of `units`: `&quot;`, `&#34;`, `&#x22;`…
fn character_reference(units: &[Unit]) -> Option<(char, usize)> {
    let end = units.iter().take(10).position(|u| u.ch == ';')?;
    let name: String = units[1..end].iter().map(|u| u.ch).collect();
    let ch = match name.as_str() {
        "quot" => '"',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "apos" => '\'',
        "sol" => '/',
        "bsol" => '\\',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((ch, end + 1))
}

#[cfg(test)]
mod tests;
