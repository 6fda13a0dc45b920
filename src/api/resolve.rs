//! Host names to addresses on Linux, looked up by the client itself (hickory) in
//! `/etc/hosts`, else from the name servers of `/etc/resolv.conf`, as Go's resolver does in
//! the static binaries of Terraform and its providers. A name that `/etc/hosts` holds is
//! never asked of DNS (hickory alone would ask for the family the file lacks, and an
//! override of a name to a proxy's address could leak to the real IPv6 address). The release binary is static, and a
//! static program cannot safely use the C library's resolver: that would load the name
//! service modules of the host's own libc, or find none (Alpine has musl).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, OnceLock};

use std::str::FromStr;

use hickory_resolver::config::{LookupIpStrategy, NameServerConfigGroup, ResolverConfig};
use hickory_resolver::name_server::TokioConnectionProvider;
use hickory_resolver::proto::op::Query;
use hickory_resolver::proto::rr::RecordType;
use hickory_resolver::{Hosts, TokioResolver};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// The resolver reqwest asks; built at the first name, inside the runtime.
#[derive(Clone, Default)]
pub(super) struct Resolver {
    state: Arc<OnceLock<(Hosts, TokioResolver)>>,
}

impl Resolve for Resolver {
    fn resolve(&self, name: Name) -> Resolving {
        let state = self.state.clone();
        Box::pin(async move {
            let (hosts, resolver) = state.get_or_init(|| (system_hosts(), build()));
            let host = name.as_str();
            if let Some(ips) = from_hosts(hosts, host) {
                let addrs: Vec<SocketAddr> =
                    ips.into_iter().map(|ip| SocketAddr::new(ip, 0)).collect();
                return Ok(Box::new(addrs.into_iter()) as Addrs);
            }
            let lookup = resolver.lookup_ip(host).await.map_err(|e| {
                let text = if e.is_no_records_found() {
                    format!(
                        "the name {host} has no address, neither in /etc/hosts nor from the name \
                         servers of /etc/resolv.conf"
                    )
                } else {
                    format!("cannot resolve {host}: {e}")
                };
                Box::new(std::io::Error::other(text)) as Box<dyn std::error::Error + Send + Sync>
            })?;
            let addrs: Vec<SocketAddr> = lookup.iter().map(|ip| SocketAddr::new(ip, 0)).collect();
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

fn system_hosts() -> Hosts {
    Hosts::from_system().unwrap_or_else(|e| {
        log::debug!("no /etc/hosts ({e}): every name is asked of DNS");
        Hosts::default()
    })
}

/// The addresses `hosts` gives `host`, of both families, when it gives any.
fn from_hosts(hosts: &Hosts, host: &str) -> Option<Vec<IpAddr>> {
    let name = hickory_resolver::Name::from_str(host).ok()?;
    let ips: Vec<IpAddr> = [RecordType::A, RecordType::AAAA]
        .into_iter()
        .filter_map(|kind| hosts.lookup_static_host(&Query::query(name.clone(), kind)))
        .flat_map(|found| found.iter().filter_map(|r| r.ip_addr()).collect::<Vec<_>>())
        .collect();
    (!ips.is_empty()).then_some(ips)
}

fn build() -> TokioResolver {
    let mut builder = TokioResolver::builder_tokio().unwrap_or_else(|e| {
        // No /etc/resolv.conf (a bare root): the servers the C library then asks.
        log::debug!("no name servers from /etc/resolv.conf ({e}); asking 127.0.0.1 and ::1");
        let servers = NameServerConfigGroup::from_ips_clear(
            &[
                IpAddr::V4(Ipv4Addr::LOCALHOST),
                IpAddr::V6(Ipv6Addr::LOCALHOST),
            ],
            53,
            false,
        );
        TokioResolver::builder_with_config(
            ResolverConfig::from_parts(None, vec![], servers),
            TokioConnectionProvider::default(),
        )
    });
    // Both families, for reqwest's happy eyeballs.
    builder.options_mut().ip_strategy = LookupIpStrategy::Ipv4AndIpv6;
    builder.build()
}
