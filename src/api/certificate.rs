//! What a failed TLS handshake was: the certificate's problem, read from the error chain
//! reqwest gives. Retrying cannot change any of them, so the client reports the first.

use std::error::Error;
use std::fmt;
use std::time::{Duration, SystemTime};

use rustls::CertificateError;

/// Why the TLS handshake with the API's host failed. No request was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlsProblem {
    /// The certificate is signed by a certificate authority the client does not trust.
    UnknownIssuer,
    /// The certificate has expired.
    Expired {
        /// When it stopped being valid, when known.
        not_after: Option<SystemTime>,
        /// This machine's time then, when known.
        now: Option<SystemTime>,
    },
    /// The certificate is not valid yet.
    NotYetValid {
        /// When it becomes valid, when known.
        not_before: Option<SystemTime>,
        /// This machine's time then, when known.
        now: Option<SystemTime>,
    },
    /// The certificate is for other names than the host's.
    OtherName {
        /// The names it holds, when known.
        presented: Vec<String>,
    },
    /// Another problem with the certificate (revoked, a bad signature, …), as rustls says it.
    OtherCertificate(String),
    /// The handshake failed before any certificate was checked (the server does not speak
    /// TLS, or no protocol version is common), as rustls says it.
    Handshake(String),
}

impl TlsProblem {
    /// Whether the problem is with the certificate presented, rather than the handshake.
    pub fn is_certificate(&self) -> bool {
        !matches!(self, Self::Handshake(_))
    }
}

impl fmt::Display for TlsProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownIssuer => f.write_str("certificate signed by an unknown authority"),
            Self::Expired { not_after, now } => {
                dated(f, "certificate expired", " at ", *not_after, *now)
            }
            Self::NotYetValid { not_before, now } => dated(
                f,
                "certificate not valid yet",
                ": valid from ",
                *not_before,
                *now,
            ),
            Self::OtherName { presented } if presented.is_empty() => {
                f.write_str("certificate for another name")
            }
            Self::OtherName { presented } => {
                write!(f, "certificate for another name ({})", presented.join(", "))
            }
            Self::OtherCertificate(said) => write!(f, "invalid certificate: {said}"),
            Self::Handshake(said) => write!(f, "TLS handshake failed: {said}"),
        }
    }
}

/// `what`, then `at` after `joint` and this machine's `now`, each when known.
fn dated(
    f: &mut fmt::Formatter<'_>,
    what: &str,
    joint: &str,
    at: Option<SystemTime>,
    now: Option<SystemTime>,
) -> fmt::Result {
    f.write_str(what)?;
    if let Some(at) = at {
        write!(f, "{joint}{}", rfc3339(at))?;
    }
    if let Some(now) = now {
        write!(f, " (this machine's time: {})", rfc3339(now))?;
    }
    Ok(())
}

/// The TLS problem somewhere in `err`'s chain of sources, if the failure was one.
pub(super) fn tls_problem(err: &(dyn Error + 'static)) -> Option<TlsProblem> {
    let mut next = Some(err);
    while let Some(e) = next {
        if let Some(tls) = as_rustls(e) {
            return Some(problem_of(tls));
        }
        next = e.source();
    }
    None
}

/// `e` as a rustls error: itself, or the error an `io::Error` wraps, however deep (hyper's
/// connector wraps it twice). `io::Error::source` skips the error it wraps, and goes to
/// that error's own source, so the chain alone never reaches it.
fn as_rustls<'a>(mut e: &'a (dyn Error + 'static)) -> Option<&'a rustls::Error> {
    loop {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        let inner = e.downcast_ref::<std::io::Error>()?.get_ref()?;
        e = inner;
    }
}

fn problem_of(e: &rustls::Error) -> TlsProblem {
    let rustls::Error::InvalidCertificate(cert) = e else {
        return TlsProblem::Handshake(e.to_string());
    };
    let at = |t: &rustls::pki_types::UnixTime| {
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(t.as_secs()))
    };
    match cert {
        CertificateError::UnknownIssuer => TlsProblem::UnknownIssuer,
        CertificateError::Expired => TlsProblem::Expired {
            not_after: None,
            now: None,
        },
        CertificateError::ExpiredContext { time, not_after } => TlsProblem::Expired {
            not_after: at(not_after),
            now: at(time),
        },
        CertificateError::NotValidYet => TlsProblem::NotYetValid {
            not_before: None,
            now: None,
        },
        CertificateError::NotValidYetContext { time, not_before } => TlsProblem::NotYetValid {
            not_before: at(not_before),
            now: at(time),
        },
        CertificateError::NotValidForName => TlsProblem::OtherName { presented: vec![] },
        CertificateError::NotValidForNameContext { presented, .. } => TlsProblem::OtherName {
            presented: presented.iter().map(|n| plain_name(n)).collect(),
        },
        other => TlsProblem::OtherCertificate(
            rustls::Error::InvalidCertificate(other.clone()).to_string(),
        ),
    }
}

/// A name as webpki writes it (`DnsName("api.example")`, `IpAddress(10.0.0.1)`), as a
/// person writes it.
fn plain_name(debug: &str) -> String {
    let inner = |prefix: &str| {
        debug
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(')'))
            .map(|n| n.trim_matches('"').to_string())
    };
    inner("DnsName(")
        .or_else(|| inner("IpAddress("))
        .unwrap_or_else(|| debug.to_string())
}

fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(e: rustls::Error) -> Box<dyn Error + Send + Sync> {
        // As hyper-util hands it to reqwest: two io::Errors around the rustls error, under
        // an error of its own.
        #[derive(Debug)]
        struct Outer(std::io::Error);
        impl fmt::Display for Outer {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("client error (Connect)")
            }
        }
        impl Error for Outer {
            fn source(&self) -> Option<&(dyn Error + 'static)> {
                Some(&self.0)
            }
        }
        Box::new(Outer(std::io::Error::other(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            e,
        ))))
    }

    #[test]
    fn certificate_problems_are_told_apart() {
        let read = |e| tls_problem(wrapped(e).as_ref());
        assert_eq!(
            read(rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer
            )),
            Some(TlsProblem::UnknownIssuer)
        );
        let expired = read(rustls::Error::InvalidCertificate(
            CertificateError::ExpiredContext {
                time: rustls::pki_types::UnixTime::since_unix_epoch(Duration::from_secs(
                    1_800_000_000,
                )),
                not_after: rustls::pki_types::UnixTime::since_unix_epoch(Duration::from_secs(
                    1_700_000_000,
                )),
            },
        ))
        .unwrap();
        assert_eq!(
            expired.to_string(),
            "certificate expired at 2023-11-14T22:13:20Z (this machine's time: \
             2027-01-15T08:00:00Z)"
        );
        let name = read(rustls::Error::InvalidCertificate(
            CertificateError::NotValidForNameContext {
                expected: rustls::pki_types::ServerName::try_from("api.devin.ai").unwrap(),
                presented: vec!["DnsName(\"proxy.corp\")".into()],
            },
        ))
        .unwrap();
        assert_eq!(
            name.to_string(),
            "certificate for another name (proxy.corp)"
        );
        let revoked = read(rustls::Error::InvalidCertificate(CertificateError::Revoked)).unwrap();
        assert!(revoked.is_certificate());
        let handshake = read(rustls::Error::InvalidMessage(
            rustls::InvalidMessage::InvalidContentType,
        ))
        .unwrap();
        assert!(!handshake.is_certificate());
    }

    #[test]
    fn errors_without_tls_in_them_are_not_tls_problems() {
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        assert_eq!(tls_problem(&refused), None);
    }
}
