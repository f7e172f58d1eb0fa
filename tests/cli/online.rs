//! The online URL checks against a local HTTP server (no outside network).

use crate::common::Server;
use smm_lint::online::{Options, UrlStatus, check_all};
use std::net::TcpListener;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

fn unreachable(reason: &str) -> UrlStatus {
    UrlStatus::Unreachable(reason.to_owned())
}

fn unknown(reason: &str) -> UrlStatus {
    UrlStatus::Unknown(reason.to_owned())
}

#[test]
fn statuses_map_as_specified() {
    let server = Server::start();
    let cases = [
        ("/ok", UrlStatus::Reachable),
        ("/missing", unreachable("404 Not Found")),
        ("/gone", unreachable("410 Gone")),
        ("/limited", unknown("429 Too Many Requests")),
        ("/forbidden", unknown("403 Forbidden")),
        ("/error", unreachable("500 Internal Server Error")),
        ("/head-not-allowed", UrlStatus::Reachable),
        ("/redirect", UrlStatus::Reachable),
        ("/loop", unreachable("too many redirects")),
    ];
    let urls: Vec<String> = cases.iter().map(|(path, _)| server.url(path)).collect();
    let results = check_all(&urls, &Options::default());
    assert_eq!(results.len(), cases.len());
    for (path, expected) in &cases {
        assert_eq!(&results[&server.url(path)], expected, "{path}");
    }

    // HEAD first, GET only after 405.
    assert_eq!(server.requests_to("/missing"), ["HEAD"]);
    assert_eq!(server.requests_to("/head-not-allowed"), ["HEAD", "GET"]);
    // The redirect was followed to /ok: one HEAD there for /ok itself, one via /redirect.
    assert_eq!(server.requests_to("/redirect"), ["HEAD"]);
    assert_eq!(server.requests_to("/ok"), ["HEAD", "HEAD"]);
    // One request plus at most five redirects.
    assert_eq!(server.requests_to("/loop").len(), 6);
}

/// Every request, whatever its method or redirect, names the tool and its version (a site
/// that blocks anonymous clients can then tell who asks).
#[test]
fn every_request_names_the_tool_and_its_version() {
    let server = Server::start();
    let urls = [
        server.url("/ok"),
        server.url("/head-not-allowed"),
        server.url("/redirect"),
    ];
    check_all(&urls, &Options::default());
    let seen = server.seen();
    assert_eq!(seen.len(), 5, "{seen:?}");
    let expected = format!("smm-lint/{}", env!("CARGO_PKG_VERSION"));
    for request in seen {
        assert_eq!(
            request.user_agent.as_deref(),
            Some(expected.as_str()),
            "{request:?}"
        );
    }
}

#[test]
fn labels_of_results() {
    let server = Server::start();
    let urls = vec![
        server.url("/ok"),
        server.url("/missing"),
        server.url("/forbidden"),
        "ftp://example.org/file".to_owned(),
    ];
    let results = check_all(&urls, &Options::default());
    let labels: Vec<&str> = results.values().map(UrlStatus::label).collect();
    // BTreeMap order: ftp:// sorts before http://, and the paths sort by name.
    assert_eq!(
        labels,
        ["unchecked-url", "unknown", "unreachable", "reachable"]
    );
}

#[test]
fn non_http_urls_are_never_fetched() {
    let server = Server::start();
    let urls = vec![
        format!("ftp://127.0.0.1:{}/ok", server.port),
        "file:///etc/passwd".to_owned(),
    ];
    let results = check_all(&urls, &Options::default());
    assert_eq!(results.len(), 2);
    for url in &urls {
        assert!(
            matches!(results[url], UrlStatus::NotChecked(_)),
            "{url}: {:?}",
            results[url]
        );
    }
    assert!(server.seen().is_empty(), "{:?}", server.seen());
}

#[test]
fn an_empty_list_makes_no_request() {
    let server = Server::start();
    assert!(check_all(&[], &Options::default()).is_empty());
    assert!(server.seen().is_empty());
}

#[test]
fn duplicates_are_checked_once() {
    let server = Server::start();
    let url = server.url("/ok");
    let results = check_all(
        &[url.clone(), url.clone(), url.clone()],
        &Options::default(),
    );
    assert_eq!(results.len(), 1);
    assert_eq!(results[&url], UrlStatus::Reachable);
    assert_eq!(server.requests_to("/ok"), ["HEAD"]);
}

#[test]
fn an_unused_port_is_unreachable() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        listener.local_addr().expect("local address").port()
    };
    let url = format!("http://127.0.0.1:{port}/ok");
    let results = check_all(std::slice::from_ref(&url), &Options::default());
    assert_eq!(results[&url], unreachable("connection refused"));
}

#[test]
fn a_slow_server_times_out() {
    let server = Server::start();
    let url = server.url("/hang");
    let options = Options {
        timeout: Duration::from_millis(300),
        ..Options::default()
    };
    let started = Instant::now();
    let results = check_all(std::slice::from_ref(&url), &options);
    assert_eq!(results[&url], unreachable("timeout"));
    assert!(started.elapsed() < Duration::from_millis(1500));
}

#[test]
fn concurrency_is_bounded() {
    let server = Server::start();
    let urls: Vec<String> = (0..20)
        .map(|i| server.url(&format!("/slow?n={i}")))
        .collect();
    let options = Options {
        concurrency: 4,
        ..Options::default()
    };
    let started = Instant::now();
    let results = check_all(&urls, &options);
    let elapsed = started.elapsed();

    assert_eq!(results.len(), 20);
    assert!(
        results
            .values()
            .all(|status| *status == UrlStatus::Reachable)
    );
    assert_eq!(server.requests_to("/slow").len(), 20);
    let max = server.shared.max_in_flight.load(Ordering::SeqCst);
    assert!(max <= 4, "{max} requests in flight with concurrency 4");
    assert!(max >= 2, "requests never overlapped (max in flight {max})");
    // 20 requests of 200 ms, four at a time: about 1 s, well under 20 × 200 ms.
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
}
