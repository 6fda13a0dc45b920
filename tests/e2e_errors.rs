//! End to end: every API failure becomes a diagnostic a person can act on, and neither
//! the secret value nor the API key ever shows up in output or logs.

mod common;

use common::{provider_hcl, squash, tools, Workdir};
use devin_api_standin::{Budget, Config, Fault, FaultRule, StandIn};

const KEY: &str = "test-api-key";

fn one_secret(provider_block: &str, value: &str) -> String {
    provider_hcl(&format!(
        r#"
{provider_block}
resource "devin_secret" "s" {{
  key   = "ERR_KEY"
  value = "{value}"
}}
"#
    ))
}

fn fault(
    status: u16,
    retry_after: Option<&str>,
    body: Option<&str>,
    method: &str,
    budget: Budget,
) -> FaultRule {
    FaultRule {
        fault: Fault::Status {
            status,
            retry_after: retry_after.map(Into::into),
            body: body.map(Into::into),
        },
        method: Some(method.into()),
        path_prefix: None,
        budget,
    }
}

/// The text around the first `needle`, for failure messages.
fn context(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap_or(0);
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(300)
        .map_or(0, |(i, _)| i);
    text[start..(at + needle.len() + 100).min(text.len())].to_string()
}

fn assert_all(out: &str, tool: &str, expected: &[&str]) {
    // Terraform wraps diagnostic text to the width of a terminal.
    let flat = squash(out);
    for e in expected {
        assert!(
            flat.contains(&squash(e)),
            "{tool}: expected {e:?} in:\n{out}"
        );
    }
    assert!(
        !out.contains("stack backtrace"),
        "{tool}: a backtrace in:\n{out}"
    );
}

#[test]
fn auth_failures_point_at_the_key_without_printing_it() {
    for tool in tools() {
        let api = StandIn::start(Config::default()).unwrap();
        let wd = Workdir::new(&tool, &api.url(), "apk_user_wrong_key_123");
        wd.write(
            "main.tf",
            &one_secret("provider \"devin\" {}", "auth-value"),
        );
        let out = wd.apply().output();
        assert_all(
            &out,
            tool.name,
            &[
                // Checked once, at configure, before any secret is touched.
                "Devin API rejected the API key while trying to list the organization's secrets",
                "HTTP 401",
                "`api_key`",
                "DEVIN_API_KEY",
            ],
        );
        assert!(
            !out.contains("apk_user_wrong_key_123"),
            "{}: key printed",
            tool.name
        );

        let wd = Workdir::new(&tool, &api.url(), KEY);
        wd.write(
            "main.tf",
            &one_secret("provider \"devin\" {}", "auth-value"),
        );
        api.push_fault(fault(
            403,
            None,
            Some(r#"{"detail":"Not allowed to manage secrets"}"#),
            "POST",
            Budget::Next { count: 1 },
        ));
        let out = wd.apply().output();
        assert_all(
            &out,
            tool.name,
            &[
                "Devin API denied permission to create secret \"ERR_KEY\"",
                "HTTP 403: Not allowed to manage secrets",
                "DEVIN_API_KEY",
            ],
        );
        assert!(api.secrets().is_empty());
    }
}

#[test]
fn a_refused_create_points_at_the_attribute() {
    for tool in tools() {
        let (api, wd) = common::start(&tool);
        wd.write("main.tf", &one_secret("provider \"devin\" {}", "value-422"));
        api.push_fault(fault(
            422,
            None,
            Some(r#"{"detail":[{"loc":["body","key"],"msg":"Key must be uppercase","type":"value_error","input":"value-422"},{"loc":["body","note"],"msg":"Note too long","type":"string_too_long"}]}"#),
            "POST",
            Budget::Next { count: 1 },
        ));
        let run = wd.apply();
        assert_ne!(run.code, 0);
        let out = run.output();
        assert_all(
            &out,
            tool.name,
            &[
                "Devin API refused to create secret \"ERR_KEY\"",
                "Key must be uppercase",
                "Note too long",
                "location: body.key",
                "Correct the `key` argument",
                "Correct the `note` argument",
            ],
        );
        assert_eq!(
            out.matches("Devin API refused to create secret").count(),
            2,
            "{}",
            tool.name
        );
        assert!(
            !out.contains("value-422"),
            "{}: the echoed value leaked",
            tool.name
        );
    }
}

#[test]
fn a_duplicate_key_is_an_error_on_key_with_the_existing_id() {
    for tool in tools() {
        let api = StandIn::start(Config::default()).unwrap();
        let existing = api.insert_secret("ERR_KEY", "key-value", "someone-elses");
        let wd = Workdir::new(&tool, &api.url(), KEY);
        wd.write("main.tf", &one_secret("provider \"devin\" {}", "mine"));
        let out = wd.apply().output();
        assert_all(
            &out,
            tool.name,
            &[
                "Cannot create secret \"ERR_KEY\": a secret named \"ERR_KEY\" already exists",
                &format!("The existing secret has id {existing}"),
                &format!("terraform import devin_secret.<name> {existing}"),
            ],
        );
        assert_eq!(
            api.request_counts().post,
            0,
            "{}: refused before any POST",
            tool.name
        );
        assert_eq!(api.secrets().len(), 1);
    }
}

#[test]
fn throttling_and_server_errors_report_attempts_and_last_answer() {
    for tool in tools() {
        let (api, wd) = common::start(&tool);
        wd.write(
            "main.tf",
            &one_secret("provider \"devin\" {\n  max_retries = 2\n}", "v-429"),
        );
        api.push_fault(fault(
            429,
            Some("0"),
            Some(r#"{"detail":"Rate limit exceeded"}"#),
            "GET",
            Budget::Always,
        ));
        let out = wd.apply().output();
        assert_all(
            &out,
            tool.name,
            &[
                "the Devin API failed 3 times",
                "throttling requests (HTTP 429)",
                "Gave up after 3 attempts",
                "Last answer: HTTP 429: Rate limit exceeded",
                "`max_retries`",
            ],
        );
        assert_eq!(
            api.request_counts().get,
            3,
            "{}: 1 attempt + 2 retries",
            tool.name
        );
        api.clear_faults();

        api.push_fault(fault(
            503,
            None,
            Some("<html>Service Unavailable</html>"),
            "GET",
            Budget::Always,
        ));
        let out = wd.apply().output();
        assert_all(
            &out,
            tool.name,
            &[
                "The API is failing (HTTP 5xx)",
                "Last answer: HTTP 503: <html>Service Unavailable</html>",
            ],
        );
        api.clear_faults();
        wd.apply().assert_ok("apply once the API recovers");
        assert_eq!(api.secrets().len(), 1);
    }
}

#[test]
fn malformed_answers_give_a_clear_diagnostic() {
    for tool in tools() {
        let (api, wd) = common::start(&tool);
        wd.write(
            "main.tf",
            &one_secret("provider \"devin\" {\n  max_retries = 1\n}", "v-malformed"),
        );
        api.push_fault(fault(
            200,
            None,
            Some(r#"{"items": "not what you expected"}"#),
            "GET",
            Budget::Always,
        ));
        let out = wd.apply().output();
        assert_all(
            &out,
            tool.name,
            &[
                "Devin API sent an unexpected answer while trying to list the organization's secrets",
                "expected a JSON list of secrets",
                "not what you expected",
            ],
        );
        api.clear_faults();
        api.push_fault(fault(
            400,
            None,
            Some("plain text, not JSON"),
            "POST",
            Budget::Next { count: 1 },
        ));
        let out = wd.apply().output();
        assert_all(
            &out,
            tool.name,
            &[
                "Devin API refused to create secret",
                "HTTP 400: plain text, not JSON",
            ],
        );
        assert!(api.secrets().is_empty());
    }
}

#[test]
fn destroying_a_secret_that_is_already_gone_succeeds() {
    for (tool, status) in tools()
        .into_iter()
        .flat_map(|t| [404u16, 403].map(move |s| (t.clone(), s)))
    {
        let api = StandIn::start(Config {
            unknown_delete_status: status,
            ..Config::default()
        })
        .unwrap();
        let wd = Workdir::new(&tool, &api.url(), KEY);
        wd.write("main.tf", &one_secret("provider \"devin\" {}", "v-gone"));
        wd.apply().assert_ok("apply");
        let id = api.secrets()[0].id.clone();
        assert!(api.remove_secret(&id));
        // Skip the refresh, so the provider sends the DELETE for an id that is gone.
        wd.run(&[
            "destroy",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "-refresh=false",
        ])
        .assert_ok("destroy of a gone secret");
        assert!(wd.state_list().is_empty(), "{} ({status})", tool.name);
        assert_eq!(api.request_counts().delete, 1);

        // A 403 for a secret that does exist is a real refusal.
        if status == 403 {
            wd.apply().assert_ok("apply");
            api.push_fault(fault(
                403,
                None,
                Some(r#"{"detail":"Forbidden"}"#),
                "DELETE",
                Budget::Always,
            ));
            let out = wd.destroy().output();
            assert_all(
                &out,
                tool.name,
                &["Devin API denied permission to delete secret"],
            );
            assert_eq!(wd.state_list(), ["devin_secret.s"]);
        }
    }
}

#[test]
fn odd_ids_in_state_stay_one_path_segment() {
    for tool in tools() {
        let (api, wd) = common::start(&tool);
        wd.write("main.tf", &one_secret("provider \"devin\" {}", "v-ids"));
        for (id, path) in [
            ("../x", "/v1/secrets/..%2Fx"),
            ("a/b", "/v1/secrets/a%2Fb"),
            ("?", "/v1/secrets/%3F"),
            ("#", "/v1/secrets/%23"),
            ("%2F", "/v1/secrets/%252F"),
        ] {
            wd.apply().assert_ok("apply");
            wd.edit_state(|state| {
                state["resources"][0]["instances"][0]["attributes"]["id"] = id.into();
            });
            let before = api.requests().len();
            wd.run(&[
                "destroy",
                "-auto-approve",
                "-input=false",
                "-no-color",
                "-refresh=false",
            ])
            .assert_ok("destroy");
            let delete = api.requests()[before..]
                .iter()
                .find(|r| r.method == "DELETE")
                .cloned()
                .expect("a DELETE");
            assert_eq!(delete.path, path, "{}: id {id:?}", tool.name);
            // The real secret is still there: clean it up out of band.
            for s in api.secrets() {
                api.remove_secret(&s.id);
            }
        }
        let run = wd.run(&[
            "import",
            "-no-color",
            "-input=false",
            "devin_secret.s",
            "../../v1/secrets",
        ]);
        assert_ne!(run.code, 0);
        assert!(
            run.output().contains("no secret has this id"),
            "{}",
            run.output()
        );
        assert!(api
            .requests()
            .iter()
            .all(|r| r.path.starts_with("/v1/secrets")));
    }
}

#[test]
fn bad_provider_input_is_caught_before_any_request() {
    for tool in tools() {
        let (api, wd) = common::start(&tool);
        for (url, message) in [
            (
                "https://user:pw@api.devin.ai",
                "api_url must not contain credentials",
            ),
            (
                "https://api.devin.ai/?org=1",
                "api_url must not have a query or a fragment",
            ),
            (
                "https://api.devin.ai/#top",
                "api_url must not have a query or a fragment",
            ),
            ("ftp://api.devin.ai", "unsupported scheme"),
        ] {
            wd.write(
                "main.tf",
                &one_secret(
                    &format!("provider \"devin\" {{\n  api_url = \"{url}\"\n}}"),
                    "v",
                ),
            );
            let run = wd.validate();
            assert_ne!(run.code, 0, "{}: {url}", tool.name);
            assert_all(&run.output(), tool.name, &[message]);
        }
        wd.write(
            "main.tf",
            &provider_hcl(
                r#"
provider "devin" {}
resource "devin_secret" "s" {
  key   = "my-api.key"
  value = "v"
}
"#,
            ),
        );
        let run = wd.validate();
        run.assert_ok("a rewritten key is only a warning");
        assert_all(
            &run.output(),
            tool.name,
            &["Devin sessions will see this secret as $my_api_key"],
        );
        assert_eq!(api.request_counts(), Default::default());
    }
}

#[test]
fn trace_logs_and_output_never_hold_the_value_or_the_key() {
    const VALUE: &str = "VALUE_LEAKCHECK_1a2b3c4d";
    const SECRET_KEY: &str = "apk_user_LEAKCHECK_9f8e7d6c";
    for tool in tools() {
        let api = StandIn::start(Config {
            api_key: SECRET_KEY.into(),
            ..Config::default()
        })
        .unwrap();
        let mut wd = Workdir::new(&tool, &api.url(), SECRET_KEY);
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
            r#"{{"detail":[{{"loc":["body","value"],"msg":"Value rejected","type":"value_error","input":{{"value":"{VALUE}","key":"{SECRET_KEY}"}}}}]}}"#
        );
        api.push_fault(fault(
            422,
            None,
            Some(&echo),
            "POST",
            Budget::Next { count: 1 },
        ));
        api.push_fault(fault(
            503,
            Some("0"),
            Some(&format!("upstream saw {VALUE} and {SECRET_KEY}")),
            "GET",
            Budget::Next { count: 1 },
        ));
        let mut outputs = vec![wd.apply().output()];
        api.push_fault(fault(
            500,
            None,
            Some(&format!("boom {SECRET_KEY} {VALUE}")),
            "POST",
            Budget::Next { count: 1 },
        ));
        outputs.push(wd.apply().output());
        outputs.push(wd.apply().output());
        api.push_fault(fault(
            500,
            None,
            Some(&format!("{{\"detail\":\"{VALUE}\"}}")),
            "DELETE",
            Budget::Next { count: 1 },
        ));
        outputs.push(wd.destroy().output());
        outputs.push(wd.run(&["show", "-no-color"]).output());
        assert_eq!(
            api.secrets().len(),
            0,
            "{}: destroyed in the end",
            tool.name
        );
        let logs = std::fs::read_to_string(&log).expect("trace log");
        assert!(
            logs.contains("GET /v1/secrets"),
            "{}: the provider's own debug lines are in the trace",
            tool.name
        );
        for (what, text) in outputs
            .iter()
            .map(|o| ("output", o))
            .chain([("trace log", &logs)])
        {
            assert!(
                !text.contains(VALUE),
                "{}: the value is in the {what}: {}",
                tool.name,
                context(text, VALUE)
            );
            assert!(
                !text.contains(SECRET_KEY),
                "{}: the API key is in the {what}: {}",
                tool.name,
                context(text, SECRET_KEY)
            );
        }
        assert!(
            outputs[0].contains("Value rejected"),
            "{}: {}",
            tool.name,
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
    let value = TRICKY_VALUE;
    let json = json_plain(value);
    let request = format!(
        r#"{{"type":"key-value","key":"ERR_KEY","value":"{json}","sensitive":true,"note":""}}"#
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
        // A 200 that is not `{"id": …}`.
        (
            200,
            format!(r#"{{"secret":{{"value":"{json}"}}}}"#),
            "body is not",
        ),
    ];
    for tool in tools() {
        let api = StandIn::start(Config::default()).unwrap();
        let mut wd = Workdir::new(&tool, &api.url(), KEY);
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
            api.push_fault(fault(*status, None, Some(body), "POST", Budget::Always));
            let run = wd.apply();
            api.clear_faults();
            let out = run.output();
            let what = format!("output of a {status} answer ({shown})");
            let found = leaks_of(value, &[(what.clone(), out.as_str())]);
            if !found.is_empty() {
                // Not printed: the output holds the value.
                leaks.extend(found);
                continue;
            }
            assert_ne!(run.code, 0, "{}: a {status} answer must fail", tool.name);
            assert!(
                squash(&out).contains(&squash(shown)),
                "{}: expected {shown:?} from a {status} answer in:\n{out}",
                tool.name
            );
            assert!(
                out.contains("<redacted>"),
                "{}: the echoed value is not marked as redacted in:\n{out}",
                tool.name
            );
            texts.push((what, out));
        }
        wd.apply().assert_ok("apply once the API recovers");
        assert_eq!(api.secrets().len(), 1);
        assert!(
            api.secrets()[0].value == value,
            "{}: the value sent as is",
            tool.name
        );
        let logs = std::fs::read_to_string(&log).expect("trace log");
        assert!(
            logs.contains("POST /v1/secrets"),
            "{}: no provider lines in the trace",
            tool.name
        );
        texts.push(("trace log".to_string(), logs));
        let texts: Vec<(String, &str)> =
            texts.iter().map(|(w, t)| (w.clone(), t.as_str())).collect();
        leaks.extend(leaks_of(value, &texts));
        assert!(
            leaks.is_empty(),
            "{}: {} leaks (texts not shown):\n{}",
            tool.name,
            leaks.len(),
            leaks.join("\n")
        );
    }
}
