//! Opt-in online checks: is each evidence URL reachable over HTTP(S)?
//!
//! Only `http` and `https` URLs are fetched; anything else (`ftp:`, `file:`, `mailto:` …) is
//! reported as not checked and never touched. Each URL gets a `HEAD` request, retried as `GET`
//! when the server does not support `HEAD` (405 or 501). Redirects are followed here, hop by
//! hop, up to a limit, and only to `http`/`https` URLs. URLs are checked by a fixed pool of
//! threads pulling from a shared queue, so the number of requests in flight never exceeds
//! [`Options::concurrency`]; the whole run ends by [`Options::deadline`].
//!
//! This module prints nothing; callers decide how to report the [`UrlStatus`] of each URL.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ureq::http::{StatusCode, Uri};

mod guard;

/// The `User-Agent` sent with every request.
pub const USER_AGENT: &str = concat!("smm-lint/", env!("CARGO_PKG_VERSION"));

/// The default of [`Options::deadline`], in seconds.
pub const DEFAULT_DEADLINE_SECS: u64 = 60;

/// The outcome of checking one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlStatus {
    /// The server answered 2xx (or 3xx once redirects were followed).
    Reachable,
    /// The URL is broken; the reason is short, e.g. `404 Not Found`, `timeout`.
    Unreachable(String),
    /// No answer either way (401, 403, 429, a name that does not resolve here, the run's
    /// deadline): not a failure.
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
    /// Time limit for one URL: its redirects and the `GET` after a refused `HEAD` included.
    /// Default 10 s.
    pub timeout: Duration,
    /// Most redirects followed before giving up with `too many redirects`. With 0, no redirect
    /// is followed and a 3xx answer counts as reachable. Default 5.
    pub max_redirects: u32,
    /// Time limit for the whole run: a URL not answered by then is `unknown`. Default 60 s.
    pub deadline: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            concurrency: 8,
            timeout: Duration::from_secs(10),
            max_redirects: 5,
            deadline: Duration::from_secs(DEFAULT_DEADLINE_SECS),
        }
    }
}

/// The options of a run given `--online` (and `--online-deadline SECONDS`), or `None`.
pub fn options(online: bool, deadline_secs: Option<u64>) -> Option<Options> {
    online.then(|| Options {
        deadline: Duration::from_secs(deadline_secs.unwrap_or(DEFAULT_DEADLINE_SECS)),
        ..Options::default()
    })
}

/// Checks every distinct URL in `urls` and returns one status per distinct URL, ordered by URL.
///
/// URLs that are not `http`/`https` are never fetched. An empty list makes no request.
pub fn check_all(urls: &[String], options: &Options) -> BTreeMap<String, UrlStatus> {
    // A deadline too far to add to the clock is no deadline at all.
    let now = Instant::now();
    let run_ends = now
        .checked_add(options.deadline)
        .unwrap_or(now + Duration::from_secs(86_400));
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

    let agent = build_agent();
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
                        let budget = Budget::new(options, run_ends);
                        done.push(((*url).to_owned(), check_one(&agent, url, options, &budget)));
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

/// One agent for the run. It follows no redirect itself: each hop's target is checked here
/// first (ureq would pass a `file:` Location on to the same host as a path).
///
/// Its resolver refuses internal addresses after a redirect (see [`guard`]); no connection is
/// kept for reuse, so every hop goes through the resolver.
fn build_agent() -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_idle_connections(0)
        .max_idle_connections_per_host(0)
        .user_agent(USER_AGENT)
        .build();
    ureq::Agent::with_parts(
        config,
        ureq::unversioned::transport::DefaultConnector::default(),
        guard::Guarded::default(),
    )
}

/// When one URL's time is up: its own timeout, or the run's deadline if that comes first.
#[derive(Debug, Clone, Copy)]
struct Budget {
    ends: Instant,
    /// Whether `ends` is the run's deadline rather than the URL's own timeout.
    by_deadline: bool,
    deadline: Duration,
}

impl Budget {
    fn new(options: &Options, run_ends: Instant) -> Budget {
        let own = Instant::now() + options.timeout;
        Budget {
            ends: own.min(run_ends),
            by_deadline: run_ends <= own,
            deadline: options.deadline,
        }
    }

    /// Time left, or the status of a URL whose time is up.
    fn left(&self) -> Result<Duration, UrlStatus> {
        let left = self.ends.saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(self.expired())
        } else {
            Ok(left)
        }
    }

    fn expired(&self) -> UrlStatus {
        if self.by_deadline {
            past_deadline(self.deadline)
        } else {
            UrlStatus::Unreachable("timeout".to_owned())
        }
    }
}

/// The status of a URL not answered before the run's deadline.
pub fn past_deadline(deadline: Duration) -> UrlStatus {
    UrlStatus::Unknown(format!(
        "not checked within the run's deadline of {} s",
        deadline.as_secs_f64()
    ))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Head,
    Get,
}

/// `HEAD` (then `GET` when the server does not support `HEAD`), following redirects.
fn check_one(agent: &ureq::Agent, url: &str, options: &Options, budget: &Budget) -> UrlStatus {
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
        assert_eq!(options.deadline, Duration::from_secs(60));
    }

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
