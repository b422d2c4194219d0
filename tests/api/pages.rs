//! The public pages over HTTP: the events, an event and its agenda, in Turkmen, Russian and
//! English (`?lang=` sets a cookie; then the cookie, `Accept-Language`, the event's default),
//! with the security headers, drafts not found, the agenda's filters, static files at
//! hashed URLs, and no personal data. Every message exists in every language.

use serde_json::json;

use crate::db_test;
use crate::helpers::TestApp;
use crate::registrations::{delegate, register};

async fn demo(app: &TestApp) {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    dialogue::bootstrap::load_demo(&app.state, today)
        .await
        .unwrap();
}

db_test!(pages_speak_the_visitors_language, |app| async move {
    demo(&app).await;
    let ru = app.get("/?lang=ru").await;
    ru.expect(200);
    assert!(ru.header("content-type").unwrap().starts_with("text/html"));
    assert!(ru.text.contains(r#"<html lang="ru">"#));
    assert!(
        ru.text
            .contains("Межрегиональный диалог по цифровому сотрудничеству")
    );
    assert!(
        !ru.text.contains('\u{2068}'),
        "no isolation marks in the text"
    );
    let cookie = ru.header("set-cookie").unwrap();
    assert!(cookie.starts_with("lang=ru;") && cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    // The cookie is remembered; Accept-Language is the next choice; then the default.
    let remembered = app.get_with("/", &[("Cookie", "lang=ru")]).await;
    assert!(remembered.text.contains(r#"<html lang="ru">"#));
    assert!(remembered.header("set-cookie").is_none());
    let english = app
        .get_with("/", &[("Accept-Language", "en-GB,en;q=0.9")])
        .await;
    assert!(english.text.contains(r#"<html lang="en">"#));
    assert!(
        english
            .text
            .contains("Interregional Dialogue on Digital Cooperation")
    );
    let turkmen = app.get("/").await;
    assert!(turkmen.text.contains(r#"<html lang="tk">"#));
    assert!(turkmen.text.contains("Çäreler"));
    // Every page of the event in each language, with its dates in that language.
    for (lang, words) in [
        ("tk", ["Maksatnama", "Açylyş dabarasy"]),
        ("ru", ["Программа", "Церемония открытия"]),
        ("en", ["Agenda", "Opening ceremony"]),
    ] {
        let event = app.get(&format!("/events/dialogue-2026?lang={lang}")).await;
        event.expect(200);
        assert!(event.text.contains(&format!(r#"<html lang="{lang}">"#)));
        assert!(event.text.contains(words[0]), "{lang}");
        assert!(event.text.contains("webcal://"), "{lang}");
        assert!(event.text.contains("calendar.google.com"), "{lang}");
        let agenda = app
            .get(&format!("/events/dialogue-2026/agenda?lang={lang}"))
            .await;
        agenda.expect(200);
        assert!(agenda.text.contains(words[1]), "{lang}: {}", agenda.text);
        let zone = match lang {
            "tk" => "Aşgabat wagty (UTC+5)",
            "ru" => "ашхабадское время (UTC+5)",
            _ => "Ashgabat time (UTC+5)",
        };
        assert!(agenda.text.contains(zone), "the zone is named: {lang}");
    }
    let ru_agenda = app.get("/events/dialogue-2026/agenda?lang=ru").await;
    assert!(
        [
            "Понедельник",
            "Вторник",
            "Среда",
            "Четверг",
            "Пятница",
            "Суббота",
            "Воскресенье"
        ]
        .iter()
        .any(|day| ru_agenda.text.contains(day)),
        "weekdays in Russian"
    );
});

db_test!(pages_carry_the_security_headers, |app| async move {
    demo(&app).await;
    for path in [
        "/",
        "/events/dialogue-2026",
        "/events/dialogue-2026/agenda",
        "/nowhere",
    ] {
        let reply = app.get(path).await;
        let csp = reply.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}"
        );
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert!(reply.header("referrer-policy").is_some(), "{path}");
    }
    let missing = app.get("/nowhere?lang=en").await;
    missing.expect(404);
    assert!(missing.text.contains("Page not found"));
    // The stylesheet is served from its hashed URL, cached for a year.
    let page = app.get("/").await;
    let css = page
        .text
        .split("href=\"")
        .find_map(|rest| rest.split('"').next().filter(|u| u.starts_with("/static/")))
        .unwrap()
        .to_owned();
    let style = app.get(&css).await;
    style.expect(200);
    assert!(
        style
            .header("content-type")
            .unwrap()
            .starts_with("text/css")
    );
    assert!(style.header("cache-control").unwrap().contains("immutable"));
    // The API keeps its own answers beside the pages.
    app.get("/api/v1/events/nowhere").await.expect_problem(404);
    app.get("/healthz").await.expect(200);
});

db_test!(
    drafts_and_personal_data_stay_off_public_pages,
    |app| async move {
        let draft = app.create_event(json!({"slug": "secret-seminar"})).await;
        app.get("/events/secret-seminar").await.expect(404);
        app.get("/events/secret-seminar/agenda").await.expect(404);
        assert!(!app.get("/").await.text.contains("secret-seminar"));
        let _ = draft;
        let event = app.published_event(json!({"slug": "open-seminar"})).await;
        let id = event["id"].as_str().unwrap();
        let speaker = app
            .post(
                &format!("/api/v1/events/{id}/speakers"),
                json!({"full_name": "Aýna Berdiýewa", "email": "ayna@example.tm"}),
            )
            .await;
        speaker.expect(201);
        app.create_session(id, json!({"speaker_ids": [speaker.id()]}))
            .await
            .expect(201);
        let registered = register(&app, id, delegate("delegate@example.org", &[])).await;
        registered.expect(201);
        let token = registered.body["manage_token"].as_str().unwrap();
        for path in ["/", "/events/open-seminar", "/events/open-seminar/agenda"] {
            let page = app.get(path).await;
            page.expect(200);
            for secret in ["ayna@example.tm", "delegate@example.org", token, "dlg_"] {
                assert!(!page.text.contains(secret), "{path} shows {secret}");
            }
        }
        assert!(
            app.get("/events/open-seminar/agenda")
                .await
                .text
                .contains("Aýna Berdiýewa")
        );
    }
);

db_test!(the_agenda_filters_narrow_the_sessions, |app| async move {
    demo(&app).await;
    let all = app.get("/events/dialogue-2026/agenda?lang=en").await;
    let count = |text: &str| text.matches("class=\"session").count();
    let everything = count(&all.text);
    assert!(everything > 10);
    let agenda = app.get("/api/v1/events/dialogue-2026/agenda").await.body;
    let first_day = agenda["days"][0]["date"].as_str().unwrap().to_owned();
    let day = app
        .get(&format!(
            "/events/dialogue-2026/agenda?lang=en&day={first_day}"
        ))
        .await;
    let on_day = count(&day.text);
    assert!(on_day > 0 && on_day < everything);
    assert!(
        day.text
            .contains(&format!(r#"value="{first_day}" selected"#))
    );
    let russian = app
        .get("/events/dialogue-2026/agenda?lang=en&language=ru")
        .await;
    let in_russian = count(&russian.text);
    assert!(in_russian > 0 && in_russian < everything);
    let room = agenda["days"][0]["sessions"][0]["room"]["id"]
        .as_str()
        .unwrap();
    let in_room = app
        .get(&format!("/events/dialogue-2026/agenda?lang=en&room={room}"))
        .await;
    assert!(count(&in_room.text) > 0 && count(&in_room.text) < everything);
    // A filter that does not parse is ignored, never an error.
    app.get("/events/dialogue-2026/agenda?day=someday&track=x")
        .await
        .expect(200);
    // The language switch keeps the filters.
    assert!(day.text.contains(&format!("day={first_day}&#38;lang=ru")));
});

#[test]
fn every_message_exists_in_every_language() {
    let keys = |language: &str| -> Vec<String> {
        let text = ["main", "console", "certificates"]
            .iter()
            .map(|file| {
                std::fs::read_to_string(format!(
                    "{}/locales/{language}/{file}.ftl",
                    env!("CARGO_MANIFEST_DIR")
                ))
                .unwrap()
            })
            .collect::<Vec<_>>()
            .join("\n");
        text.lines()
            .filter(|line| !line.starts_with(' ') && !line.starts_with('#'))
            .filter_map(|line| line.split_once(" = ").map(|(key, _)| key.trim().to_owned()))
            .chain(
                text.lines()
                    .filter(|line| line.ends_with(" =") && !line.starts_with(' '))
                    .map(|line| line.trim_end_matches(" =").to_owned()),
            )
            .collect()
    };
    let english = keys("en");
    assert!(english.len() > 50);
    for language in ["tk", "ru"] {
        let theirs = keys(language);
        for key in &english {
            assert!(theirs.contains(key), "{language} lacks {key}");
            assert!(
                dialogue::web::i18n::Messages::has_own(language, key),
                "{language} does not load {key}"
            );
        }
        for key in &theirs {
            assert!(
                english.contains(key),
                "{language} has {key}, English does not"
            );
        }
    }
}

/// Every message the templates and the page code ask for exists in every language, and so
/// do the ones built from a name (categories, session kinds, languages, confirmations).
#[test]
fn every_message_used_exists() {
    use dialogue::domain::enums::{Category, SessionKind};
    use dialogue::web::i18n::Messages;
    let root = env!("CARGO_MANIFEST_DIR");
    let mut used: Vec<String> = Vec::new();
    for dir in ["templates", "templates/mail", "src/web", "src/mail"] {
        for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                continue;
            }
            let text = std::fs::read_to_string(path).unwrap();
            for call in [".t(\"", ".t_with(\"", ".count(\""] {
                for piece in text.split(call).skip(1) {
                    let key = piece.split('"').next().unwrap();
                    if !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                        used.push(key.to_owned());
                    }
                }
            }
        }
    }
    assert!(used.len() > 60, "found {} keys", used.len());
    used.extend(
        Category::ALL
            .iter()
            .map(|c| format!("category-{}", c.as_str())),
    );
    used.extend(
        SessionKind::ALL
            .iter()
            .map(|k| format!("session-kind-{}", k.as_str())),
    );
    used.extend(["tk", "ru", "en"].map(|l| format!("lang-{l}")));
    for kind in dialogue::domain::enums::MailKind::ALL {
        let kind = kind.as_str().replace('_', "-");
        used.push(format!("mail-subject-{kind}"));
        used.push(format!("mail-body-{kind}"));
    }
    used.extend(["sessions", "language", "calendar", "cancelled"].map(|d| format!("me-done-{d}")));
    for field in [
        "full-name",
        "email",
        "organization",
        "position",
        "country",
        "category",
        "session-ids",
        "locale",
        "consent",
    ] {
        used.push(format!("error-field-{field}"));
    }
    for language in ["tk", "ru", "en"] {
        for key in &used {
            assert!(Messages::has_own(language, key), "{language} lacks {key}");
        }
    }
}
