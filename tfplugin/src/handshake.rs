//! go-plugin's handshake: what the CLI offers in the environment, the loopback listener,
//! and the one line on stdout that tells the CLI where and how to connect.

use std::net::{Ipv4Addr, SocketAddr};

use base64::Engine;

/// go-plugin's core protocol version: the first field of the handshake line.
const CORE_PROTOCOL: u32 = 1;
/// The plugin protocol served: tfplugin6 (minor 10 is what the bindings describe).
pub const PLUGIN_PROTOCOL: u32 = 6;

/// Checks that the CLI speaks the protocol this plugin serves.
pub fn check_versions(offered: Option<&str>) -> Result<(), String> {
    // go-plugin always sets it; a launcher that does not is assumed to mean ours.
    let Some(offered) = offered else {
        return Ok(());
    };
    if offered
        .split(',')
        .any(|v| v.trim().parse() == Ok(PLUGIN_PROTOCOL))
    {
        Ok(())
    } else {
        Err(format!(
            "this provider speaks plugin protocol {PLUGIN_PROTOCOL}, and the CLI offers only \
             {offered:?}: use Terraform 1.0 or later, or OpenTofu"
        ))
    }
}

/// The ports go-plugin lets plugins use, from `PLUGIN_MIN_PORT` / `PLUGIN_MAX_PORT`.
pub fn port_range(min: Option<&str>, max: Option<&str>) -> Result<(u16, u16), String> {
    let parse = |name: &str, v: Option<&str>, default: u16| -> Result<u16, String> {
        v.map_or(Ok(default), |v| {
            v.trim()
                .parse()
                .map_err(|_| format!("{name} is not a port number: {v:?}"))
        })
    };
    let min = parse("PLUGIN_MIN_PORT", min, 10_000)?;
    let max = parse("PLUGIN_MAX_PORT", max, 25_000)?;
    if min > max {
        return Err(format!(
            "PLUGIN_MIN_PORT ({min}) is above PLUGIN_MAX_PORT ({max})"
        ));
    }
    Ok((min.max(1), max.max(1)))
}

/// Binds 127.0.0.1 on a free port of the range. The search starts at a random port, so
/// the many plugins one run starts do not all race for the lowest ones.
pub fn listen((min, max): (u16, u16)) -> Result<std::net::TcpListener, String> {
    let span = u32::from(max - min) + 1;
    let start = fastrand::u32(0..span);
    for i in 0..span {
        let port = min + ((start + i) % span) as u16;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        if let Ok(listener) = std::net::TcpListener::bind(addr) {
            return Ok(listener);
        }
    }
    Err(format!("no free port on 127.0.0.1 between {min} and {max}"))
}

/// The handshake line: `1|6|tcp|127.0.0.1:port|grpc|<certificate>`.
pub fn line(addr: SocketAddr, certificate: &[u8]) -> String {
    format!(
        "{CORE_PROTOCOL}|{PLUGIN_PROTOCOL}|tcp|{addr}|grpc|{}",
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(certificate)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(check_versions(None).is_ok());
        assert!(check_versions(Some("5,6")).is_ok());
        assert!(check_versions(Some("6")).is_ok());
        let err = check_versions(Some("5")).unwrap_err();
        assert!(err.contains("protocol 6"), "{err}");
    }

    #[test]
    fn ports() {
        assert_eq!(port_range(None, None).unwrap(), (10_000, 25_000));
        assert_eq!(
            port_range(Some("2000"), Some("2000")).unwrap(),
            (2000, 2000)
        );
        assert!(port_range(Some("x"), None)
            .unwrap_err()
            .contains("PLUGIN_MIN_PORT"));
        assert!(port_range(Some("3"), Some("2")).is_err());
    }

    #[test]
    fn listens_on_loopback_within_the_range() {
        let l = listen((20_000, 20_100)).unwrap();
        let addr = l.local_addr().unwrap();
        assert!(addr.ip().is_loopback());
        assert!((20_000..=20_100).contains(&addr.port()));
        // The only port of a one-port range is taken: a clear error, not a hang.
        let taken = addr.port();
        assert!(listen((taken, taken)).unwrap_err().contains("no free port"));
    }

    #[test]
    fn line_shape() {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 12345));
        assert_eq!(line(addr, &[1, 2, 3]), "1|6|tcp|127.0.0.1:12345|grpc|AQID");
    }
}
