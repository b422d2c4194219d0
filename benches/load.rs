//! Load benchmark: starts the release server on SQLite and on PostgreSQL, seeds an event with
//! 300 sessions, and drives each hot path at 64 concurrent connections for a fixed time.
//! Prints requests/s, p50, p99, errors, server peak RSS and each figure's ratio to the
//! `/healthz` ceiling. Run with `cargo bench --bench load` (env: BENCH_SECONDS, BENCH_CONNECTIONS,
//! BENCH_BACKENDS=sqlite,postgres, BENCH_ONLY=registration,check-in (scenarios whose name
//! contains one of these words; registration must run for check-in to have badges),
//! BENCH_MAIL_SENDER=false (the server writes e-mails to its outbox without sending them),
//! BENCH_SQLITE_SYNCHRONOUS=normal (the cost of the default `full`), TEST_POSTGRES_URL,
//! BENCH_SERVER_BIN=path (another build of the server, e.g. a copy of an earlier one)). Last,
//! it times `badges.pdf` for 1,000 confirmed delegates (BENCH_ONLY=badges.pdf for that alone)
//! and `certificates.pdf` for 1,000. Memory: the server's resident memory (VmRSS) after each
//! scenario, its peak (VmHWM), and the peak while each PDF is drawn (sampled every 20 ms).

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use reqwest::{Client, Method};
use serde_json::{Value, json};

const ORGANIZER_TOKEN: &str = "dlg_org_7f3a9c1e5b2d8046af19c3e7d5b20e8c";
const SESSIONS: usize = 300;

/// One request of a scenario; `n` is a unique, increasing number for this run.
struct Spec {
    method: Method,
    path: String,
    body: Option<Value>,
    token: Option<&'static str>,
    /// Extra header, e.g. If-None-Match.
    header: Option<(&'static str, String)>,
}

type MakeRequest = Arc<dyn Fn(u64) -> Spec + Send + Sync>;

struct Scenario {
    name: String,
    make: MakeRequest,
    /// Statuses that count as success.
    ok: &'static [u16],
}

struct Figures {
    name: String,
    requests: u64,
    errors: u64,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// The server's resident memory right after the scenario (KiB).
    rss_kib: Option<u64>,
}

fn main() {
    let seconds: u64 = env_or("BENCH_SECONDS", 10);
    let connections: usize = env_or("BENCH_CONNECTIONS", 64);
    let backends = std::env::var("BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    println!(
        "Dialogue load benchmark: {connections} connections, {seconds} s per scenario, {} cores",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    for backend in backends.split(',').map(str::trim).filter(|b| !b.is_empty()) {
        runtime.block_on(run_backend(backend, seconds, connections));
    }
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn run_backend(backend: &str, seconds: u64, connections: usize) {
    let port = free_port();
    let data_dir = std::env::temp_dir().join(format!("dialogue-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data_dir);
    let database_url = match backend {
        "sqlite" => None,
        "postgres" => Some(fresh_postgres_database().await),
        other => panic!("unknown backend {other}"),
    };
    let mut server = start_server(port, &data_dir, database_url.as_deref());
    let base = format!("http://127.0.0.1:{port}");
    let client = Client::builder()
        .pool_max_idle_per_host(connections)
        .build()
        .expect("client");
    wait_ready(&client, &base).await;
    let event = seed(&client, &base).await;
    println!(
        "\n== {backend} ({} sessions seeded in event {event})",
        SESSIONS
    );

    let only: Vec<String> = std::env::var("BENCH_ONLY")
        .unwrap_or_default()
        .split(',')
        .map(|word| word.trim().to_lowercase())
        .filter(|word| !word.is_empty())
        .collect();
    let wanted = |name: &str| {
        only.is_empty()
            || only
                .iter()
                .any(|word| name.to_lowercase().contains(word.as_str()))
    };
    let pid = server.id();
    println!("server RSS after seeding: {}", memory_line(pid));
    let scenarios = scenarios(&client, &base, &event).await;
    let mut results = Vec::new();
    for scenario in scenarios.into_iter().filter(|s| wanted(&s.name)) {
        let mut figures = drive(&client, &base, &scenario, seconds, connections).await;
        figures.rss_kib = memory_kib(pid, "VmRSS:");
        results.push(figures);
    }
    // Check-in scans the badges of the delegates the registration scenario created.
    let codes = Arc::new(badge_codes(&client, &base, &event).await);
    println!("({} distinct badges to scan)", codes.len());
    let checkin = checkin_scenario(&event, codes);
    if wanted(&checkin.name) {
        let mut figures = drive(&client, &base, &checkin, seconds, connections).await;
        figures.rss_kib = memory_kib(pid, "VmRSS:");
        results.push(figures);
    }
    if wanted(DRAWING) {
        let mut figures = healthz_while_drawing(&client, &base, &event, seconds, connections).await;
        figures.rss_kib = memory_kib(pid, "VmRSS:");
        results.push(figures);
    }
    let rss = memory_kib(pid, "VmHWM:");
    print_table(&results, rss);
    if wanted("badges.pdf") {
        badge_sheets(&client, &base, pid).await;
        println!("server RSS after badges.pdf: {}", memory_line(pid));
    }
    if wanted("certificates") {
        certificates(&client, &base, pid).await;
        println!("server RSS after certificates: {}", memory_line(pid));
    }
    println!("server peak RSS over the whole run: {}", memory_line(pid));
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&data_dir);
}

/// The scenarios measured, the ceiling first. Later issues add theirs here.
async fn scenarios(client: &Client, base: &str, event: &str) -> Vec<Scenario> {
    let agenda_path = format!("/api/v1/events/{event}/agenda");
    let etag = client
        .get(format!("{base}{agenda_path}"))
        .send()
        .await
        .ok()
        .and_then(|r| {
            r.headers()
                .get("etag")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_default();
    let agenda = agenda_path.clone();
    let agenda_gzip = agenda_path.clone();
    let agenda_304 = agenda_path.clone();
    let feed_path = format!("/api/v1/events/{event}/calendar.ics");
    let feed_etag = client
        .get(format!("{base}{feed_path}"))
        .send()
        .await
        .ok()
        .and_then(|r| {
            r.headers()
                .get("etag")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_default();
    let feed = feed_path.clone();
    let feed_304 = feed_path.clone();
    let registrations = format!("/api/v1/events/{event}/registrations");
    let run = std::process::id();
    let agenda_page = format!("/events/{event}/agenda?lang=en");
    let agenda_page_gzip = agenda_page.clone();
    let agenda_page_304 = agenda_page.clone();
    let page_etag = client
        .get(format!("{base}{agenda_page}"))
        .send()
        .await
        .ok()
        .and_then(|r| {
            r.headers()
                .get("etag")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_default();
    let event_page = format!("/events/{event}?lang=ru");
    let agenda_pdf = format!("/api/v1/events/{event}/agenda.pdf?lang=ru");
    let schedule_xml = format!("/api/v1/events/{event}/schedule.xml?lang=ru");
    let schedule_xml_gzip = schedule_xml.clone();
    let schedule_json = format!("/api/v1/events/{event}/schedule.json?lang=ru");
    // The first request of each export renders it (later ones are served from the cache).
    for path in [&schedule_xml, &schedule_json] {
        let started = Instant::now();
        let bytes = client
            .get(format!("{base}{path}"))
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map(|r| r.bytes());
        let size = match bytes {
            Ok(body) => body.await.map(|b| b.len()).unwrap_or(0),
            Err(_) => 0,
        };
        println!(
            "first (uncached) render of {path}: {:.1} ms, {size} bytes",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    vec![
        Scenario {
            name: "GET /healthz (ceiling)".into(),
            make: Arc::new(|_| get("/healthz")),
            ok: &[200],
        },
        Scenario {
            name: "GET agenda JSON, 300 sessions".into(),
            make: Arc::new(move |_| get(&agenda)),
            ok: &[200],
        },
        Scenario {
            name: "GET agenda JSON, gzip".into(),
            make: Arc::new(move |_| Spec {
                header: Some(("accept-encoding", "gzip".into())),
                ..get(&agenda_gzip)
            }),
            ok: &[200],
        },
        Scenario {
            name: "GET agenda, If-None-Match (304)".into(),
            make: Arc::new(move |_| Spec {
                header: Some(("if-none-match", etag.clone())),
                ..get(&agenda_304)
            }),
            ok: &[304],
        },
        Scenario {
            name: "GET event calendar.ics (300 sessions)".into(),
            make: Arc::new(move |_| get(&feed)),
            ok: &[200],
        },
        Scenario {
            name: "GET calendar.ics, If-None-Match (304)".into(),
            make: Arc::new(move |_| Spec {
                header: Some(("if-none-match", feed_etag.clone())),
                ..get(&feed_304)
            }),
            ok: &[304],
        },
        Scenario {
            name: "GET agenda page (HTML), 300 sessions".into(),
            make: Arc::new(move |_| get(&agenda_page)),
            ok: &[200],
        },
        Scenario {
            name: "GET agenda page, gzip".into(),
            make: Arc::new(move |_| Spec {
                header: Some(("accept-encoding", "gzip".into())),
                ..get(&agenda_page_gzip)
            }),
            ok: &[200],
        },
        Scenario {
            name: "GET agenda page, If-None-Match (304)".into(),
            make: Arc::new(move |_| Spec {
                header: Some(("if-none-match", page_etag.clone())),
                ..get(&agenda_page_304)
            }),
            ok: &[304],
        },
        Scenario {
            name: "GET event page (HTML)".into(),
            make: Arc::new(move |_| get(&event_page)),
            ok: &[200],
        },
        Scenario {
            name: "GET agenda.pdf, 300 sessions (kept per version)".into(),
            make: Arc::new(move |_| get(&agenda_pdf)),
            ok: &[200],
        },
        Scenario {
            name: "GET schedule.xml, 300 sessions".into(),
            make: Arc::new(move |_| get(&schedule_xml)),
            ok: &[200],
        },
        Scenario {
            name: "GET schedule.xml, gzip".into(),
            make: Arc::new(move |_| Spec {
                header: Some(("accept-encoding", "gzip".into())),
                ..get(&schedule_xml_gzip)
            }),
            ok: &[200],
        },
        Scenario {
            name: "GET schedule.json, 300 sessions".into(),
            make: Arc::new(move |_| get(&schedule_json)),
            ok: &[200],
        },
        Scenario {
            name: "POST registration, new delegate".into(),
            make: Arc::new(move |n| Spec {
                method: Method::POST,
                path: registrations.clone(),
                body: Some(json!({
                    "full_name": format!("Delegate {n}"),
                    "email": format!("delegate{run}-{n}@example.org"),
                    "organization": "Ministry of Digital Development",
                    "country": "Turkmenistan",
                    "category": "delegate",
                    "locale": "tk",
                    "consent": true
                })),
                token: None,
                header: None,
            }),
            ok: &[201],
        },
    ]
}

/// How many badges the sheet measurement prints.
const BADGES: usize = 1000;

/// Times `badges.pdf` for an event of [`BADGES`] confirmed delegates (a print run before the
/// event: one request at a time, as an organizer makes it).
async fn badge_sheets(client: &Client, base: &str, pid: u32) {
    let event = call(
        client,
        base,
        Method::POST,
        "/api/v1/events",
        json!({"slug": "bench-badges", "title": "Sanly hyzmatdaşlyk boýunça okuw", "kind": "training",
               "timezone": "Asia/Ashgabat", "starts_on": "2026-11-16", "ends_on": "2026-11-20"}),
    )
    .await;
    let id = event["id"].as_str().expect("event id").to_owned();
    call(
        client,
        base,
        Method::POST,
        &format!("/api/v1/events/{id}/publish"),
        Value::Null,
    )
    .await;
    let names = [
        "Aýna Orazowa",
        "Аннаев Мурат",
        "Gülşat Ňazowa",
        "Сергей Иванов",
    ];
    let registrations = format!("/api/v1/events/{id}/registrations");
    for chunk in (0..BADGES).collect::<Vec<_>>().chunks(50) {
        let requests = chunk.iter().map(|n| {
            call(
                client,
                base,
                Method::POST,
                &registrations,
                json!({"full_name": format!("{} {n}", names[n % names.len()]),
                       "email": format!("badge{n}@example.org"),
                       "organization": "Ministry of Digital Development", "category": "delegate",
                       "locale": "tk", "consent": true}),
            )
        });
        futures::future::join_all(requests).await;
    }
    let mut seconds = Vec::new();
    let mut size = 0;
    let before = memory_kib(pid, "VmRSS:");
    let mut peak = PeakSampler::start(pid);
    // Sheets are kept per version: a delegate more before each timed drawing makes it a new
    // one; the fourth request, with nothing changed, is answered from the cache.
    let mut kept = 0.0;
    for round in 0..4 {
        if round < 3 {
            call(
                client,
                base,
                Method::POST,
                &registrations,
                json!({"full_name": format!("Täze Delegat {round}"),
                       "email": format!("badge-extra{round}@example.org"),
                       "category": "delegate", "locale": "tk", "consent": true}),
            )
            .await;
        }
        let started = Instant::now();
        let response = client
            .get(format!("{base}/api/v1/events/{id}/badges.pdf"))
            .bearer_auth(ORGANIZER_TOKEN)
            .send()
            .await
            .expect("badges.pdf");
        assert!(
            response.status().is_success(),
            "badges.pdf: {}",
            response.status()
        );
        size = response.bytes().await.map(|b| b.len()).unwrap_or(0);
        let elapsed = started.elapsed().as_secs_f64();
        if round < 3 {
            seconds.push(elapsed);
        } else {
            kept = elapsed;
        }
    }
    seconds.sort_by(f64::total_cmp);
    println!(
        "badges.pdf, {BADGES} badges ({} pages, {:.1} MB): drawn best {:.2} s, median {:.2} s \
         of 3, kept {:.3} s; RSS {} before, peak while drawing {}",
        BADGES.div_ceil(4),
        size as f64 / 1e6,
        seconds[0],
        seconds[1],
        kept,
        mib(before),
        mib(peak.stop().await)
    );
}

/// Certificates for 1,000 delegates of a training course: the time to measure who qualifies,
/// to issue them all (numbers, signed codes, the e-mails queued, one transaction), and to
/// render them as one PDF (1,000 A4 landscape pages).
async fn certificates(client: &Client, base: &str, pid: u32) {
    let event = call(
        client,
        base,
        Method::POST,
        "/api/v1/events",
        json!({"slug": "bench-certificates", "title": "Kiberhowpsuzlyk boýunça okuw", "kind": "training",
               "timezone": "Asia/Ashgabat", "starts_on": "2026-11-16", "ends_on": "2026-11-20"}),
    )
    .await;
    let id = event["id"].as_str().expect("event id").to_owned();
    for (n, day) in [16, 17, 18, 19].iter().enumerate() {
        call(
            client,
            base,
            Method::POST,
            &format!("/api/v1/events/{id}/sessions"),
            json!({"title": format!("Module {}", n + 1), "kind": "training", "language": "ru",
                   "status": "published",
                   "starts_at": format!("2026-11-{day}T09:00:00+05:00"),
                   "ends_at": format!("2026-11-{day}T16:00:00+05:00")}),
        )
        .await;
    }
    call(
        client,
        base,
        Method::POST,
        &format!("/api/v1/events/{id}/publish"),
        Value::Null,
    )
    .await;
    const LOCALES: [&str; 3] = ["tk", "ru", "en"];
    let names = [
        "Aýna Orazowa",
        "Аннаев Мурат",
        "Gülşat Ňazowa",
        "Сергей Иванов",
    ];
    let registrations = format!("/api/v1/events/{id}/registrations");
    let mut ids = Vec::new();
    for chunk in (0..BADGES).collect::<Vec<_>>().chunks(50) {
        let requests = chunk.iter().map(|n| {
            call(
                client,
                base,
                Method::POST,
                &registrations,
                json!({"full_name": format!("{} {n}", names[n % names.len()]),
                       "email": format!("cert{n}@example.org"),
                       "organization": "Ministry of Digital Development", "category": "delegate",
                       "locale": LOCALES[n % 3], "consent": true}),
            )
        });
        for created in futures::future::join_all(requests).await {
            if let Some(id) = created["id"].as_str() {
                ids.push(id.to_owned());
            }
        }
    }
    let base_path = format!("/api/v1/events/{id}/certificates");
    let started = Instant::now();
    let eligibility = call(
        client,
        base,
        Method::GET,
        &format!("{base_path}/eligibility"),
        Value::Null,
    )
    .await;
    let measured = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let issued = call(
        client,
        base,
        Method::POST,
        &format!("{base_path}/issue"),
        json!({"registration_ids": ids, "override_reason": "benchmark: no check-ins"}),
    )
    .await;
    let issuing = started.elapsed().as_secs_f64();
    let count = issued["items"].as_array().map_or(0, Vec::len);
    let before = memory_kib(pid, "VmRSS:");
    let mut peak = PeakSampler::start(pid);
    let started = Instant::now();
    let response = client
        .get(format!("{base}/api/v1/events/{id}/certificates.pdf"))
        .bearer_auth(ORGANIZER_TOKEN)
        .send()
        .await
        .expect("certificates.pdf");
    assert!(
        response.status().is_success(),
        "certificates.pdf: {}",
        response.status()
    );
    let size = response.bytes().await.map(|b| b.len()).unwrap_or(0);
    let rendering = started.elapsed().as_secs_f64();
    println!(
        "certificates, {} delegates: eligibility {:.2} s, issuing {count} {:.2} s, \
         certificates.pdf ({count} pages, {:.1} MB) {:.2} s; RSS {} before, peak while drawing {}",
        eligibility["items"].as_array().map_or(0, Vec::len),
        measured,
        issuing,
        size as f64 / 1e6,
        rendering,
        mib(before),
        mib(peak.stop().await)
    );
}

/// Every confirmed badge code of the event, read page by page as an organizer.
async fn badge_codes(client: &Client, base: &str, event: &str) -> Vec<String> {
    confirmed(client, base, event)
        .await
        .iter()
        .filter_map(|item| item["badge_code"].as_str().map(str::to_owned))
        .collect()
}

/// Every confirmed registration of the event, read page by page as an organizer.
async fn confirmed(client: &Client, base: &str, event: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/events/{event}/registrations?status=confirmed&limit=500");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = call(client, base, Method::GET, &path, Value::Null).await;
        items.extend(page["items"].as_array().into_iter().flatten().cloned());
        cursor = page["next_cursor"].as_str().map(str::to_owned);
        if cursor.is_none() {
            return items;
        }
    }
}

const DRAWING: &str = "GET /healthz while badge PNGs are drawn";

/// `/healthz` while 16 connections keep asking for the badge PNGs of distinct confirmed
/// registrations (each drawn once, two at a time on blocking threads, then cached): what
/// drawing costs every other request. Compare its p50/p99 with the ceiling's.
async fn healthz_while_drawing(
    client: &Client,
    base: &str,
    event: &str,
    seconds: u64,
    connections: usize,
) -> Figures {
    let ids: Vec<String> = confirmed(client, base, event)
        .await
        .iter()
        .filter_map(|item| item["id"].as_str().map(str::to_owned))
        .collect();
    let ids = Arc::new(ids);
    let next = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut drawers = Vec::new();
    for _ in 0..16 {
        let (client, base, event) = (client.clone(), base.to_owned(), event.to_owned());
        let (ids, next, stop) = (ids.clone(), next.clone(), stop.clone());
        drawers.push(tokio::spawn(async move {
            let mut drawn = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let n = next.fetch_add(1, Ordering::Relaxed) as usize;
                let Some(id) = ids.get(n) else { break };
                let url = format!("{base}/api/v1/events/{event}/registrations/{id}/badge.png");
                if let Ok(response) = client.get(url).bearer_auth(ORGANIZER_TOKEN).send().await
                    && response.status().is_success()
                    && response.bytes().await.is_ok()
                {
                    drawn += 1;
                }
            }
            drawn
        }));
    }
    let healthz = Scenario {
        name: DRAWING.into(),
        make: Arc::new(|_| get("/healthz")),
        ok: &[200],
    };
    let figures = drive(client, base, &healthz, seconds, connections).await;
    stop.store(true, Ordering::Relaxed);
    let mut drawn = 0;
    for drawer in drawers {
        drawn += drawer.await.unwrap_or(0);
    }
    println!(
        "({drawn} badge PNGs drawn during the {seconds} s of /healthz, of {} registrations)",
        ids.len()
    );
    figures
}

/// Scans distinct badges at the venue door: each pass over all badges alternates entry and
/// exit, so every scan is an admission, a leave or a re-entry (all answered `ok`).
fn checkin_scenario(event: &str, codes: Arc<Vec<String>>) -> Scenario {
    let path = format!("/api/v1/events/{event}/checkins");
    Scenario {
        name: "POST check-in, distinct badges".into(),
        make: Arc::new(move |n| {
            let count = codes.len().max(1) as u64;
            let code = codes.get((n % count) as usize).cloned().unwrap_or_default();
            let direction = if (n / count).is_multiple_of(2) {
                "entry"
            } else {
                "exit"
            };
            Spec {
                method: Method::POST,
                path: path.clone(),
                body: Some(json!({"code": code, "device": "bench-door", "direction": direction})),
                token: Some(ORGANIZER_TOKEN),
                header: None,
            }
        }),
        ok: &[200],
    }
}

fn get(path: &str) -> Spec {
    Spec {
        method: Method::GET,
        path: path.to_owned(),
        body: None,
        token: None,
        header: None,
    }
}

async fn drive(
    client: &Client,
    base: &str,
    scenario: &Scenario,
    seconds: u64,
    connections: usize,
) -> Figures {
    let counter = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let client = client.clone();
        let base = base.to_owned();
        let make = scenario.make.clone();
        let ok = scenario.ok;
        let counter = counter.clone();
        let errors = errors.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(16_384);
            while Instant::now() < deadline {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let spec = make(n);
                let mut request = client.request(spec.method, format!("{base}{}", spec.path));
                if let Some(token) = spec.token {
                    request = request.bearer_auth(token);
                }
                if let Some((name, value)) = spec.header {
                    request = request.header(name, value);
                }
                if let Some(body) = spec.body {
                    request = request
                        .header("content-type", "application/json")
                        .body(body.to_string());
                }
                let sent = Instant::now();
                let outcome = request.send().await;
                let good = match outcome {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        let drained = response.bytes().await.is_ok();
                        drained && ok.contains(&status)
                    }
                    Err(_) => false,
                };
                latencies.push(sent.elapsed().as_micros() as u32);
                if !good {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        if let Ok(mut part) = task.await {
            latencies.append(&mut part);
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let percentile = |p: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let index = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies[index] as f64 / 1000.0
    };
    Figures {
        name: scenario.name.clone(),
        requests: latencies.len() as u64,
        errors: errors.load(Ordering::Relaxed),
        rps: latencies.len() as f64 / elapsed,
        p50_ms: percentile(0.50),
        p99_ms: percentile(0.99),
        rss_kib: None,
    }
}

fn print_table(results: &[Figures], rss_kib: Option<u64>) {
    let ceiling = results.first().map(|f| f.rps).unwrap_or(1.0).max(1.0);
    println!(
        "{:<36} {:>10} {:>9} {:>9} {:>9} {:>8} {:>9} {:>12}",
        "scenario", "req/s", "p50 ms", "p99 ms", "requests", "errors", "ceiling%", "RSS after"
    );
    for f in results {
        println!(
            "{:<36} {:>10.0} {:>9.2} {:>9.2} {:>9} {:>8} {:>8.1}% {:>12}",
            f.name,
            f.rps,
            f.p50_ms,
            f.p99_ms,
            f.requests,
            f.errors,
            100.0 * f.rps / ceiling,
            mib(f.rss_kib)
        );
    }
    match rss_kib {
        Some(kib) => println!("server peak RSS: {:.1} MiB", kib as f64 / 1024.0),
        None => println!("server peak RSS: unavailable"),
    }
}

/// A line of `/proc/{pid}/status` in KiB: `VmRSS:` (resident now) or `VmHWM:` (peak).
fn memory_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|line| line.starts_with(field))
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|kib| kib.parse().ok())
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(
        || "unavailable".to_owned(),
        |kib| format!("{:.1} MiB", kib as f64 / 1024.0),
    )
}

/// The server's resident memory now and its peak so far.
fn memory_line(pid: u32) -> String {
    format!(
        "{} (peak so far {})",
        mib(memory_kib(pid, "VmRSS:")),
        mib(memory_kib(pid, "VmHWM:"))
    )
}

/// Samples the server's resident memory every 20 ms until stopped: the peak of one phase,
/// which VmHWM (the peak of the whole process) cannot give once an earlier phase was higher.
struct PeakSampler {
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<u64>,
}

impl PeakSampler {
    fn start(pid: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let task = tokio::spawn(async move {
            let mut peak = 0;
            while !flag.load(Ordering::Relaxed) {
                peak = peak.max(memory_kib(pid, "VmRSS:").unwrap_or(0));
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            peak
        });
        PeakSampler { stop, task }
    }

    async fn stop(&mut self) -> Option<u64> {
        self.stop.store(true, Ordering::Relaxed);
        (&mut self.task).await.ok().filter(|kib| *kib > 0)
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn start_server(port: u16, data_dir: &std::path::Path, database_url: Option<&str>) -> Child {
    // BENCH_SERVER_BIN: another build of the server (e.g. a copy of an earlier one).
    let binary =
        std::env::var("BENCH_SERVER_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_dialogue").into());
    let mut command = Command::new(binary);
    command
        .arg("serve")
        .env("BIND", format!("127.0.0.1:{port}"))
        .env("DATA_DIR", data_dir)
        .env("DIALOGUE_ORGANIZER_TOKEN", ORGANIZER_TOKEN)
        // One load generator is one client: per-client limits would measure themselves.
        .env("RATE_LIMITS", "off")
        .env("MAX_CONNECTIONS_PER_CLIENT", "0")
        .env(
            "RUST_LOG",
            std::env::var("BENCH_SERVER_LOG").unwrap_or_else(|_| "info".into()),
        )
        .env_remove("DATABASE_URL")
        // BENCH_MAIL_SENDER=false: the server writes the outbox but does not send it.
        .env(
            "MAIL_SENDER",
            std::env::var("BENCH_MAIL_SENDER").unwrap_or_else(|_| "true".into()),
        )
        .env(
            "SQLITE_SYNCHRONOUS",
            std::env::var("BENCH_SQLITE_SYNCHRONOUS").unwrap_or_else(|_| "full".into()),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    if let Some(url) = database_url {
        command.env("DATABASE_URL", url);
    }
    command.spawn().expect("start the dialogue server")
}

async fn wait_ready(client: &Client, base: &str) {
    for _ in 0..300 {
        if let Ok(response) = client.get(format!("{base}/readyz")).send().await
            && response.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not become ready");
}

async fn fresh_postgres_database() -> String {
    let admin_url = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let admin = sea_orm::Database::connect(&admin_url)
        .await
        .expect("PostgreSQL reachable for the benchmark");
    use sea_orm::ConnectionTrait;
    for sql in [
        "DROP DATABASE IF EXISTS dialogue_bench WITH (FORCE)",
        "CREATE DATABASE dialogue_bench",
    ] {
        admin
            .execute_raw(sea_orm::Statement::from_string(
                admin.get_database_backend(),
                sql,
            ))
            .await
            .expect("prepare benchmark database");
    }
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b.to_owned())
        .unwrap_or(admin_url);
    format!("{base}/dialogue_bench")
}

async fn call(client: &Client, base: &str, method: Method, path: &str, body: Value) -> Value {
    let response = client
        .request(method, format!("{base}{path}"))
        .bearer_auth(ORGANIZER_TOKEN)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("seed request");
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    assert!(
        status.is_success(),
        "seeding {path} failed: {status} {text}"
    );
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// An event of five days with 6 tracks, 10 rooms, 40 speakers and 300 published sessions.
async fn seed(client: &Client, base: &str) -> String {
    let event = call(
        client,
        base,
        Method::POST,
        "/api/v1/events",
        json!({"slug": "bench-dialogue", "title": "Benchmark Dialogue", "kind": "dialogue",
               "timezone": "Asia/Ashgabat", "starts_on": "2026-11-16", "ends_on": "2026-11-20",
               "capacity": 1000000}),
    )
    .await;
    let id = event["id"].as_str().expect("event id").to_owned();
    let mut tracks = Vec::new();
    for n in 0..6 {
        let track = call(
            client,
            base,
            Method::POST,
            &format!("/api/v1/events/{id}/tracks"),
            json!({"name": format!("Track {n}"), "color": "#2E86C1"}),
        )
        .await;
        tracks.push(track["id"].as_str().unwrap_or_default().to_owned());
    }
    let mut rooms = Vec::new();
    for n in 0..10 {
        let room = call(
            client,
            base,
            Method::POST,
            &format!("/api/v1/events/{id}/rooms"),
            json!({"name": format!("Hall {n}"), "capacity": 200}),
        )
        .await;
        rooms.push(room["id"].as_str().unwrap_or_default().to_owned());
    }
    let mut speakers = Vec::new();
    for n in 0..40 {
        let speaker = call(client, base, Method::POST, &format!("/api/v1/events/{id}/speakers"),
            json!({"full_name": format!("Speaker Number {n}"), "organization": "Partner Organization",
                   "email": format!("speaker{n}@example.org"), "bio": "Works on digital cooperation."})).await;
        speakers.push(speaker["id"].as_str().unwrap_or_default().to_owned());
    }
    let languages = ["tk", "ru", "en"];
    for n in 0..SESSIONS {
        let day = 16 + (n / 60);
        let slot = (n % 60) / 10;
        let room = n % 10;
        let hour = 9 + slot;
        call(client, base, Method::POST, &format!("/api/v1/events/{id}/sessions?allow_overlap=true"),
            json!({
                "title": format!("Session {n}: digital public services and cybersecurity"),
                "abstract": "Sanly hyzmatlar we kiberhowpsuzlyk. Цифровые услуги и кибербезопасность. Digital services.",
                "kind": "talk",
                "track_id": tracks[n % tracks.len()],
                "room_id": rooms[room],
                "starts_at": format!("2026-11-{day:02}T{hour:02}:00:00+05:00"),
                "ends_at": format!("2026-11-{day:02}T{hour:02}:50:00+05:00"),
                "language": languages[n % 3],
                "speaker_ids": [speakers[n % 40], speakers[(n + 7) % 40]],
                "status": "published"
            })).await;
    }
    call(
        client,
        base,
        Method::POST,
        &format!("/api/v1/events/{id}/publish"),
        Value::Null,
    )
    .await;
    id
}
