//! Generates the gRPC server code for go-plugin's side services (GRPCController,
//! GRPCStdio, GRPCBroker). They are three tiny services described here in Rust, so the
//! repository carries no foreign `.proto` file; their messages are in
//! `src/go_plugin.rs`.

use tonic_build::manual::{Builder, Method, Service};

fn method(
    name: &str,
    route: &str,
    input: &str,
    output: &str,
) -> tonic_build::manual::MethodBuilder {
    Method::builder()
        .name(name)
        .route_name(route)
        .input_type(format!("crate::go_plugin::{input}"))
        .output_type(format!("crate::go_plugin::{output}"))
        .codec_path("tonic::codec::ProstCodec")
}

fn main() {
    let controller = Service::builder()
        .name("GRPCController")
        .package("plugin")
        .method(method("shutdown", "Shutdown", "Empty", "Empty").build())
        .build();
    let stdio = Service::builder()
        .name("GRPCStdio")
        .package("plugin")
        .method(
            method("stream_stdio", "StreamStdio", "Empty", "StdioData")
                .server_streaming()
                .build(),
        )
        .build();
    let broker = Service::builder()
        .name("GRPCBroker")
        .package("plugin")
        .method(
            method("start_stream", "StartStream", "ConnInfo", "ConnInfo")
                .client_streaming()
                .server_streaming()
                .build(),
        )
        .build();
    Builder::new()
        .build_client(false)
        .compile(&[controller, stdio, broker]);
}
