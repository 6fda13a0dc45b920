//! End to end: neither the secret value nor the API key ever shows up in output or logs,
//! in any encoding a server's answer may carry it, on the Devin API v1 and v3 under every
//! CLI.

mod common;

use common::faults::{context, fault, one_secret};
use common::{cases, squash, Api};
use devin_api_standin::Budget;

#[test]
fn trace_logs_and_output_never_hold_the_value_or_the_key() {
    const VALUE: &str = "VALUE_LEAKCHECK_1a2b3c4d";
    for (tool, api) in cases() {
        let what = format!("{} {}", tool.name, api.name());
        let secret_key = match api {
            Api::V1 => "apk_user_LEAKCHECK_9f8e7d6c",
            Api::V3 => "cog_LEAKCHECK_9f8e7d6c",
        };
        let (standin, mut wd) = common::start_api_with(&tool, api, api.config_with_key(secret_key));
        wd.set_env("DEVIN_API_KEY", secret_key);
        let log = wd.path().join("trace.log");
        wd.set_env("TF_LOG", "trace");
        wd.set_env("TF_LOG_PATH", log.to_str().unwrap());
        // As users do: the value comes from a sensitive variable, so Terraform's own
        // rendering of the configuration never shows it either.
        wd.set_env("TF_VAR_secret_value", VALUE);
        wd.write(
            "main.tf",
            &one_secret(
                "provider \"devin\" {}\nvariable \"secret_value\" {\n  type      = string\n  sensitive = true\n}",
                "${var.secret_value}",
            ),
        );
        let echo = format!(
            r#"{{"detail":[{{"loc":["body","value"],"msg":"Value rejected","type":"value_error","input":{{"value":"{VALUE}","key":"{secret_key}"}}}}]}}"#
        );
        standin.push_fault(fault(
            api,
            422,
            None,
            Some(&echo),
            "POST",
            Budget::Next { count: 1 },
        ));
        standin.push_fault(fault(
            api,
            503,
            Some("0"),
            Some(&format!("upstream saw {VALUE} and {secret_key}")),
            "GET",
            Budget::Next { count: 1 },
        ));
        let mut outputs = vec![wd.apply().output()];
        standin.push_fault(fault(
            api,
            500,
            None,
            Some(&format!("boom {secret_key} {VALUE}")),
            "POST",
            Budget::Next { count: 1 },
        ));
        outputs.push(wd.apply().output());
        outputs.push(wd.apply().output());
        standin.push_fault(fault(
            api,
            500,
            None,
            Some(&format!("{{\"detail\":\"{VALUE}\"}}")),
            "DELETE",
            Budget::Next { count: 1 },
        ));
        outputs.push(wd.destroy().output());
        outputs.push(wd.run(&["show", "-no-color"]).output());
        assert_eq!(standin.secrets().len(), 0, "{what}: destroyed in the end");
        let logs = std::fs::read_to_string(&log).expect("trace log");
        assert!(
            logs.contains(&format!("GET {}", api.secrets_path())),
            "{what}: the provider's own debug lines are in the trace"
        );
        for (place, text) in outputs
            .iter()
            .map(|o| ("output", o))
            .chain([("trace log", &logs)])
        {
            assert!(
                !text.contains(VALUE),
                "{what}: the value is in the {place}: {}",
                context(text, VALUE)
            );
            assert!(
                !text.contains(secret_key),
                "{what}: the API key is in the {place}: {}",
                context(text, secret_key)
            );
        }
        assert!(
            outputs[0].contains("Value rejected"),
            "{what}: {}",
            outputs[0]
        );
    }
}

/// A value with everything an encoder rewrites: a quote, a backslash, a slash, a space, a
/// newline, a tab, a Latin letter outside ASCII and an emoji outside the BMP (a surrogate
/// pair in `\u` escapes).
const TRICKY_VALUE: &str = "pa\"ss\\w/\u{f6}rd x\n\t\u{1F600}-LEAK7q";

/// The part of [`TRICKY_VALUE`] that no encoding here rewrites: a leak of any part of the
/// value that keeps it is caught even in an encoding the test does not list.
const TRICKY_TAIL: &str = "LEAK7q";

fn b64(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..=chunk.len() {
            out.push(alphabet[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
        if pad {
            out.push_str(&"=".repeat(3 - chunk.len()));
        }
    }
    out
}

const B64_STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// JSON string contents with every non-ASCII character as `\uXXXX` (surrogate pairs past
/// the BMP) and `/` as `\/`, as PHP's and Python's encoders write them.
fn json_ascii(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
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

/// JSON string contents as serde_json (and Go, and JavaScript) write them.
fn json_plain(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap();
    quoted[1..quoted.len() - 1].to_string()
}

/// Every encoding of `value` a server's answer might carry.
fn encodings(value: &str) -> Vec<(&'static str, String)> {
    let json = json_plain(value);
    let form = percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    let html: String = value
        .chars()
        .map(|c| match c {
            '"' => "&quot;".to_string(),
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '\'' => "&#39;".to_string(),
            c => c.to_string(),
        })
        .collect();
    vec![
        ("raw", value.to_string()),
        ("JSON-escaped", json.clone()),
        ("JSON-escaped, ASCII only", json_ascii(value)),
        ("JSON-escaped twice", json_plain(&json)),
        ("percent-encoded", form.clone()),
        ("form-encoded", form.replace("%20", "+")),
        ("HTML-escaped", html),
        ("base64", b64(value.as_bytes(), B64_STD, true)),
        ("base64url", b64(value.as_bytes(), B64_URL, false)),
    ]
}

/// Where `texts` hold `value` in some encoding: the encoding and the place, never the text
/// around it, which could hold part of the value. Terraform wraps diagnostics at spaces,
/// so white space is compared squashed.
fn leaks_of(value: &str, texts: &[(String, &str)]) -> Vec<String> {
    let mut found = Vec::new();
    for (what, text) in texts {
        let text = squash(text);
        for (encoding, needle) in encodings(value)
            .iter()
            .chain(&[("its tail", TRICKY_TAIL.to_string())])
        {
            if let Some(at) = text.find(&squash(needle)) {
                found.push(format!(
                    "the value, {encoding}, is in the {what} at character {}",
                    text[..at].chars().count()
                ));
            }
        }
    }
    found
}

#[test]
fn a_value_echoed_in_any_encoding_never_reaches_output_or_logs() {
    for (tool, api) in cases() {
        value_echoed_in_any_encoding(&tool, api);
    }
}

fn value_echoed_in_any_encoding(tool: &common::Tool, api: Api) {
    let who = format!("{} {}", tool.name, api.name());
    let value = TRICKY_VALUE;
    let json = json_plain(value);
    // The request as this version sends it, for the answers that quote it.
    let request = format!(
        r#"{{"type":"key-value","key":"ERR_KEY","value":"{json}","{}":true,"note":""}}"#,
        api.sensitive_field()
    );
    let all = encodings(value);
    let enc = |name: &str| all.iter().find(|(n, _)| *n == name).unwrap().1.clone();
    // (status, body, what the diagnostic still shows): every body echoes the request.
    let answers: Vec<(u16, String, &str)> = vec![
        // JSON without FastAPI's `detail`: quoted as an excerpt of the raw text.
        (
            400,
            format!(r#"{{"error":"bad request","echo":{{"value":"{json}","key":"ERR_KEY"}}}}"#),
            "HTTP 400",
        ),
        // Text quoting the request as PHP or Python encode JSON.
        (
            400,
            format!(
                r#"rejected {{"value":"{}"}}"#,
                enc("JSON-escaped, ASCII only")
            ),
            "HTTP 400: rejected",
        ),
        // A `detail` that quotes the JSON request: JSON-escaped twice in the body.
        (
            400,
            serde_json::json!({ "detail": format!("conflict with {request}") }).to_string(),
            "conflict with",
        ),
        // A 422 whose `msg` quotes the value, JSON-escaped.
        (
            422,
            serde_json::json!({"detail": [{"loc": ["body", "value"], "type": "value_error",
                "msg": format!("Value error, \"{json}\" is not allowed")}]})
            .to_string(),
            "is not allowed",
        ),
        (
            400,
            format!("bad form: key=ERR_KEY&value={}", enc("form-encoded")),
            "HTTP 400: bad form",
        ),
        (
            400,
            format!("<p>value=&quot;{}&quot;</p>", enc("HTML-escaped")),
            "HTTP 400: <p>value=",
        ),
        (
            400,
            format!(
                r#"{{"error":"bad","value_b64":"{}","body_b64":"{}"}}"#,
                enc("base64"),
                b64(request.as_bytes(), B64_STD, true)
            ),
            "HTTP 400",
        ),
        // A 5xx: the POST is settled by listing, and the last answer is quoted.
        (
            500,
            format!(r#"upstream failed on {{"value":"{json}"}}"#),
            "Last answer: HTTP 500: upstream failed on",
        ),
        // A 200 that is not the version's answer (`{"id": …}`, or a SecretResponse).
        (
            200,
            format!(r#"{{"secret":{{"value":"{json}"}}}}"#),
            "body is not",
        ),
    ];
    let (standin, mut wd) = common::start_api(tool, api);
    let log = wd.path().join("trace.log");
    wd.set_env("TF_LOG", "trace");
    wd.set_env("TF_LOG_PATH", log.to_str().unwrap());
    wd.set_env("TF_VAR_secret_value", value);
    wd.write(
        "main.tf",
        &one_secret(
            "provider \"devin\" {\n  max_retries = 0\n}\nvariable \"secret_value\" {\n  type      = string\n  sensitive = true\n}",
            "${var.secret_value}",
        ),
    );
    let mut texts = Vec::new();
    let mut leaks = Vec::new();
    for (status, body, shown) in &answers {
        standin.push_fault(fault(
            api,
            *status,
            None,
            Some(body),
            "POST",
            Budget::Always,
        ));
        let run = wd.apply();
        standin.clear_faults();
        let out = run.output();
        let what = format!("output of a {status} answer ({shown})");
        let found = leaks_of(value, &[(what.clone(), out.as_str())]);
        if !found.is_empty() {
            // Not printed: the output holds the value.
            leaks.extend(found);
            continue;
        }
        assert_ne!(run.code, 0, "{who}: a {status} answer must fail");
        assert!(
            squash(&out).contains(&squash(shown)),
            "{who}: expected {shown:?} from a {status} answer in:\n{out}"
        );
        assert!(
            out.contains("<redacted>"),
            "{who}: the echoed value is not marked as redacted in:\n{out}"
        );
        texts.push((what, out));
    }
    wd.apply().assert_ok("apply once the API recovers");
    assert_eq!(standin.secrets().len(), 1, "{who}");
    assert!(
        standin.secrets()[0].value == value,
        "{who}: the value sent as is"
    );
    let logs = std::fs::read_to_string(&log).expect("trace log");
    assert!(
        logs.contains(&format!("POST {}", api.secrets_path())),
        "{who}: no provider lines in the trace"
    );
    texts.push(("trace log".to_string(), logs));
    let texts: Vec<(String, &str)> = texts.iter().map(|(w, t)| (w.clone(), t.as_str())).collect();
    leaks.extend(leaks_of(value, &texts));
    assert!(
        leaks.is_empty(),
        "{who}: {} leaks (texts not shown):\n{}",
        leaks.len(),
        leaks.join("\n")
    );
}
