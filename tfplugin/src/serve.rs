//! [`serve`]: the plugin's life from the handshake line to shutdown.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::connection::Connection;
use crate::plugin::Plugin;
use crate::{bindings, go_plugin, handshake, service, tls};

/// Terraform's gRPC limit for a message; tonic's default (4 MiB) is lower.
const MAX_MESSAGE: usize = 256 << 20;
/// How long the plugin lingers after Shutdown for connections to close.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);
/// A peer that has not finished the TLS handshake by then is dropped.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `plugin` until the CLI asks the plugin to shut down (or closes it).
/// `stop` is cancelled by `StopProvider`; the caller also cancels it on SIGINT.
pub async fn serve(plugin: Plugin, stop: CancellationToken) -> Result<(), String> {
    let env = |name: &str| std::env::var(name).ok();
    handshake::check_versions(env("PLUGIN_PROTOCOL_VERSIONS").as_deref())?;
    // Without the certificate the CLI hands over, any local process could drive the
    // provider and its API key: refuse rather than serve in the clear.
    let client_pem = env("PLUGIN_CLIENT_CERT")
        .filter(|c| !c.trim().is_empty())
        .ok_or(
            "PLUGIN_CLIENT_CERT is not set: this provider serves only the CLI that started it, \
         over mutual TLS. Run it through `terraform` or `tofu`.",
        )?;
    let tls = tls::from_client_pem(&client_pem, &plugin.binary.name)?;
    let range = handshake::port_range(
        env("PLUGIN_MIN_PORT").as_deref(),
        env("PLUGIN_MAX_PORT").as_deref(),
    )?;
    let listener = handshake::listen(range)?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?;

    let shutdown = CancellationToken::new();
    let connections = accept(listener, tls.config.clone(), shutdown.clone());
    let side = go_plugin::SideServices::new(shutdown.clone());
    let provider = service::ProviderService::new(Arc::new(plugin), stop);
    let server = tonic::transport::Server::builder()
        .add_service(go_plugin::ControllerServer::new(side.clone()))
        .add_service(go_plugin::StdioServer::new(side.clone()))
        .add_service(go_plugin::BrokerServer::new(side))
        .add_service(
            bindings::provider_server::ProviderServer::new(provider)
                .max_decoding_message_size(MAX_MESSAGE)
                .max_encoding_message_size(MAX_MESSAGE),
        )
        .serve_with_incoming_shutdown(connections, shutdown.clone().cancelled_owned());

    // The CLI reads this one line, then connects.
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", handshake::line(addr, &tls.certificate))
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write the handshake: {e}"))?;
    drop(out);
    log::debug!("serving plugin protocol 6.10 on {addr}");

    // After Shutdown the server waits for the CLI to close its connection; go-plugin
    // closes it right away, but a peer that does not must not keep the plugin alive.
    let grace = async {
        shutdown.cancelled().await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        served = server => served.map_err(|e| format!("the gRPC server failed: {e}")),
        () = grace => Ok(()),
    }
}

/// Accepted connections, TLS done, as a stream for the gRPC server. Each handshake runs
/// on its own task, so a peer that stalls holds up no one.
fn accept(
    listener: tokio::net::TcpListener,
    tls: Arc<rustls::ServerConfig>,
    shutdown: CancellationToken,
) -> tokio_stream::wrappers::ReceiverStream<Result<Connection, std::io::Error>> {
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    tokio::spawn(async move {
        loop {
            let accepted = tokio::select! {
                () = shutdown.cancelled() => return,
                accepted = listener.accept() => accepted,
            };
            let (tcp, peer) = match accepted {
                Ok(a) => a,
                Err(e) => {
                    log::debug!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            };
            // gRPC writes small frames: without this, Nagle's algorithm and the peer's
            // delayed ACK cost milliseconds per call.
            let _ = tcp.set_nodelay(true);
            let (acceptor, tx) = (acceptor.clone(), tx.clone());
            tokio::spawn(async move {
                match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                    Ok(Ok(stream)) => {
                        let _ = tx.send(Ok(Connection::new(stream))).await;
                    }
                    Ok(Err(e)) => log::warn!("refused a connection from {peer}: {e}"),
                    Err(_) => {
                        log::warn!("refused a connection from {peer}: TLS handshake timed out")
                    }
                }
            });
        }
    });
    tokio_stream::wrappers::ReceiverStream::new(rx)
}
