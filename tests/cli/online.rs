//! The online URL checks against a local HTTP server (no outside network).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use smm_lint::online::{Options, UrlStatus, check_all};

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    user_agent: Option<String>,
}

#[derive(Default)]
struct Shared {
    seen: Mutex<Vec<Seen>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// A tiny HTTP/1.1 server on 127.0.0.1 that answers by path, one request per connection.
struct Server {
    port: u16,
    shared: Arc<Shared>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let port = listener.local_addr().expect("local address").port();
        let shared = Arc::new(Shared::default());
        let for_thread = Arc::clone(&shared);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let shared = Arc::clone(&for_thread);
                thread::spawn(move || serve(stream, &shared));
            }
        });
        Server { port, shared }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn seen(&self) -> Vec<Seen> {
        self.shared.seen.lock().expect("lock").clone()
    }

    fn requests_to(&self, path: &str) -> Vec<String> {
        self.seen()
            .into_iter()
            .filter(|seen| seen.path == path)
            .map(|seen| seen.method)
            .collect()
    }
}

fn serve(stream: TcpStream, shared: &Shared) {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("set a read timeout");
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
    let mut user_agent = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        match line.split_once(':') {
            Some((name, value)) if name.eq_ignore_ascii_case("user-agent") => {
                user_agent = Some(value.trim().to_owned());
            }
            _ => {}
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let path = target.split('?').next().unwrap_or_default().to_owned();
    shared.seen.lock().expect("lock").push(Seen {
        method: method.clone(),
        path: path.clone(),
        user_agent,
    });

    let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    shared.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let (status, location) = match path.as_str() {
        "/ok" => ("200 OK", None),
        "/missing" => ("404 Not Found", None),
        "/gone" => ("410 Gone", None),
        "/limited" => ("429 Too Many Requests", None),
        "/forbidden" => ("403 Forbidden", None),
        "/error" => ("500 Internal Server Error", None),
        "/head-not-allowed" if method == "HEAD" => ("405 Method Not Allowed", None),
        "/head-not-allowed" => ("200 OK", None),
        "/redirect" => ("302 Found", Some("/ok")),
        "/loop" => ("302 Found", Some("/loop")),
        "/slow" => {
            thread::sleep(Duration::from_millis(200));
            ("200 OK", None)
        }
        "/hang" => {
            thread::sleep(Duration::from_secs(2));
            ("200 OK", None)
        }
        _ => ("404 Not Found", None),
    };
    // Leave the in-flight count before answering, so that a client's next request can never
    // overlap with this one in the count.
    shared.in_flight.fetch_sub(1, Ordering::SeqCst);

    let mut response = format!("HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: 0\r\n");
    if let Some(location) = location {
        response.push_str(&format!("Location: {location}\r\n"));
    }
    response.push_str("\r\n");
    let mut stream = reader.into_inner();
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
}

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

    let expected_agent = format!("smm-lint/{}", env!("CARGO_PKG_VERSION"));
    for seen in server.seen() {
        assert_eq!(seen.user_agent.as_deref(), Some(expected_agent.as_str()));
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
