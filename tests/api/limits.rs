//! Limits that keep one client from exhausting the service: per-client rate limits on public
//! writes and failed token look-ups (`429` with `Retry-After`), slow request heads and too
//! many connections, and the security headers every response carries. What drawing badge
//! images costs other requests is measured, not asserted: the benchmark's scenario
//! "GET /healthz while badge PNGs are drawn" (`cargo bench --bench load`).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use poem::http::Method;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{Backend, Reply, TestApp, read, run};
use crate::registrations::delegate;
use crate::{db_test, db_test_with};

/// Limits on, clients told apart by `X-Forwarded-For` (as behind a reverse proxy).
fn limited(config: &mut dialogue::Config) {
    config.limits.rate_limits = true;
    config.limits.trust_forwarded_for = true;
}

async fn register_from(app: &TestApp, event: &str, client: &str, email: &str) -> Reply {
    let response = app
        .client
        .post(format!("/api/v1/events/{event}/registrations"))
        .header("X-Forwarded-For", format!("10.9.9.9, {client}"))
        .body_json(&delegate(email, &[]))
        .send()
        .await
        .0;
    read(response).await
}

fn assert_too_many(reply: &Reply) {
    reply.expect_problem(429);
    let wait: u64 = reply
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=120).contains(&wait), "Retry-After {wait}");
}

db_test_with!(
    ten_thousand_registrations_from_one_client_are_mostly_refused,
    limited,
    |app| async move {
        let event = app.published_event(json!({"capacity": null})).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut created = 0;
        let mut refused = 0;
        for n in 0..10_000 {
            let reply =
                register_from(&app, &event, "203.0.113.7", &format!("bot{n}@example.org")).await;
            match reply.status.as_u16() {
                201 => created += 1,
                429 => {
                    if refused == 0 {
                        assert_too_many(&reply);
                    }
                    refused += 1;
                }
                other => panic!("unexpected {other}: {}", reply.text),
            }
        }
        assert!(refused >= 9_900, "{refused} refused, {created} created");
        assert_eq!(app.count_rows("registrations").await, created);
        // The event stays open to everyone else.
        register_from(&app, &event, "198.51.100.20", "person@example.org")
            .await
            .expect(201);
        // Reading is never limited.
        for _ in 0..200 {
            let agenda = app
                .client
                .get(format!("/api/v1/events/{event}/agenda"))
                .header("X-Forwarded-For", "203.0.113.7")
                .send()
                .await
                .0;
            assert_eq!(agenda.status().as_u16(), 200);
        }
    }
);

db_test_with!(guessing_tokens_is_slowed_down, limited, |app| async move {
    let attacker = "203.0.113.66";
    let guess = |n: usize| {
        let app = &app;
        async move {
            let response = app
                .client
                .get("/api/v1/registrations/me")
                .header("X-Forwarded-For", attacker)
                .header("Authorization", format!("Bearer dlg_reg_guess{n:040}"))
                .send()
                .await
                .0;
            read(response).await
        }
    };
    let mut unauthorized = 0;
    let mut limited = None;
    for n in 0..100 {
        let reply = guess(n).await;
        match reply.status.as_u16() {
            401 => unauthorized += 1,
            429 => {
                limited = Some(reply);
                break;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert!(
        (20..=40).contains(&unauthorized),
        "{unauthorized} guesses before the limit"
    );
    assert_too_many(&limited.expect("guessing is limited"));
    // Wrong /r/ links count as failed look-ups too, and the attacker waits there as well.
    let link = app
        .client
        .get("/r/dlg_reg_wrong")
        .header("X-Forwarded-For", attacker)
        .send()
        .await
        .0;
    assert_eq!(link.status().as_u16(), 429);
    // Another client with a real token is not affected.
    let real = app
        .client
        .get("/api/v1/events")
        .header("X-Forwarded-For", "198.51.100.1")
        .header("Authorization", format!("Bearer {}", app.organizer))
        .send()
        .await
        .0;
    assert_eq!(real.status().as_u16(), 200);
});

/// Registers from `client` presenting `authorization` (or no header), counting 201 and 429.
async fn burst_with(
    app: &TestApp,
    event: &str,
    client: &str,
    authorization: Option<&str>,
) -> (usize, usize) {
    let (mut created, mut refused) = (0, 0);
    for n in 0..100 {
        let mut request = app
            .client
            .post(format!("/api/v1/events/{event}/registrations"))
            .header("X-Forwarded-For", format!("10.9.9.9, {client}"));
        if let Some(value) = authorization {
            request = request.header("Authorization", value);
        }
        let reply = read(
            request
                .body_json(&delegate(&format!("burst{n}@{client}.example.org"), &[]))
                .send()
                .await
                .0,
        )
        .await;
        match reply.status.as_u16() {
            201 => created += 1,
            429 => refused += 1,
            other => panic!("unexpected {other}: {}", reply.text),
        }
    }
    (created, refused)
}

db_test_with!(
    forged_staff_tokens_meet_the_same_limit_as_none,
    limited,
    |app| async move {
        let event = app.published_event(json!({"capacity": null})).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (plain_created, plain_refused) = burst_with(&app, &event, "203.0.113.10", None).await;
        assert!(
            plain_refused >= 60,
            "{plain_created} created, {plain_refused} refused"
        );
        for (n, forged) in [
            "Bearer dlg_org_anything",
            "Bearer dlg_org_0123456789abcdefghijklmnopqrstuvwxyzABCD",
            "Bearer dlg_chk_anything",
            "Bearer garbage",
            "Basic b3JnYW5pemVyOnBhc3N3b3Jk",
        ]
        .into_iter()
        .enumerate()
        {
            let client = format!("203.0.113.{}", 20 + n);
            let (created, refused) = burst_with(&app, &event, &client, Some(forged)).await;
            assert!(
                created <= plain_created && refused >= 60,
                "{forged}: {created} created, {refused} refused (no header: {plain_created})"
            );
        }
        // A live organizer token is verified and not limited.
        let organizer = format!("Bearer {}", app.organizer);
        let (created, refused) = burst_with(&app, &event, "198.51.100.40", Some(&organizer)).await;
        assert_eq!((created, refused), (100, 0));
    }
);

db_test_with!(
    expensive_reads_are_limited_per_client,
    |config| {
        limited(config);
        config.limits.heavy_reads_per_minute = 20;
        config.limits.heavy_reads_burst = 10;
    },
    |app| async move {
        let event = app.published_event(json!({})).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let pdf = |client: &'static str, token: Option<String>| {
            let app = &app;
            let event = event.clone();
            async move {
                let mut request = app
                    .client
                    .get(format!("/api/v1/events/{event}/agenda.pdf"))
                    .header("X-Forwarded-For", client);
                if let Some(token) = token {
                    request = request.header("Authorization", format!("Bearer {token}"));
                }
                read(request.send().await.0).await
            }
        };
        let mut served = 0;
        let mut limited_reply = None;
        for _ in 0..40 {
            let reply = pdf("203.0.113.90", None).await;
            match reply.status.as_u16() {
                200 => served += 1,
                429 => {
                    limited_reply = Some(reply);
                    break;
                }
                other => panic!("unexpected {other}"),
            }
        }
        assert!((5..=20).contains(&served), "{served} PDFs before the limit");
        assert_too_many(&limited_reply.expect("a flood of PDFs is limited"));
        // The agenda itself (a page of JSON) is still served to that client.
        let agenda = app
            .client
            .get(format!("/api/v1/events/{event}/agenda"))
            .header("X-Forwarded-For", "203.0.113.90")
            .send()
            .await
            .0;
        assert_eq!(agenda.status().as_u16(), 200);
        // Another client is served; an organizer is not counted at all.
        pdf("198.51.100.91", None).await.expect(200);
        for _ in 0..40 {
            pdf("198.51.100.92", Some(app.organizer.clone()))
                .await
                .expect(200);
        }
        // A forged organizer token is no way around the limit.
        let mut forged_served = 0;
        for _ in 0..40 {
            let reply = pdf("198.51.100.93", Some("dlg_org_forged".into())).await;
            if reply.status.as_u16() == 200 {
                forged_served += 1;
            }
        }
        assert!(
            forged_served <= 20,
            "{forged_served} served to a forged token"
        );
    }
);

db_test!(limits_are_off_only_when_asked, |app| async move {
    // Tests run with the limits off, as RATE_LIMITS=off does.
    for n in 0..150 {
        let reply = app
            .call(
                Method::GET,
                "/api/v1/registrations/me",
                Some(&format!("dlg_reg_guess{n:040}")),
                None,
            )
            .await;
        reply.expect_problem(401);
    }
    for (value, on) in [
        ("off", false),
        ("OFF", false),
        (" off ", false),
        ("on", true),
        ("", true),
        ("false", true),
        ("no", true),
    ] {
        assert_eq!(dialogue::config::rate_limits_on(value), on, "{value:?}");
    }
});

db_test!(
    every_response_carries_the_security_headers,
    |app| async move {
        let event = app.published_event(json!({})).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        for path in [
            "/healthz".to_owned(),
            format!("/api/v1/events/{event}/agenda"),
            format!("/api/v1/events/{event}/agenda.ics"),
            "/api/v1/events/no-such-event".to_owned(),
            "/api/v1/registrations/me".to_owned(),
            "/no/such/page".to_owned(),
            format!("/events/{event}"),
        ] {
            let reply = app.get(&path).await;
            assert_eq!(
                reply.header("x-content-type-options"),
                Some("nosniff"),
                "{path}"
            );
            assert!(reply.header("referrer-policy").is_some(), "{path}");
            let csp = reply.header("content-security-policy").unwrap_or_default();
            assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp:?}");
            if !reply
                .header("content-type")
                .unwrap_or_default()
                .starts_with("text/html")
            {
                assert!(csp.contains("default-src 'none'"), "{path}: {csp:?}");
            }
        }
    }
);

/// Opens a connection from `source` (another loopback address is another client).
async fn connect_from(source: &str, to: SocketAddr) -> std::io::Result<tokio::net::TcpStream> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind(format!("{source}:0").parse().expect("address"))?;
    socket.connect(to).await
}

/// A plain HTTP/1.1 GET over a new connection; answers the status.
async fn get_status(source: &str, to: SocketAddr, path: &str) -> u16 {
    let mut stream = connect_from(source, to).await.expect("connect");
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("answer");
    let text = String::from_utf8_lossy(&answer);
    text.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slowloris_client_does_not_stop_other_clients() {
    run(Backend::Sqlite, |db| async move {
        let (_app, addr) = db
            .serve_with(|config| {
                config.limits.header_timeout = Duration::from_secs(2);
                config.limits.max_connections_per_client = 100;
            })
            .await;
        // 127.0.0.2 opens 150 connections and sends its request heads a byte at a time.
        let mut held = Vec::new();
        for _ in 0..150 {
            let mut stream = connect_from("127.0.0.2", addr).await.expect("connect");
            if stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                .await
                .is_ok()
            {
                held.push(stream);
            }
        }
        let dribble = tokio::spawn(async move {
            let started = Instant::now();
            let mut open = held.len();
            while open > 0 && started.elapsed() < Duration::from_secs(10) {
                open = 0;
                for stream in &mut held {
                    if stream.write_all(b"X").await.is_ok() {
                        open += 1;
                    }
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            (open, started.elapsed())
        });
        // Meanwhile other clients are served at once.
        for _ in 0..20 {
            let started = Instant::now();
            assert_eq!(get_status("127.0.0.1", addr, "/healthz").await, 200);
            assert!(started.elapsed() < Duration::from_secs(1));
        }
        let (still_open, after) = dribble.await.expect("dribbler");
        assert_eq!(still_open, 0, "every slow head was cut off");
        assert!(after < Duration::from_secs(8), "cut off after {after:?}");
        // The slow client could hold no more than its share at once.
        let mut extra = Vec::new();
        let mut closed = 0;
        for _ in 0..130 {
            let mut stream = connect_from("127.0.0.2", addr).await.expect("connect");
            let _ = stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                .await;
            extra.push(stream);
        }
        for stream in &mut extra {
            let mut byte = [0u8; 1];
            if let Ok(Ok(0) | Err(_)) =
                tokio::time::timeout(Duration::from_millis(300), stream.read(&mut byte)).await
            {
                closed += 1;
            }
        }
        assert!(
            closed >= 30,
            "{closed} of 130 closed at once (limit 100 per client)"
        );
        assert_eq!(get_status("127.0.0.1", addr, "/healthz").await, 200);
    })
    .await;
}
