//! Request checks the way FastAPI and pydantic v2 make them: every problem at once, each
//! as `{"type", "loc", "msg", "input"}` with pydantic's `input` echo, so that clients are
//! tested against the shape the real API's 422s have. Shared by `/v1` and `/v3`.

use serde_json::{json, Map, Value};

/// The secret types both versions accept on create.
const KINDS: [&str; 3] = ["cookie", "key-value", "totp"];

/// A JSON request body being checked field by field; problems collect until [`finish`].
///
/// [`finish`]: Body::finish
pub struct Body {
    parsed: Value,
    issues: Vec<Value>,
}

impl Body {
    /// Parses the body; one issue when it is not JSON or not an object.
    pub fn parse(body: &str) -> Result<Body, Vec<Value>> {
        let parsed: Value = serde_json::from_str(body).map_err(|e| {
            vec![json!({"type": "json_invalid", "loc": ["body", e.column()], "msg": "JSON decode error", "input": {}, "ctx": {"error": e.to_string()}})]
        })?;
        if !parsed.is_object() {
            return Err(vec![
                json!({"type": "model_attributes_type", "loc": ["body"], "msg": "Input should be a valid dictionary or object to extract fields from", "input": parsed}),
            ]);
        }
        Ok(Body {
            parsed,
            issues: Vec::new(),
        })
    }

    fn get(&self, field: &str) -> Option<&Value> {
        self.parsed
            .as_object()
            .and_then(|o: &Map<String, Value>| o.get(field))
    }

    fn missing(&mut self, field: &str) {
        let issue = json!({"type": "missing", "loc": ["body", field], "msg": "Field required", "input": self.parsed});
        self.issues.push(issue);
    }

    fn wrong_type(&mut self, field: &str, kind: &str, what: &str) {
        let input = self.get(field).cloned().unwrap_or(Value::Null);
        self.issues.push(json!({"type": kind, "loc": ["body", field], "msg": format!("Input should be a valid {what}"), "input": input}));
    }

    /// A required string; `""` when it is missing or not a string.
    pub fn text(&mut self, field: &str) -> String {
        match self.get(field) {
            None => {
                self.missing(field);
                String::new()
            }
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                self.wrong_type(field, "string_type", "string");
                String::new()
            }
        }
    }

    /// A string that may be missing or `null` (pydantic's `str | None = None`).
    pub fn optional_text(&mut self, field: &str) -> Option<String> {
        match self.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                self.wrong_type(field, "string_type", "string");
                None
            }
        }
    }

    /// A boolean, required when `default` is `None`. Strict: `"yes"` or `1` is refused,
    /// so a client that sends the wrong JSON type finds out here rather than in production.
    pub fn boolean(&mut self, field: &str, default: Option<bool>) -> bool {
        match (self.get(field), default) {
            (None, Some(d)) => d,
            (None, None) => {
                self.missing(field);
                false
            }
            (Some(Value::Bool(b)), _) => *b,
            (Some(_), _) => {
                self.wrong_type(field, "bool_type", "boolean");
                false
            }
        }
    }

    /// The required secret type: one of `cookie`, `key-value`, `totp`.
    pub fn kind(&mut self, field: &str) -> String {
        let kind = self.text(field);
        if self.get(field).is_some_and(Value::is_string) && !KINDS.contains(&kind.as_str()) {
            self.issues.push(json!({"type": "enum", "loc": ["body", field], "msg": "Input should be 'cookie', 'key-value' or 'totp'", "input": kind, "ctx": {"expected": "'cookie', 'key-value' or 'totp'"}}));
        }
        kind
    }

    /// The required secret name, at least one character.
    pub fn key(&mut self, field: &str) -> String {
        let key = self.text(field);
        if self.get(field).is_some_and(Value::is_string) && key.is_empty() {
            self.issues.push(json!({"type": "string_too_short", "loc": ["body", field], "msg": "String should have at least 1 character", "input": key, "ctx": {"min_length": 1}}));
        }
        key
    }

    /// Ok when no field had a problem, else every problem in the order found.
    pub fn finish(self) -> Result<(), Vec<Value>> {
        if self.issues.is_empty() {
            Ok(())
        } else {
            Err(self.issues)
        }
    }
}

/// A FastAPI query-parameter problem.
pub fn query_issue(kind: &str, param: &str, msg: &str, input: &str, ctx: Option<Value>) -> Value {
    let mut issue = json!({"type": kind, "loc": ["query", param], "msg": msg, "input": input});
    if let Some(ctx) = ctx {
        issue["ctx"] = ctx;
    }
    issue
}
