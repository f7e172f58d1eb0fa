//! After a redirect, no connection to loopback, private or link-local addresses, unless the
//! URL as written already led to such an address.
//!
//! A public URL must not be able to send smm-lint on to `http://127.0.0.1:…` or the cloud
//! metadata address `169.254.169.254`. The check sits in name resolution, so it sees the
//! address the connection will use (a public name with a private address is refused as well),
//! and it works per thread: each worker checks one URL at a time, and ureq resolves on the
//! calling thread.

use std::cell::Cell;
use std::net::IpAddr;
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

thread_local! {
    /// Whether this thread's requests may not connect to an internal address now.
    static REFUSE_INTERNAL: Cell<bool> = const { Cell::new(false) };
    /// Whether a name resolved on this thread since [`start_url`] gave an internal address.
    static SAW_INTERNAL: Cell<bool> = const { Cell::new(false) };
}

/// Before the first request for a URL: anything goes, and what it resolves to is noted.
pub(crate) fn start_url() {
    REFUSE_INTERNAL.set(false);
    SAW_INTERNAL.set(false);
}

/// After a redirect: internal addresses are refused unless the URL itself led to one (an
/// intranet page redirecting within the intranet is fine).
pub(crate) fn after_redirect() {
    if !SAW_INTERNAL.get() {
        REFUSE_INTERNAL.set(true);
    }
}

/// The error a refused resolution gives.
#[derive(Debug)]
pub(crate) struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("redirect to a loopback, private or link-local address, not followed")
    }
}

impl std::error::Error for Refused {}

/// The system resolver, with the check above.
#[derive(Debug, Default)]
pub(crate) struct Guarded(DefaultResolver);

impl Resolver for Guarded {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let addrs = self.0.resolve(uri, config, timeout)?;
        // Any internal address counts: a name with one public and one private address must
        // not get through on the public one and connect on the private one.
        if addrs.iter().any(|a| is_internal(a.ip())) {
            if REFUSE_INTERNAL.get() {
                return Err(ureq::Error::Other(Box::new(Refused)));
            }
            SAW_INTERNAL.set(true);
        }
        Ok(addrs)
    }
}

/// Loopback, private (RFC 1918, RFC 4193), link-local, shared (RFC 6598), unspecified or
/// broadcast: addresses that lead into the machine or its own network.
pub(crate) fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || first & 0xfe00 == 0xfc00
                || first & 0xffc0 == 0xfe80
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| is_internal(IpAddr::V4(v4)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn internal(text: &str) -> bool {
        is_internal(text.parse().expect("an address"))
    }

    #[test]
    fn internal_addresses() {
        for ip in [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd00:ec2::254",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            assert!(internal(ip), "{ip}");
        }
        for ip in [
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "192.0.2.1",
            "2001:db8::1",
            "::ffff:93.184.216.34",
        ] {
            assert!(!internal(ip), "{ip}");
        }
    }

    /// An address literal resolves without any lookup, so this sends nothing anywhere.
    fn resolve(uri: &str) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let config = Config::default();
        Guarded::default().resolve(
            &uri.parse().expect("a URI"),
            &config,
            NextTimeout::default(),
        )
    }

    #[test]
    fn a_public_url_may_not_redirect_inside() {
        start_url();
        assert!(resolve("http://192.0.2.1:8080/").is_ok());
        after_redirect();
        let refused = resolve("http://127.0.0.1:8080/").expect_err("refused");
        assert!(refused.to_string().contains("not followed"), "{refused}");
        assert!(resolve("http://[::ffff:169.254.169.254]/").is_err());
        assert!(resolve("http://192.0.2.2/").is_ok());
        // The next URL starts afresh.
        start_url();
        assert!(resolve("http://127.0.0.1:8080/").is_ok());
    }

    #[test]
    fn an_internal_url_may_redirect_inside() {
        start_url();
        assert!(resolve("http://10.0.0.5/").is_ok());
        after_redirect();
        assert!(resolve("http://127.0.0.1:8080/").is_ok());
    }
}
