//! The pages in a real browser (headless Chromium driven over WebDriver): a delegate registers
//! through the form in Turkmen, Russian and English, lands on `/me`, sees the badge, changes a
//! session and cancels; a wrong e-mail shows its error next to the field; the agenda's
//! filters work; check-in staff pair the scanner and scan with a keyboard wedge; an organizer
//! works through the console (`console`). axe-core checks every page on the way (no serious or critical WCAG 2 A/AA
//! violation), and 360 px screenshots of the form, the delegate's page and the agenda are
//! saved under `target/screenshots/`. Runs on SQLite and PostgreSQL; with `CI=true` a missing
//! browser fails the test.

mod console;
mod harness;
#[allow(dead_code, unused_imports)]
#[path = "../api/helpers.rs"]
mod helpers;

use std::net::TcpListener;
use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::Value;

use dialogue::{Application, Config};
use harness::{Browser, axe_violations, screenshot};
use helpers::{Backend, run};

/// The width of a small phone, in CSS pixels.
const PHONE: (u32, u32) = (360, 780);

/// A Dialogue serving the demo programme on a local port.
struct Served {
    base: String,
    state: dialogue::AppState,
    config: Config,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Served {
    async fn start(url: String) -> Served {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut config = Config::for_database(url);
        config.bind = format!("127.0.0.1:{port}");
        config.public_url = format!("http://127.0.0.1:{port}");
        let application = Application::build(config.clone())
            .await
            .expect("start Dialogue");
        dialogue::bootstrap::load_demo(&application.state, chrono::Utc::now().date_naive())
            .await
            .expect("demo programme");
        let mut served = Served {
            base: format!("http://127.0.0.1:{port}"),
            state: application.state.clone(),
            config,
            task: None,
        };
        served.listen(application).await;
        served
    }

    async fn listen(&mut self, application: Application) {
        self.task = Some(tokio::spawn(application.serve(std::future::pending())));
        let address = self.config.bind.clone();
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(&address).await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("Dialogue did not listen on {address}");
    }
}

/// Asserts that axe-core finds no serious or critical violation on the current page.
async fn accessible(client: &Client, page: &str) {
    let violations = axe_violations(client).await;
    assert!(
        violations.is_empty(),
        "{page}: axe-core found {}",
        serde_json::to_string_pretty(&violations).unwrap_or_default()
    );
}

async fn path_of(client: &Client) -> String {
    let url = client.current_url().await.expect("current URL");
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}

async fn type_into(client: &Client, css: &str, text: &str) {
    let element = client.find(Locator::Css(css)).await.expect(css);
    element.clear().await.expect("clear");
    element.send_keys(text).await.expect("type");
}

async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|err| panic!("{css}: {err}"))
        .click()
        .await
        .unwrap_or_else(|err| panic!("click {css}: {err}"));
}

/// Clicks what leads to another page and waits until that page has loaded.
async fn follow(client: &Client, css: &str) {
    script(client, "window.__leaving = true;").await;
    click(client, css).await;
    for _ in 0..200 {
        let arrived = client
            .execute(
                "return window.__leaving === undefined && document.readyState === 'complete';",
                vec![],
            )
            .await
            .unwrap_or(Value::Bool(false));
        if arrived == Value::Bool(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("clicking {css} led nowhere");
}

async fn script(client: &Client, js: &str) -> Value {
    client.execute(js, vec![]).await.expect("script")
}

/// The whole delegate's journey in one language.
async fn register_change_cancel(client: &Client, base: &str, lang: &str, wrong_email_first: bool) {
    client.delete_all_cookies().await.expect("a new visitor");
    client
        .goto(&format!("{base}/events/dialogue-2026?lang={lang}"))
        .await
        .expect("event page");
    accessible(client, &format!("event page ({lang})")).await;
    follow(client, "a.button[href*='/register']").await;
    assert!(
        path_of(client)
            .await
            .starts_with("/events/dialogue-2026/register")
    );
    let html_lang = script(client, "return document.documentElement.lang;").await;
    assert_eq!(html_lang, lang);
    accessible(client, &format!("registration form ({lang})")).await;
    screenshot(client, &format!("register-{lang}-360")).await;
    type_into(client, "#field-full_name", "Aýna Orazowa").await;
    type_into(client, "#field-organization", "Ministry of Finance").await;
    let sessions = client
        .find_all(Locator::Css("input[name=session_ids]"))
        .await
        .expect("session checkboxes");
    assert!(
        sessions.len() >= 2,
        "the demo has sessions that take sign-ups"
    );
    sessions[0].click().await.expect("choose a session");
    click(client, "#field-consent").await;
    if wrong_email_first {
        type_into(client, "#field-email", "ayna.example.org").await;
        follow(client, "form.stacked button[type=submit]").await;
        // The form comes back with the error next to the field, the values kept.
        let error = client
            .find(Locator::Css("#error-email"))
            .await
            .expect("the error next to the e-mail field");
        assert!(!error.text().await.expect("text").is_empty());
        let field = client
            .find(Locator::Css("#field-email"))
            .await
            .expect("field");
        assert_eq!(
            field.attr("aria-invalid").await.expect("attr").as_deref(),
            Some("true")
        );
        assert_eq!(
            field
                .attr("aria-describedby")
                .await
                .expect("attr")
                .as_deref(),
            Some("error-email")
        );
        let summary = client
            .find(Locator::Css("[role=alert] a[href='#field-email']"))
            .await
            .expect("the summary links to the field");
        assert!(!summary.text().await.expect("text").is_empty());
        let kept = client
            .find(Locator::Css("#field-full_name"))
            .await
            .expect("name");
        assert_eq!(
            kept.prop("value").await.expect("value").as_deref(),
            Some("Aýna Orazowa")
        );
        accessible(client, &format!("form with errors ({lang})")).await;
        screenshot(client, &format!("register-errors-{lang}-360")).await;
    }
    type_into(client, "#field-email", &format!("ayna.{lang}@example.org")).await;
    follow(client, "form.stacked button[type=submit]").await;
    // The delegate's page, without the token in the address.
    let path = path_of(client).await;
    assert!(path.starts_with("/me"), "landed on {path}");
    assert!(!path.contains("dlg_"));
    let status = client
        .find(Locator::Css("[data-status]"))
        .await
        .expect("status");
    assert_eq!(
        status.attr("data-status").await.expect("attr").as_deref(),
        Some("confirmed")
    );
    let badge_drawn = script(
        client,
        "const img = document.querySelector('img.badge-image'); \
         return img && img.complete && img.naturalWidth > 0;",
    )
    .await;
    assert_eq!(badge_drawn, Value::Bool(true), "the badge image is shown");
    accessible(client, &format!("delegate's page ({lang})")).await;
    screenshot(client, &format!("me-{lang}-360")).await;
    // Change the session: give up the first, take the second.
    let boxes = client
        .find_all(Locator::Css(
            "form[action='/me/sessions'] input[name=session_ids]",
        ))
        .await
        .expect("session boxes");
    let first_id = boxes[0].attr("value").await.expect("value").expect("id");
    let second_id = boxes[1].attr("value").await.expect("value").expect("id");
    boxes[0].click().await.expect("untick");
    boxes[1].click().await.expect("tick");
    follow(client, "form[action='/me/sessions'] button[type=submit]").await;
    assert!(path_of(client).await.starts_with("/me?done=sessions"));
    let checked = script(
        client,
        "return [...document.querySelectorAll('input[name=session_ids]:checked')].map(e => e.value);",
    )
    .await;
    assert_eq!(
        checked,
        Value::from(vec![second_id.clone()]),
        "not {first_id}"
    );
    // Cancel, with the confirmation step.
    follow(client, "a[href='/me/cancel']").await;
    accessible(client, &format!("cancel confirmation ({lang})")).await;
    follow(client, "form[action='/me/cancel'] button[type=submit]").await;
    let status = client
        .find(Locator::Css("[data-status]"))
        .await
        .expect("status");
    assert_eq!(
        status.attr("data-status").await.expect("attr").as_deref(),
        Some("ended")
    );
}

/// The agenda's filters narrow the sessions shown; the page passes axe in each language.
async fn agenda_filters(client: &Client, base: &str) {
    for lang in ["tk", "ru", "en"] {
        client
            .goto(&format!("{base}/events/dialogue-2026/agenda?lang={lang}"))
            .await
            .expect("agenda");
        accessible(client, &format!("agenda ({lang})")).await;
        if lang == "en" {
            screenshot(client, "agenda-en-360").await;
        }
    }
    let days_before = script(
        client,
        "return document.querySelectorAll('main section h2').length;",
    )
    .await;
    let all = script(
        client,
        "return document.querySelectorAll('li.session').length;",
    )
    .await;
    assert!(
        days_before.as_u64().unwrap_or(0) >= 2,
        "the demo spans days"
    );
    let day = script(
        client,
        "return document.querySelector('#filter-day option:nth-child(2)').value;",
    )
    .await;
    let day = day.as_str().expect("a day").to_owned();
    client
        .find(Locator::Css("#filter-day"))
        .await
        .expect("day filter")
        .select_by_value(&day)
        .await
        .expect("choose the day");
    follow(client, "form.filters button[type=submit]").await;
    assert!(path_of(client).await.contains(&format!("day={day}")));
    let days_after = script(
        client,
        "return document.querySelectorAll('main section h2').length;",
    )
    .await;
    let shown = script(
        client,
        "return document.querySelectorAll('li.session').length;",
    )
    .await;
    assert_eq!(days_after, Value::from(1));
    assert!(shown.as_u64() < all.as_u64() && shown.as_u64() > Some(0));
    let heading_id = script(
        client,
        "return document.querySelector('main section h2').id;",
    )
    .await;
    assert_eq!(heading_id, Value::from(format!("day-{day}")));
    // And a language filter on top: every session shown is in that language.
    client
        .find(Locator::Css("#filter-language"))
        .await
        .expect("language filter")
        .select_by_value("en")
        .await
        .expect("choose English");
    follow(client, "form.filters button[type=submit]").await;
    let url = path_of(client).await;
    assert!(url.contains("language=en") && url.contains(&format!("day={day}")));
    accessible(client, "filtered agenda").await;
}

/// Waits until the scanner shows an answer other than `before`, and answers its result.
async fn next_answer(client: &Client, before: &str) -> String {
    for _ in 0..200 {
        let now = script(
            client,
            "return document.getElementById('result').dataset.result;",
        )
        .await;
        let now = now.as_str().unwrap_or_default().to_owned();
        if !now.is_empty() && now != before {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the scanner showed no new answer (still {before:?})");
}

/// Types a code into the always-focused field and presses Enter, as a keyboard-wedge scanner.
async fn wedge(client: &Client, code: &str) {
    script(
        client,
        "document.getElementById('result').dataset.result = '';",
    )
    .await;
    let field = client.active_element().await.expect("the focused field");
    assert_eq!(
        field.attr("id").await.expect("id").as_deref(),
        Some("code"),
        "the code field has the focus"
    );
    field
        .send_keys(&format!("{code}\u{E007}"))
        .await
        .expect("type the code and Enter");
}

/// A new organizer token, as `dialogue token create --role organizer` makes one.
async fn organizer_token(state: &dialogue::AppState) -> String {
    dialogue::app::tokens::create(
        state,
        dialogue::app::tokens::NewToken {
            role: dialogue::domain::enums::TokenRole::Organizer,
            event: None,
            label: "Browser test organizer",
        },
    )
    .await
    .expect("an organizer token")
    .issued
    .token
}

/// A scanner token of the demo Dialogue, as an organizer hands one out.
async fn scanner_token(state: &dialogue::AppState, label: &str) -> String {
    // The doors open today: offline scans must fall within the event's days, and the demo
    // Dialogue starts a month ahead.
    {
        use sea_orm::sea_query::Expr;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        entities::events::Entity::update_many()
            .col_expr(
                entities::events::Column::StartsOn,
                Expr::value(chrono::Utc::now().date_naive()),
            )
            .filter(entities::events::Column::Slug.eq("dialogue-2026"))
            .exec(&state.writer)
            .await
            .expect("the doors open today");
        state.agenda_changed();
    }
    dialogue::app::tokens::create(
        state,
        dialogue::app::tokens::NewToken {
            role: dialogue::domain::enums::TokenRole::Checkin,
            event: Some("dialogue-2026"),
            label,
        },
    )
    .await
    .expect("a scanner token")
    .issued
    .token
}

/// A delegate registered for the demo Dialogue through the use case, and their event.
async fn delegate(
    state: &dialogue::AppState,
    full_name: &str,
    email: &str,
    organization: Option<&str>,
    category: dialogue::domain::enums::Category,
    locale: &str,
) -> (
    dialogue::store::registrations::RegistrationRow,
    std::sync::Arc<entities::events::Model>,
) {
    use dialogue::app::registrations::{Registration, register};
    let request = dialogue::domain::registration::RegistrationRequest {
        full_name: full_name.into(),
        email: email.into(),
        organization: organization.map(str::to_owned),
        position: None,
        country: None,
        category,
        session_ids: vec![],
        locale: locale.into(),
        consent: true,
    };
    // As an organizer registers (any category; the public may choose only public ones).
    let organizers = dialogue::app::principal::Audience::Organizers;
    match register(state, organizers, "dialogue-2026", request, None)
        .await
        .expect("a registration")
    {
        Registration::Created { row, event, .. } => (*row, event),
        Registration::Replayed { .. } => panic!("a new registration"),
    }
}

/// Check-in staff pair a browser, scan with a keyboard wedge, and see each answer.
async fn scanner(client: &Client, base: &str, state: &dialogue::AppState) {
    use dialogue::domain::enums::Category;
    let token = scanner_token(state, "Browser test scanner").await;
    let (row, event) = delegate(
        state,
        "Merjen Ataýewa",
        "merjen@example.org",
        Some("Ministry of Education"),
        Category::Delegate,
        "tk",
    )
    .await;
    let code = dialogue::app::badges::code_for(state, event.id, row.registration.id);
    client.delete_all_cookies().await.expect("a new device");
    client
        .goto(&format!(
            "{base}/scan?lang=en#token={token}&event=dialogue-2026"
        ))
        .await
        .expect("the scanner");
    let url = client.current_url().await.expect("url");
    assert!(
        url.fragment().is_none(),
        "the token leaves the address bar: {url}"
    );
    accessible(client, "scanner").await;
    screenshot(client, "scanner-en-360").await;
    wedge(client, &code).await;
    assert_eq!(next_answer(client, "").await, "ok");
    let name = script(
        client,
        "return document.getElementById('result-name').textContent;",
    )
    .await;
    assert_eq!(name, "Merjen Ataýewa");
    screenshot(client, "scanner-ok-360").await;
    wedge(client, &code).await;
    assert_eq!(next_answer(client, "").await, "already_checked_in");
    let when = script(
        client,
        "return document.getElementById('result-when').textContent;",
    )
    .await;
    assert!(
        when.as_str().unwrap_or_default().contains("First came in"),
        "{when}"
    );
    wedge(client, "not-a-badge").await;
    assert_eq!(next_answer(client, "").await, "invalid");
    // A cancelled registration's badge.
    dialogue::app::registrations::cancel(state, row.registration.id)
        .await
        .expect("cancel");
    wedge(client, &code).await;
    assert_eq!(next_answer(client, "").await, "revoked");
    // The counters and the language: reloaded in Russian, still paired.
    client
        .goto(&format!("{base}/scan?lang=ru"))
        .await
        .expect("reload");
    let paired = script(client, "return document.getElementById('scanner').hidden;").await;
    assert_eq!(
        paired,
        Value::Bool(false),
        "the pairing is kept on the device"
    );
    accessible(client, "scanner (ru)").await;
    // A stray or forged pairing link does not replace this pairing unasked.
    client
        .goto(&format!(
            "{base}/scan?lang=en#token=dlg_chk_forgedforgedforged&event=another-event"
        ))
        .await
        .expect("a stray pairing link");
    let pairing = "return JSON.parse(localStorage.getItem('dialogue.scanner')).token;";
    assert_eq!(
        script(client, "return document.getElementById('repair').hidden;").await,
        Value::Bool(false),
        "the scanner asks before replacing its pairing"
    );
    assert_eq!(script(client, pairing).await, Value::String(token.clone()));
    accessible(client, "scanner asking to replace its pairing").await;
    screenshot(client, "scanner-repair-360").await;
    click(client, "#repair-no").await;
    assert_eq!(
        script(client, "return document.getElementById('repair').hidden;").await,
        Value::Bool(true)
    );
    assert_eq!(
        script(client, pairing).await,
        Value::String(token.clone()),
        "the pairing is kept"
    );
    offline(client, state, &token).await;
}

/// Chromium's network emulation (a chromedriver command): `false` takes the browser off the
/// network, as at a venue whose Wi-Fi fails; `true` brings it back.
#[derive(Debug)]
struct NetworkConditions {
    online: bool,
}

impl fantoccini::wd::WebDriverCompatibleCommand for NetworkConditions {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/chromium/network_conditions",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        if self.online {
            (http::Method::DELETE, None)
        } else {
            let body = serde_json::json!({"network_conditions": {
                "offline": true, "latency": 0, "download_throughput": -1, "upload_throughput": -1
            }});
            (http::Method::POST, Some(body.to_string()))
        }
    }
}

async fn network(client: &Client, online: bool) {
    client
        .issue_cmd(NetworkConditions { online })
        .await
        .expect("set the browser's network conditions");
}

/// Polls `js` until it answers `expected`.
async fn until(client: &Client, js: &str, expected: Value) {
    let mut last = Value::Null;
    for _ in 0..400 {
        last = client.execute(js, vec![]).await.unwrap_or(Value::Null);
        if last == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{js} answered {last}, not {expected}");
}

/// Without the network the scanner decides on its own, keeps the scan through a reload, and
/// uploads it when the network is back.
async fn offline(client: &Client, state: &dialogue::AppState, token: &str) {
    // The offline kit is on the device, and the service worker controls the page.
    until(
        client,
        "return document.getElementById('scanner').dataset.kit || '';",
        Value::from("ready"),
    )
    .await;
    client.refresh().await.expect("reload");
    until(
        client,
        "return !!navigator.serviceWorker.controller && document.getElementById('scanner').dataset.kit === 'ready';",
        Value::Bool(true),
    )
    .await;
    network(client, false).await;
    // Registered while the venue is offline.
    let (row, event) = delegate(
        state,
        "Aman Orazow",
        "aman@example.org",
        None,
        dialogue::domain::enums::Category::Speaker,
        "ru",
    )
    .await;
    let code = dialogue::app::badges::code_for(state, event.id, row.registration.id);
    wedge(client, &code).await;
    assert_eq!(next_answer(client, "").await, "queued");
    until(
        client,
        "return document.getElementById('waiting').textContent;",
        Value::from("1"),
    )
    .await;
    wedge(client, &code).await;
    assert_eq!(
        next_answer(client, "").await,
        "already_checked_in",
        "admitted here offline already"
    );
    wedge(client, "D1NOTABADGE").await;
    assert_eq!(next_answer(client, "").await, "invalid");
    screenshot(client, "scanner-offline-360").await;
    // A reload without the network keeps the page and the kept scan.
    client.refresh().await.expect("reload offline");
    until(
        client,
        "return document.getElementById('waiting').textContent;",
        Value::from("1"),
    )
    .await;
    // The network is back: the scan is uploaded and the server knows it.
    network(client, true).await;
    client
        .execute("window.dispatchEvent(new Event('online'));", vec![])
        .await
        .expect("online");
    until(
        client,
        "return document.getElementById('waiting').textContent;",
        Value::from("0"),
    )
    .await;
    let found = dialogue::app::checkin::find_attendees(
        state,
        &dialogue::app::principal::principal_of(state, token)
            .await
            .expect("the scanner"),
        "dialogue-2026",
        "Aman Orazow",
    )
    .await
    .expect("look-up");
    assert!(
        found
            .iter()
            .any(|(r, admitted)| r.id == row.registration.id && *admitted),
        "the server counts the scan"
    );
}

/// The camera: a real badge from the server, rendered into a video that Chromium plays as its
/// camera, is read and answered online and offline; the time from the frame to the answer
/// shown is measured in the page and its medians are written to
/// `target/screenshots/scan-latency.txt`.
async fn camera(backend: Backend) {
    if std::process::Command::new("ffmpeg")
        .arg("-version")
        .output()
        .is_err()
    {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true and ffmpeg is missing: run bash .ci/ensure-browser");
        }
        eprintln!("note: skipping the camera test: ffmpeg is not installed");
        return;
    }
    run(backend, |db| async move {
        let served = Served::start(db.url.clone()).await;
        let state = served.state.clone();
        let token = scanner_token(&state, "Camera test").await;
        let (row, event) = delegate(
            &state,
            "Jeren Gurbanowa",
            "jeren@example.org",
            Some("UNDP"),
            dialogue::domain::enums::Category::Observer,
            "en",
        )
        .await;
        let png = dialogue::app::badges::png(&state, &row, &event)
            .await
            .expect("the badge");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("target/camera-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("a directory for the video");
        std::fs::write(dir.join("badge.png"), png).expect("write the badge");
        let video = dir.join("badge.mjpeg");
        let made = std::process::Command::new("ffmpeg")
            .args(["-y", "-loglevel", "error", "-loop", "1", "-i"])
            .arg(dir.join("badge.png"))
            .args(["-t", "2", "-r", "10", "-vf", "scale=-2:720,format=yuvj420p", "-q:v", "2", "-f", "mjpeg"])
            .arg(&video)
            .status()
            .expect("run ffmpeg");
        assert!(made.success(), "ffmpeg made the video");
        let args = vec![
            "--use-fake-device-for-media-stream".to_owned(),
            "--use-fake-ui-for-media-stream".to_owned(),
            format!("--use-file-for-fake-video-capture={}", video.display()),
        ];
        let Some(browser) = Browser::start_with(PHONE.0, PHONE.1, &args).await else {
            return;
        };
        let client = &browser.client;
        client
            .goto(&format!("{}/scan?lang=en#token={token}&event=dialogue-2026", served.base))
            .await
            .expect("the scanner");
        until(client, "return document.getElementById('scanner').dataset.kit || '';", Value::from("ready")).await;
        click(client, "#camera-start").await;
        let answers = |n: usize| format!(
            "return window.__scanTimings.length >= {n} ? window.__scanTimings[{n} - 1].result : '';"
        );
        // The genuine badge, then the same badge again.
        until(client, &answers(1), Value::from("ok")).await;
        let name = script(client, "return document.getElementById('result-name').textContent;").await;
        assert_eq!(name, "Jeren Gurbanowa");
        screenshot(client, "scanner-camera-360").await;
        until(client, &answers(2), Value::from("already_checked_in")).await;
        until(client, &answers(3), Value::from("already_checked_in")).await;
        // Offline: the page decides on its own.
        network(client, false).await;
        until(client, &answers(4), Value::from("queued")).await;
        until(client, &answers(5), Value::from("already_checked_in")).await;
        until(client, &answers(6), Value::from("already_checked_in")).await;
        network(client, true).await;
        let timings = script(client, "return window.__scanTimings;").await;
        let median = |online: bool| {
            let mut ms: Vec<f64> = timings
                .as_array()
                .unwrap()
                .iter()
                .filter(|t| t["online"] == Value::Bool(online))
                .filter_map(|t| t["ms"].as_f64())
                .collect();
            ms.sort_by(|a, b| a.total_cmp(b));
            ms[ms.len() / 2]
        };
        let report = format!(
            "{backend:?}: frame to answer, median of 3: online {:.0} ms, offline {:.0} ms (zxing-wasm in a worker; {timings})\n",
            median(true),
            median(false)
        );
        eprint!("{report}");
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots/scan-latency.txt");
        let mut text = std::fs::read_to_string(&path).unwrap_or_default();
        text.push_str(&report);
        std::fs::write(&path, text).expect("write the latency report");
        browser.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_camera_reads_badges_online_and_offline_sqlite() {
    camera(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_camera_reads_badges_online_and_offline_postgres() {
    camera(Backend::Postgres).await;
}

async fn journey(backend: Backend) {
    run(backend, |db| async move {
        let served = Served::start(db.url.clone()).await;
        let (base, state) = (served.base.clone(), served.state.clone());
        let Some(browser) = Browser::start(PHONE.0, PHONE.1).await else {
            return;
        };
        // The checker itself can fail: an image without a text alternative is caught.
        browser
            .client
            .goto("data:text/html,<!doctype html><html lang=en><title>t</title><main><img src=x.png></main></html>")
            .await
            .expect("a broken page");
        let caught = axe_violations(&browser.client).await;
        assert!(
            caught.iter().any(|v| v["id"] == "image-alt"),
            "axe-core catches a missing alt: {caught:?}"
        );
        for (lang, wrong_first) in [("tk", false), ("ru", false), ("en", true)] {
            register_change_cancel(&browser.client, &base, lang, wrong_first).await;
        }
        agenda_filters(&browser.client, &base).await;
        scanner(&browser.client, &base, &state).await;
        let organizer = organizer_token(&state).await;
        console::organizer_journey(&browser.client, &base, &state, &organizer).await;
        browser.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delegate_registers_changes_and_cancels_in_three_languages_sqlite() {
    journey(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delegate_registers_changes_and_cancels_in_three_languages_postgres() {
    journey(Backend::Postgres).await;
}
