//! Opt-in online checks: is each evidence URL reachable over HTTP(S)?
//!
//! Only `http` and `https` URLs are fetched; anything else (`ftp:`, `file:`, `mailto:` …) is
//! reported as not checked and never touched. Each URL gets a `HEAD` request, retried as `GET`
//! when the server does not support `HEAD` (405 or 501). Redirects are followed up to a limit.
//! URLs are checked by a fixed pool of threads pulling from a shared queue, so the number of
//! requests in flight never exceeds [`Options::concurrency`].
//!
//! This module prints nothing; callers decide how to report the [`UrlStatus`] of each URL.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ureq::http::StatusCode;

/// The `User-Agent` sent with every request.
pub const USER_AGENT: &str = concat!("smm-lint/", env!("CARGO_PKG_VERSION"));

/// The outcome of checking one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlStatus {
    /// The server answered 2xx (or 3xx once redirects were followed).
    Reachable,
    /// The URL is broken; the reason is short, e.g. `404 Not Found`, `DNS: …`, `timeout`.
    Unreachable(String),
    /// The server refused to say (401, 403, 429): not a failure.
    Unknown(String),
    /// The URL is not `http`/`https`, so it was not fetched; the reason says why.
    NotChecked(String),
}

impl UrlStatus {
    /// A stable one-word label: `reachable`, `unreachable`, `unknown` or `unchecked-url`.
    pub fn label(&self) -> &'static str {
        match self {
            UrlStatus::Reachable => "reachable",
            UrlStatus::Unreachable(_) => "unreachable",
            UrlStatus::Unknown(_) => "unknown",
            UrlStatus::NotChecked(_) => "unchecked-url",
        }
    }
}

/// How the checks run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Most requests in flight at once (a value of 0 is treated as 1). Default 8.
    pub concurrency: usize,
    /// Time limit for one request, redirects included. A `HEAD` that falls back to `GET` can
    /// take up to twice this. Default 10 s.
    pub timeout: Duration,
    /// Most redirects followed before giving up with `too many redirects`. With 0, no redirect
    /// is followed and a 3xx answer counts as reachable. Default 5.
    pub max_redirects: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            concurrency: 8,
            timeout: Duration::from_secs(10),
            max_redirects: 5,
        }
    }
}

/// Checks every distinct URL in `urls` and returns one status per distinct URL, ordered by URL.
///
/// URLs that are not `http`/`https` are never fetched. An empty list makes no request.
pub fn check_all(urls: &[String], options: &Options) -> BTreeMap<String, UrlStatus> {
    let unique: BTreeSet<&str> = urls.iter().map(String::as_str).collect();
    let mut results = BTreeMap::new();
    let mut queue: Vec<&str> = Vec::new();
    for url in unique {
        match unchecked_reason(url) {
            Some(reason) => {
                results.insert(url.to_owned(), UrlStatus::NotChecked(reason));
            }
            None => queue.push(url),
        }
    }
    if queue.is_empty() {
        return results;
    }

    let agent = build_agent(options);
    let next = AtomicUsize::new(0);
    let workers = options.concurrency.clamp(1, queue.len());
    let checked: Vec<Vec<(String, UrlStatus)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let agent = agent.clone();
                let (queue, next) = (&queue, &next);
                scope.spawn(move || {
                    let mut done = Vec::new();
                    while let Some(url) = queue.get(next.fetch_add(1, Ordering::Relaxed)) {
                        done.push(((*url).to_owned(), check_one(&agent, url)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    results.extend(checked.into_iter().flatten());
    results
}

/// Why `url` will not be fetched, or `None` when it is `http`/`https`.
fn unchecked_reason(url: &str) -> Option<String> {
    match scheme(url) {
        Some(scheme) if scheme.eq_ignore_ascii_case("http") => None,
        Some(scheme) if scheme.eq_ignore_ascii_case("https") => None,
        Some(scheme) => Some(format!("`{scheme}:` URLs are not checked")),
        None => Some("not an absolute URL".to_owned()),
    }
}

/// The scheme of `url` (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`, then `:`).
fn scheme(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (first_ok && rest_ok).then_some(scheme)
}

fn build_agent(options: &Options) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(options.max_redirects)
        .max_redirects_will_error(true)
        .timeout_global(Some(options.timeout))
        .user_agent(USER_AGENT)
        .build()
        .into()
}

/// `HEAD`, then `GET` when the server does not support `HEAD`.
fn check_one(agent: &ureq::Agent, url: &str) -> UrlStatus {
    let status = match agent.head(url).call() {
        Ok(response) => response.status().as_u16(),
        Err(error) => return classify_error(&error),
    };
    if status != 405 && status != 501 {
        return classify_status(status);
    }
    // The body is never read: the status line is all we need, and dropping the response
    // closes the connection.
    match agent.get(url).call() {
        Ok(response) => classify_status(response.status().as_u16()),
        Err(error) => classify_error(&error),
    }
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

/// Maps a transport-level failure to [`UrlStatus::Unreachable`] with a short reason.
fn classify_error(error: &ureq::Error) -> UrlStatus {
    let reason = match error {
        ureq::Error::Timeout(_) => "timeout".to_owned(),
        ureq::Error::HostNotFound => "DNS: host not found".to_owned(),
        ureq::Error::TooManyRedirects => "too many redirects".to_owned(),
        ureq::Error::RedirectFailed => "redirect failed".to_owned(),
        ureq::Error::ConnectionFailed => "connection failed".to_owned(),
        ureq::Error::BadUri(detail) => format!("invalid URL: {detail}"),
        ureq::Error::Http(detail) => format!("invalid URL: {detail}"),
        ureq::Error::StatusCode(code) => return classify_status(*code),
        ureq::Error::Io(io_error) => io_reason(io_error),
        other => other.to_string(),
    };
    UrlStatus::Unreachable(reason)
}

fn io_reason(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::ConnectionRefused => return "connection refused".to_owned(),
        io::ErrorKind::ConnectionReset => return "connection reset".to_owned(),
        io::ErrorKind::TimedOut => return "timeout".to_owned(),
        _ => {}
    }
    // Name resolution fails with an uncategorised error; std words it
    // "failed to lookup address information: <getaddrinfo message>".
    let message = error.to_string();
    const LOOKUP: &str = "failed to lookup address information";
    if let Some(rest) = message.strip_prefix(LOOKUP) {
        let detail = rest.trim_start_matches(':').trim();
        return if detail.is_empty() {
            "DNS: lookup failed".to_owned()
        } else {
            format!("DNS: {detail}")
        };
    }
    // Windows reports lookup failures as WSAHOST_NOT_FOUND / WSANO_DATA.
    if matches!(error.raw_os_error(), Some(11001 | 11004)) && cfg!(windows) {
        return format!("DNS: {message}");
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(UrlStatus::Reachable.label(), "reachable");
        assert_eq!(UrlStatus::Unreachable("x".into()).label(), "unreachable");
        assert_eq!(UrlStatus::Unknown("x".into()).label(), "unknown");
        assert_eq!(UrlStatus::NotChecked("x".into()).label(), "unchecked-url");
    }

    #[test]
    fn default_options() {
        let options = Options::default();
        assert_eq!(options.concurrency, 8);
        assert_eq!(options.timeout, Duration::from_secs(10));
        assert_eq!(options.max_redirects, 5);
    }

    #[test]
    fn user_agent_names_the_tool_and_version() {
        assert_eq!(
            USER_AGENT,
            format!("smm-lint/{}", env!("CARGO_PKG_VERSION"))
        );
    }

    #[test]
    fn schemes() {
        assert_eq!(scheme("https://example.org/x"), Some("https"));
        assert_eq!(scheme("HTTP://example.org"), Some("HTTP"));
        assert_eq!(scheme("svn+ssh://host/repo"), Some("svn+ssh"));
        assert_eq!(scheme("mailto:a@b.c"), Some("mailto"));
        assert_eq!(scheme("docs/evidence.pdf"), None);
        assert_eq!(scheme("./a:b"), None);
        assert_eq!(scheme("1http://x"), None);
        assert_eq!(scheme(""), None);
    }

    #[test]
    fn only_http_and_https_are_checked() {
        assert_eq!(unchecked_reason("http://example.org"), None);
        assert_eq!(unchecked_reason("https://example.org"), None);
        assert_eq!(unchecked_reason("HTTPS://example.org"), None);
        assert_eq!(
            unchecked_reason("ftp://example.org/f"),
            Some("`ftp:` URLs are not checked".to_owned())
        );
        assert_eq!(
            unchecked_reason("file:///etc/passwd"),
            Some("`file:` URLs are not checked".to_owned())
        );
        assert_eq!(
            unchecked_reason("evidence/report.pdf"),
            Some("not an absolute URL".to_owned())
        );
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
        assert_eq!(reason(ureq::Error::HostNotFound), "DNS: host not found");
        assert_eq!(
            reason(ureq::Error::Io(io::ErrorKind::ConnectionRefused.into())),
            "connection refused"
        );
        assert_eq!(
            reason(ureq::Error::Io(io::ErrorKind::TimedOut.into())),
            "timeout"
        );
        assert_eq!(
            reason(ureq::Error::Io(io::Error::other(
                "failed to lookup address information: Name or service not known"
            ))),
            "DNS: Name or service not known"
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

    #[test]
    fn nothing_to_fetch() {
        assert!(check_all(&[], &Options::default()).is_empty());
        let urls = vec![
            "mailto:security@example.org".to_owned(),
            "file:///etc/passwd".to_owned(),
            "file:///etc/passwd".to_owned(),
        ];
        let results = check_all(&urls, &Options::default());
        assert_eq!(results.len(), 2);
        assert!(
            results
                .values()
                .all(|status| matches!(status, UrlStatus::NotChecked(_)))
        );
    }
}
