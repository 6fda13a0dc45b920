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

/// Everything an encoder rewrites: a quote, a backslash, a slash, a space, a newline, a
/// tab, a letter outside ASCII and one outside the BMP.
const VALUE: &str = "pa\"ss\\w/\u{f6}rd x\n\t\u{1F600}-end";

fn serde_escaped(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap();
    quoted[1..quoted.len() - 1].to_string()
}

/// `body` scrubbed of [`VALUE`]: exactly `expected`.
fn scrubs_to(body: &str, expected: &str) {
    let out = scrub(body, &[VALUE]);
    assert!(
        !out.contains("-end"),
        "a part of the value survived in {:?}",
        out.replace("-end", "-<TAIL>")
    );
    assert_eq!(out, expected, "scrubbing {body:?}");
}

#[test]
fn json_escaped_values_are_scrubbed() {
    // As serde_json, Go and JavaScript write it: `"`, `\`, controls escaped.
    let body = format!(
        r#"{{"echo":{{"value":"{}","key":"K"}}}}"#,
        serde_escaped(VALUE)
    );
    scrubs_to(&body, r#"{"echo":{"value":"<redacted>","key":"K"}}"#);
    // As Python and PHP write it: ASCII only, surrogate pairs, `\/`.
    let body = format!(r#"{{"value":"{}"}}"#, json_ascii(VALUE));
    assert!(body.contains(r"\ud83d\ude00") && body.contains(r"\/"));
    scrubs_to(&body, r#"{"value":"<redacted>"}"#);
    // Upper-case hex digits, and escapes where none are needed.
    let body = format!(
        "x {} y",
        json_ascii(VALUE)
            .replace("\\u00f6", "\\u00F6")
            .replacen('p', "\\u0070", 1)
            .replacen('a', "\\x61", 1)
    );
    scrubs_to(&body, "x <redacted> y");
    // Escaped twice: a JSON `detail` quoting a JSON body.
    let body =
        serde_json::json!({ "detail": format!("bad {{\"value\":\"{}\"}}", serde_escaped(VALUE)) })
            .to_string();
    scrubs_to(&body, r#"{"detail":"bad {\"value\":\"<redacted>\"}"}"#);
    // And three times.
    let thrice = serde_escaped(&serde_escaped(&serde_escaped(VALUE)));
    scrubs_to(&format!("[{thrice}]"), "[<redacted>]");
}

#[test]
fn percent_and_form_encoded_values_are_scrubbed() {
    let encoded = percent_encoding::utf8_percent_encode(VALUE, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    scrubs_to(
        &format!("GET /x?value={encoded}&k=1"),
        "GET /x?value=<redacted>&k=1",
    );
    scrubs_to(
        &format!("value={}&k=1", encoded.replace("%20", "+").to_lowercase()),
        "value=<redacted>&k=1",
    );
    // JSON in a query string: percent-encoded JSON escapes.
    let json = percent_encoding::utf8_percent_encode(
        &serde_escaped(VALUE),
        percent_encoding::NON_ALPHANUMERIC,
    )
    .to_string();
    scrubs_to(&format!("q={json}"), "q=<redacted>");
}

#[test]
fn html_escaped_values_are_scrubbed() {
    let named = VALUE.replace('"', "&quot;");
    scrubs_to(&format!("<p>{named}</p>"), "<p><redacted></p>");
    let numeric = VALUE
        .replace('"', "&#34;")
        .replace('\\', "&#x5C;")
        .replace('\u{f6}', "&#246;");
    scrubs_to(&format!("<p>{numeric}</p>"), "<p><redacted></p>");
    // HTML around JSON.
    let both = serde_escaped(VALUE).replace('"', "&quot;");
    scrubs_to(&format!("<pre>{both}</pre>"), "<pre><redacted></pre>");
}

#[test]
fn base64_values_are_scrubbed_at_any_alignment() {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    use base64::Engine;
    let out = scrub(&format!("b64={}", STANDARD.encode(VALUE)), &[VALUE]);
    assert!(out.starts_with("b64=<redacted>"), "{out}");
    assert!(out.len() < 20, "{out}");
    // The value inside a whole base64 JSON body, wherever it falls in the groups of 3.
    for prefix in ["", "x", "xy", "xyz"] {
        let body = format!(
            r#"{{"key":"K{prefix}","value":"{}"}}"#,
            serde_escaped(VALUE)
        );
        for encoded in [STANDARD.encode(&body), URL_SAFE_NO_PAD.encode(&body)] {
            let out = scrub(&encoded, &[VALUE]);
            assert!(out.contains(PLACEHOLDER), "{prefix:?}: {out}");
            // All the value's base64 went, but for a character at each end that
            // also holds bytes around it.
            let gone = encoded.len() - out.replace(PLACEHOLDER, "").len();
            let value_chars = 4 * serde_escaped(VALUE).len() / 3;
            assert!(gone >= value_chars - 2, "{prefix:?}: {out}");
        }
    }
}

#[test]
fn raw_values_and_keys_are_still_scrubbed() {
    scrubs_to(&format!("a {VALUE} b {VALUE}"), "a <redacted> b <redacted>");
    assert_eq!(
        scrub("Bearer apk_user_x1y2 failed", &["apk_user_x1y2", VALUE]),
        "Bearer <redacted> failed"
    );
    // Overlapping occurrences are one redaction.
    assert_eq!(scrub("xababay", &["aba"]), "x<redacted>y");
}

#[test]
fn text_without_the_value_is_left_alone() {
    for text in [
        r#"{"detail":"Secret not found","path":"C:\new\x","pct":"100%","q":"a+b"}"#,
        "lone \\uD800 and \\uDC00, bad \\x, \\u12, %E9%, %zz, &#xZZZ; &amp &;",
        "end with an escape \\",
        "é ü 😀 \u{0}",
    ] {
        assert_eq!(scrub(text, &[VALUE, "apk_key"]), text);
        assert_eq!(scrub(text, &[]), text);
    }
}

#[test]
fn odd_escapes_around_a_value_do_not_hide_it() {
    // A lone surrogate and an invalid UTF-8 byte just before the value.
    let body = format!("\\uD800%FF{}", serde_escaped(VALUE));
    scrubs_to(&body, "\\uD800%FF<redacted>");
}

#[test]
fn long_bodies_are_described_not_quoted() {
    let body = format!("{}{VALUE}", "x".repeat(SCRUBBED_BYTES));
    assert_eq!(
        excerpt(&body, &[VALUE]),
        format!("({} bytes, too long to quote)", body.len())
    );
    let fits = "y".repeat(SCRUBBED_BYTES);
    assert!(excerpt(&fits, &[VALUE]).starts_with("yyy"));
}

#[test]
fn excerpts_of_echoed_requests_hold_no_part_of_the_value() {
    let body = format!(
        r#"{{"error":"bad","request":{{"value":"{}","key":"K"}}}}"#,
        json_ascii(VALUE)
    );
    let e = excerpt(&body, &[VALUE]);
    assert_eq!(
        e,
        r#"{"error":"bad","request":{"value":"<redacted>","key":"K"}}"#
    );
}
