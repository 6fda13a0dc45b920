//! `terraform-provider-example`: the smallest provider the framework serves, built with
//! the crate so its own tests drive every RPC through a real plugin process. It keeps
//! named things in memory: resource `example_thing` (with write-only attribute
//! `secret_wo` and an identity), data source `example_things` and list resource
//! `example_thing`.
//!
//! What `main` does is what every provider must do around [`tfplugin::serve`]: check
//! that a CLI started it, keep panics from quoting data, and cancel in-flight work on an
//! interrupt.

mod provider;
mod store;
mod thing;
mod things;

use std::process::ExitCode;

use tokio_util::sync::CancellationToken;

/// go-plugin's handshake cookie: Terraform and OpenTofu set it when they start a plugin.
const MAGIC_COOKIE: (&str, &str) = (
    "TF_PLUGIN_MAGIC_COOKIE",
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
);

fn main() -> ExitCode {
    let launched_by_a_cli = std::env::var(MAGIC_COOKIE.0).is_ok_and(|v| v == MAGIC_COOKIE.1);
    if !launched_by_a_cli {
        eprintln!("terraform-provider-example is a plugin: `terraform` or `tofu` starts it");
        return ExitCode::from(1);
    }
    // A panic message can quote the data that caused it: report where, never what.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        eprintln!("terraform-provider-example panicked{at}");
    }));
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("terraform-provider-example: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let stop = CancellationToken::new();
    let store = store::Store::default();
    let plugin = tfplugin::Plugin::new(
        "example",
        env!("CARGO_PKG_VERSION"),
        provider::ExampleProvider,
    )
    .resource("thing", thing::ThingResource::new(store.clone()))
    .data_source("things", things::ThingsDataSource::new(store.clone()))
    .list_resource("thing", things::ThingList::new(store));
    let result = runtime.block_on(async {
        let on_interrupt = stop.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                on_interrupt.cancel();
            }
        });
        tfplugin::serve(plugin, stop).await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("terraform-provider-example: {e}");
            ExitCode::from(1)
        }
    }
}
