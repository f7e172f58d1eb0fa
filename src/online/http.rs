//! One URL's check: the requests (`HEAD`, then `GET` when `HEAD` is not supported), the
//! redirects followed hop by hop, and the answer or the failure turned into a [`UrlStatus`].

use super::{Budget, Options, UrlStatus, guard, scheme, unchecked_reason};
use std::io;
use ureq::http::{StatusCode, Uri};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Head,
    Get,
}

/// `HEAD` (then `GET` when the server does not support `HEAD`), following redirects.
pub(super) fn check_one(
    agent: &ureq::Agent,
    url: &str,
    options: &Options,
    budget: &Budget,
) -> UrlStatus {
    let mut current = url.to_owned();
    let mut method = Method::Head;
    let mut redirects = 0;
    guard::start_url();
    loop {
        let (code, location) = match request(agent, method, &current, budget) {
            Ok(answer) => answer,
            Err(status) => return status,
        };
        if method == Method::Head && matches!(code, 405 | 501) {
            method = Method::Get;
            continue;
        }
        let Some(location) = location.filter(|_| is_redirect(code) && options.max_redirects > 0)
        else {
            return classify_status(code);
        };
        if redirects == options.max_redirects {
            return UrlStatus::Unreachable("too many redirects".to_owned());
        }
        redirects += 1;
        current = match next_hop(&current, &location) {
            Ok(next) => next,
            Err(reason) => return UrlStatus::Unreachable(reason),
        };
        guard::after_redirect();
    }
}

fn is_redirect(code: u16) -> bool {
    matches!(code, 301 | 302 | 303 | 307 | 308)
}

/// One request; the status and the `Location` header. The body is never read: dropping the
/// response closes the connection.
fn request(
    agent: &ureq::Agent,
    method: Method,
    url: &str,
    budget: &Budget,
) -> Result<(u16, Option<String>), UrlStatus> {
    let left = budget.left()?;
    let sent = match method {
        Method::Head => agent
            .head(url)
            .config()
            .timeout_global(Some(left))
            .build()
            .call(),
        Method::Get => agent
            .get(url)
            .config()
            .timeout_global(Some(left))
            .build()
            .call(),
    };
    match sent {
        Ok(response) => {
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            Ok((response.status().as_u16(), location))
        }
        Err(error) if is_timeout(&error) => Err(budget.expired()),
        Err(error) => Err(classify_error(&error)),
    }
}

fn is_timeout(error: &ureq::Error) -> bool {
    match error {
        ureq::Error::Timeout(_) => true,
        ureq::Error::Io(e) => e.kind() == io::ErrorKind::TimedOut,
        _ => false,
    }
}

/// The URL a `Location` leads to, if it is one we may follow: `http`/`https` only, at every hop.
fn next_hop(from: &str, location: &str) -> Result<String, String> {
    let next = join(from, location.trim())
        .ok_or_else(|| format!("redirect to an invalid location `{}`", short(location)))?;
    match unchecked_reason(&next) {
        None => Ok(next),
        Some(_) => Err(format!(
            "redirect to a `{}:` URL, not followed: only http and https are",
            scheme(&next).unwrap_or("?")
        )),
    }
}

/// A location for a message: one line, at most 100 characters.
fn short(text: &str) -> String {
    let line = crate::text::excerpt(text);
    match line.char_indices().nth(100) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

/// `location` resolved against the URL `base` (RFC 3986, section 5.2, without removing dot
/// segments: the server does that). The fragment is dropped; it is never sent.
fn join(base: &str, location: &str) -> Option<String> {
    let location = location.split('#').next().unwrap_or_default();
    if location.is_empty() {
        return Some(base.split('#').next().unwrap_or_default().to_owned());
    }
    if scheme(location).is_some() {
        return Some(location.to_owned());
    }
    let uri: Uri = base.parse().ok()?;
    let scheme = uri.scheme_str()?;
    let authority = uri.authority()?.as_str();
    if location.starts_with("//") {
        return Some(format!("{scheme}:{location}"));
    }
    let path = uri.path();
    let joined = if location.starts_with('/') {
        location.to_owned()
    } else if location.starts_with('?') {
        format!("{path}{location}")
    } else {
        let dir = path.rfind('/').map_or("/", |i| &path[..=i]);
        format!("{dir}{location}")
    };
    Some(format!("{scheme}://{authority}{joined}"))
}

/// Maps the final HTTP status (after redirects) to a [`UrlStatus`].
fn classify_status(code: u16) -> UrlStatus {
    match code {
        200..=399 => UrlStatus::Reachable,
        401 | 403 | 429 => UrlStatus::Unknown(status_text(code)),
        _ => UrlStatus::Unreachable(status_text(code)),
    }
}

/// `404 Not Found`, or just the number for a code without a standard reason phrase.
fn status_text(code: u16) -> String {
    match StatusCode::from_u16(code)
        .ok()
        .and_then(|status| status.canonical_reason())
    {
        Some(reason) => format!("{code} {reason}"),
        None => code.to_string(),
    }
}

/// Maps a transport-level failure to a [`UrlStatus`] with a short reason. A name that does
/// not resolve is `unknown`: from here the host may only be hidden (an intranet behind a VPN).
fn classify_error(error: &ureq::Error) -> UrlStatus {
    let reason = match error {
        ureq::Error::Timeout(_) => "timeout".to_owned(),
        ureq::Error::HostNotFound => return UrlStatus::Unknown("DNS: host not found".to_owned()),
        ureq::Error::TooManyRedirects => "too many redirects".to_owned(),
        ureq::Error::RedirectFailed => "redirect failed".to_owned(),
        ureq::Error::ConnectionFailed => "connection failed".to_owned(),
        ureq::Error::BadUri(detail) => format!("invalid URL: {detail}"),
        ureq::Error::Http(detail) => format!("invalid URL: {detail}"),
        ureq::Error::StatusCode(code) => return classify_status(*code),
        // Not a verdict on the URL: it may work for someone inside that network.
        ureq::Error::Other(inner) if inner.is::<guard::Refused>() => {
            return UrlStatus::Unknown(inner.to_string());
        }
        ureq::Error::Io(io_error) => match dns_failure(io_error) {
            Some(reason) => return UrlStatus::Unknown(reason),
            None => io_reason(io_error),
        },
        other => other.to_string(),
    };
    UrlStatus::Unreachable(reason)
}

/// `DNS: …` when the error is a failed name lookup.
fn dns_failure(error: &io::Error) -> Option<String> {
    // Name resolution fails with an uncategorised error; std words it
    // "failed to lookup address information: <getaddrinfo message>".
    let message = error.to_string();
    const LOOKUP: &str = "failed to lookup address information";
    if let Some(rest) = message.strip_prefix(LOOKUP) {
        let detail = rest.trim_start_matches(':').trim();
        return Some(if detail.is_empty() {
            "DNS: lookup failed".to_owned()
        } else {
            format!("DNS: {detail}")
        });
    }
    // Windows reports lookup failures as WSAHOST_NOT_FOUND / WSANO_DATA.
    if matches!(error.raw_os_error(), Some(11001 | 11004)) && cfg!(windows) {
        return Some(format!("DNS: {message}"));
    }
    None
}

fn io_reason(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::ConnectionRefused => "connection refused".to_owned(),
        io::ErrorKind::ConnectionReset => "connection reset".to_owned(),
        io::ErrorKind::TimedOut => "timeout".to_owned(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_that_does_not_resolve_is_unknown_not_unreachable() {
        assert_eq!(
            classify_error(&ureq::Error::HostNotFound),
            UrlStatus::Unknown("DNS: host not found".to_owned())
        );
        assert_eq!(
            classify_error(&ureq::Error::Io(io::Error::other(
                "failed to lookup address information: Name or service not known"
            ))),
            UrlStatus::Unknown("DNS: Name or service not known".to_owned())
        );
        assert_eq!(
            classify_error(&ureq::Error::Io(io::Error::other(
                "failed to lookup address information"
            ))),
            UrlStatus::Unknown("DNS: lookup failed".to_owned())
        );
    }

    #[test]
    fn locations_resolve_against_the_current_url() {
        let base = "https://example.org/docs/a/page?x=1";
        for (location, expected) in [
            ("https://other.example/x", "https://other.example/x"),
            ("//cdn.example/y", "https://cdn.example/y"),
            ("/root", "https://example.org/root"),
            ("sibling", "https://example.org/docs/a/sibling"),
            ("../up", "https://example.org/docs/a/../up"),
            ("?q=2", "https://example.org/docs/a/page?q=2"),
            ("/with#fragment", "https://example.org/with"),
            ("file:///etc/passwd", "file:///etc/passwd"),
        ] {
            assert_eq!(
                join(base, location).as_deref(),
                Some(expected),
                "{location}"
            );
        }
        assert_eq!(
            join("http://127.0.0.1:8080", "next").as_deref(),
            Some("http://127.0.0.1:8080/next")
        );
    }

    #[test]
    fn only_http_and_https_redirects_are_followed() {
        let from = "http://example.org/a";
        assert_eq!(next_hop(from, "/b").as_deref(), Ok("http://example.org/b"));
        assert_eq!(
            next_hop(from, "HTTPS://example.org/c").as_deref(),
            Ok("HTTPS://example.org/c")
        );
        for location in [
            "file:///etc/passwd",
            "ftp://example.org/f",
            "gopher://127.0.0.1:11211/_stats",
            "javascript:alert(1)",
        ] {
            let reason = next_hop(from, location).expect_err(location);
            assert!(reason.contains("not followed"), "{location}: {reason}");
        }
    }

    #[test]
    fn statuses() {
        assert_eq!(classify_status(200), UrlStatus::Reachable);
        assert_eq!(classify_status(204), UrlStatus::Reachable);
        assert_eq!(classify_status(304), UrlStatus::Reachable);
        for (code, text) in [
            (401, "401 Unauthorized"),
            (403, "403 Forbidden"),
            (429, "429 Too Many Requests"),
        ] {
            assert_eq!(classify_status(code), UrlStatus::Unknown(text.to_owned()));
        }
        for (code, text) in [
            (400, "400 Bad Request"),
            (404, "404 Not Found"),
            (405, "405 Method Not Allowed"),
            (410, "410 Gone"),
            (418, "418 I'm a teapot"),
            (500, "500 Internal Server Error"),
            (503, "503 Service Unavailable"),
            (599, "599"),
            (100, "100 Continue"),
        ] {
            assert_eq!(
                classify_status(code),
                UrlStatus::Unreachable(text.to_owned())
            );
        }
    }

    fn reason(error: ureq::Error) -> String {
        match classify_error(&error) {
            UrlStatus::Unreachable(reason) => reason,
            other => panic!("expected unreachable, got {other:?}"),
        }
    }

    #[test]
    fn transport_errors() {
        assert_eq!(
            reason(ureq::Error::Timeout(ureq::Timeout::Global)),
            "timeout"
        );
        assert_eq!(
            reason(ureq::Error::Timeout(ureq::Timeout::Connect)),
            "timeout"
        );
        assert_eq!(reason(ureq::Error::TooManyRedirects), "too many redirects");
        assert_eq!(
            reason(ureq::Error::Io(io::ErrorKind::ConnectionRefused.into())),
            "connection refused"
        );
        assert_eq!(
            reason(ureq::Error::Io(io::ErrorKind::TimedOut.into())),
            "timeout"
        );
        assert_eq!(
            reason(ureq::Error::BadUri("no host".into())),
            "invalid URL: no host"
        );
        assert_eq!(
            classify_error(&ureq::Error::StatusCode(404)),
            UrlStatus::Unreachable("404 Not Found".to_owned())
        );
        assert_eq!(
            classify_error(&ureq::Error::StatusCode(403)),
            UrlStatus::Unknown("403 Forbidden".to_owned())
        );
    }
}
