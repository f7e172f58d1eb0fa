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
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

mod guard;
mod http;

use http::check_one;

/// The `User-Agent` sent with every request.
pub(crate) const USER_AGENT: &str = concat!("smm-lint/", env!("CARGO_PKG_VERSION"));

/// The default of [`Options::deadline`], in seconds.
pub(crate) const DEFAULT_DEADLINE_SECS: u64 = 60;

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
pub(crate) fn options(online: bool, deadline_secs: Option<u64>) -> Option<Options> {
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
pub(crate) fn past_deadline(deadline: Duration) -> UrlStatus {
    UrlStatus::Unknown(format!(
        "not checked within the run's deadline of {} s",
        deadline.as_secs_f64()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

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
