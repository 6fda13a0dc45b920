//! Provider logs as Terraform reads them: hclog JSON lines on stderr (stdout belongs to
//! the plugin handshake). Terraform shows them under `TF_LOG` / `TF_LOG_PROVIDER`.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::RwLock;

use log::{Level, LevelFilter, Log, Metadata, Record};

/// Strings scrubbed from every line, whatever logged them: defence in depth for the key.
static REDACT: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Whether the libraries' own lines (HTTP, TLS, gRPC) are shown: at trace only.
static LIBRARIES: AtomicBool = AtomicBool::new(false);

/// The crates whose lines are the provider's own, under `@module=devin`.
const OURS: [&str; 3] = ["devin_provider", "terraform_provider_devin", "tfplugin"];

struct HclogJson;

/// The hclog module of a line logged from `target`: `devin` for the provider's own code,
/// else the library's crate name (`hyper_util`, `rustls`), so nobody reads a library's
/// internals as the provider's words.
pub fn module_of(target: &str) -> &str {
    let krate = target.split("::").next().unwrap_or(target);
    if OURS.contains(&krate) {
        "devin"
    } else {
        krate
    }
}

/// The level Terraform asks for: `TF_LOG_PROVIDER`, else `TF_LOG`; nothing when unset.
pub fn level_from_env(provider: Option<&str>, core: Option<&str>) -> LevelFilter {
    let wanted = provider.filter(|v| !v.is_empty()).or(core).unwrap_or("");
    match wanted.trim().to_ascii_uppercase().as_str() {
        "TRACE" | "JSON" => LevelFilter::Trace,
        "DEBUG" => LevelFilter::Debug,
        "INFO" => LevelFilter::Info,
        "WARN" => LevelFilter::Warn,
        "ERROR" => LevelFilter::Error,
        _ => LevelFilter::Off,
    }
}

/// Installs the logger at the level the environment asks for.
pub fn init() {
    let level = level_from_env(
        std::env::var("TF_LOG_PROVIDER").ok().as_deref(),
        std::env::var("TF_LOG").ok().as_deref(),
    );
    LIBRARIES.store(level == LevelFilter::Trace, Ordering::Relaxed);
    if log::set_logger(&HclogJson).is_ok() {
        log::set_max_level(level);
    }
}

/// Never print `text` in a log line again (the API key, once known).
pub fn redact(text: &str) {
    if text.len() >= 3 {
        if let Ok(mut list) = REDACT.write() {
            list.push(text.to_string());
        }
    }
}

/// One hclog JSON line of `module`.
pub fn line(level: Level, module: &str, message: &str, now: time::OffsetDateTime) -> String {
    let level = match level {
        Level::Error => "error",
        Level::Warn => "warn",
        Level::Info => "info",
        Level::Debug => "debug",
        Level::Trace => "trace",
    };
    let timestamp = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second(),
        now.microsecond()
    );
    serde_json::json!({
        "@level": level,
        "@message": message,
        "@module": module,
        "@timestamp": timestamp,
    })
    .to_string()
}

impl Log for HclogJson {
    fn enabled(&self, metadata: &Metadata) -> bool {
        metadata.level() <= log::max_level()
            && (module_of(metadata.target()) == "devin" || LIBRARIES.load(Ordering::Relaxed))
    }

    fn log(&self, record: &Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let mut message = record.args().to_string();
        if let Ok(list) = REDACT.read() {
            for needle in list.iter() {
                if message.contains(needle.as_str()) {
                    message = message.replace(needle.as_str(), "<redacted>");
                }
            }
        }
        let module = module_of(record.target());
        let text = line(
            record.level(),
            module,
            &message,
            time::OffsetDateTime::now_utc(),
        );
        let _ = writeln!(std::io::stderr().lock(), "{text}");
    }

    fn flush(&self) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_level_wins_and_default_is_off() {
        assert_eq!(level_from_env(None, None), LevelFilter::Off);
        assert_eq!(level_from_env(None, Some("debug")), LevelFilter::Debug);
        assert_eq!(
            level_from_env(Some("TRACE"), Some("warn")),
            LevelFilter::Trace
        );
        assert_eq!(level_from_env(Some(""), Some("INFO")), LevelFilter::Info);
        assert_eq!(level_from_env(None, Some("off")), LevelFilter::Off);
    }

    #[test]
    fn lines_are_hclog_json() {
        let now = time::OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&line(Level::Debug, "devin", "GET /v1/secrets -> 200", now))
                .unwrap();
        assert_eq!(v["@level"], "debug");
        assert_eq!(v["@message"], "GET /v1/secrets -> 200");
        assert_eq!(v["@timestamp"], "2023-11-14T22:13:20.000000Z");
        assert_eq!(v["@module"], "devin");
    }

    #[test]
    fn libraries_keep_their_own_module_names() {
        assert_eq!(module_of("devin_provider::api::transport"), "devin");
        assert_eq!(module_of("terraform_provider_devin"), "devin");
        assert_eq!(module_of("tfplugin::serve"), "devin");
        assert_eq!(module_of("hyper_util::client::legacy::pool"), "hyper_util");
        assert_eq!(module_of("rustls::client::hs"), "rustls");
    }
}
