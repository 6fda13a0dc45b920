//! `devin-api-standin`: the local Devin API stand-in as a program, for the demo and scripts.

use std::io::Write;
use std::time::Duration;

use devin_api_standin::{run_forever, Config};

const USAGE: &str = "usage: devin-api-standin [--port N] [--api-key KEY] [--latency-ms N] \
                     [--addr-file PATH] [--unknown-delete-status 404|403]\n\
                     Serves the Devin API v1 secrets endpoints on 127.0.0.1 until SIGINT or SIGTERM.\n\
                     The key defaults to $DEVIN_API_KEY, else test-api-key.";

fn main() {
    if let Err(e) = run() {
        eprintln!("devin-api-standin: {e}\n{USAGE}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let mut config = Config::default();
    if let Ok(key) = std::env::var("DEVIN_API_KEY") {
        config.api_key = key;
    }
    let mut port = 0u16;
    let mut addr_file = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            return Ok(());
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = |v: &str| {
            v.parse::<u64>()
                .map_err(|_| format!("{flag}: not a number: {v}"))
        };
        match flag.as_str() {
            "--port" => port = number(&value)? as u16,
            "--api-key" => config.api_key = value,
            "--latency-ms" => config.latency = Duration::from_millis(number(&value)?),
            "--addr-file" => addr_file = Some(value),
            "--unknown-delete-status" => config.unknown_delete_status = number(&value)? as u16,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    run_forever(config, port, |url| {
        if let Some(path) = &addr_file {
            let _ = std::fs::write(path, url);
        }
        println!("devin-api-standin listening on {url}");
        let _ = std::io::stdout().flush();
    })
    .map_err(|e| e.to_string())
}
