//! `terraform-provider-devin`: the plugin binary. It checks that a CLI started it, keeps
//! panics and backtraces from quoting data, wires the interrupt, and serves
//! [`devin_provider::plugin`].

use std::process::ExitCode;

use anyhow::Context;
use tokio_util::sync::CancellationToken;

/// go-plugin's handshake cookie: Terraform and OpenTofu set it when they start a plugin.
const MAGIC_COOKIE: (&str, &str) = (
    "TF_PLUGIN_MAGIC_COOKIE",
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
);

fn usage() -> String {
    format!(
        "terraform-provider-devin {version}\n\n\
         This is a Terraform and OpenTofu provider plugin for Devin organization secrets.\n\
         It is started by `terraform` or `tofu`, not by hand. To use it, declare\n\n  \
         terraform {{\n    required_providers {{\n      devin = {{ source = \"devin-oss/devin\", version = \"{version}\" }}\n    }}\n  }}\n\n\
         install it into a filesystem mirror (`make install`), set DEVIN_API_KEY and run\n\
         `terraform init`. See the README for details.\n",
        version = env!("CARGO_PKG_VERSION")
    )
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--version" || a == "-v") {
        println!("terraform-provider-devin {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    let launched_by_terraform = std::env::var(MAGIC_COOKIE.0).is_ok_and(|v| v == MAGIC_COOKIE.1);
    if !launched_by_terraform || args.iter().any(|a| a == "--help" || a == "-h") {
        eprint!("{}", usage());
        return if launched_by_terraform {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        };
    }

    // tf-provider appends a backtrace to diagnostics when these are set: users would see
    // Rust internals in every error. Cleared before any thread starts.
    std::env::remove_var("RUST_BACKTRACE");
    std::env::remove_var("RUST_LIB_BACKTRACE");
    // A panic message can quote the data that caused it: report where, never what.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        log::error!("terraform-provider-devin panicked{at}");
        eprintln!("terraform-provider-devin panicked{at}");
    }));
    devin_provider::logging::init();
    if let Ok(key) = std::env::var("DEVIN_API_KEY") {
        devin_provider::logging::redact(&key);
    }

    match serve() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("terraform-provider-devin: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Serves the plugin until the CLI shuts it down.
fn serve() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let cancel = CancellationToken::new();
    runtime.block_on(async {
        // Ctrl-C reaches the whole process group, this plugin included; a signal sent to
        // the CLI alone reaches the plugin as StopProvider. Either way in-flight requests
        // and backoff waits end now, while the server keeps answering so the CLI gets the
        // result.
        let on_interrupt = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                log::info!("interrupted: abandoning in-flight Devin API requests");
                on_interrupt.cancel();
            }
        });
        tfplugin::serve(devin_provider::plugin(cancel.clone()), cancel)
            .await
            .map_err(anyhow::Error::msg)
    })
}
