//! The words of the language review (`../shared/LANGUAGE-REVIEW.md`): no Turkmen or Russian
//! message left in English, the reviewed wrong words gone from the messages and the pages,
//! counts in the right plural ("1 seat", "2 seats", «2 места», «5 мест»), event dates as one
//! range ("5–8 December 2025", «5–8 декабря 2025 г.», "5–8-nji dekabr 2025 ý."), the time
//! zone by its name ("Aşgabat wagty (UTC+5)"), and countries stored as ISO codes, given as a
//! code or an English name, refused otherwise, and shown in the reader's language.

use std::collections::BTreeMap;

use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::console::sign_in;
use crate::db_test;
use crate::helpers::TestApp;
use crate::registrations::{delegate, register};
use crate::visitor::{Visitor, field};

/// The messages of one language and file: id → text (a multi-line message joined).
fn messages(language: &str, file: &str) -> BTreeMap<String, String> {
    let path = format!(
        "{}/locales/{language}/{file}.ftl",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with(' ') || line.starts_with('}') {
            if let Some(id) = &current {
                let entry = out.entry(id.clone()).or_default();
                entry.push('\n');
                entry.push_str(line);
            }
        } else if let Some((id, value)) = line.split_once(" =") {
            if !id.starts_with('#') && !id.contains(' ') {
                out.insert(id.to_owned(), value.trim().to_owned());
                current = Some(id.to_owned());
                continue;
            }
            current = None;
        } else {
            current = None;
        }
    }
    out
}

/// Messages that are the same in every language: names of languages, the brand, formats,
/// codes and words that are written alike.
const SAME_EVERYWHERE: &[&str] = &[
    "site-name",
    "lang-tk",
    "lang-ru",
    "lang-en",
    "day-ordinal",
    "from-ordinal",
    "date-range",
    "console-field-color",
    "console-event-kind-seminar",
    "mail-subject-test",
];

/// The review's wrong words (Turkmen), and English that only a wrong plural writes.
const WRONG_WORDS: &[&str] = &[
    "Gatnaşýan hukugym",
    "garaşylýanlaryň",
    "Garaşylýanlaryň",
    "Ýüzlenme",
    "ýüzlenme",
    "Çap et",
    "Çap edildi",
    "-nji orun",
    "-da girdi",
    "Maksatnamany saýlamak",
    "Google Senenama goşmak",
    "Hasaba alynýan sapak",
    "Hasaba dur\n",
    "işlemegine razy.",
    "Hormatly { $name },",
    "Впервые прошёл",
    "Уже прошёл",
    "Пропущен (",
    "Переведён",
    "Отбор сессий",
    "session(s)",
    "certificate(s)",
];

#[test]
fn no_turkmen_or_russian_message_is_left_in_english() {
    for file in ["main", "console", "certificates"] {
        let english = messages("en", file);
        assert!(english.len() > 20, "{file}: {}", english.len());
        for language in ["tk", "ru"] {
            let other = messages(language, file);
            let mut same = Vec::new();
            for (id, text) in &english {
                let translated = other
                    .get(id)
                    .unwrap_or_else(|| panic!("{language}/{file} lacks {id}"));
                if translated == text && !SAME_EVERYWHERE.contains(&id.as_str()) {
                    same.push(format!("{id} = {text}"));
                }
            }
            assert!(same.is_empty(), "{language}/{file} in English: {same:#?}");
        }
    }
}

#[test]
fn the_reviewed_wrong_words_are_gone() {
    for language in ["tk", "ru", "en"] {
        for file in ["main", "console", "certificates"] {
            for (id, text) in messages(language, file) {
                let text = format!("{text}\n");
                for wrong in WRONG_WORDS {
                    assert!(
                        !text.contains(wrong),
                        "{language}/{file}: {id} still says {wrong:?}: {text}"
                    );
                }
            }
        }
    }
    // One form of the brand in every language.
    for language in ["tk", "ru", "en"] {
        assert_eq!(messages(language, "main")["site-name"], "Dialogue");
    }
    let tk = messages("tk", "main");
    assert_eq!(tk["field-category"], "Gatnaşyş görnüşi");
    assert_eq!(tk["agenda-filters"], "Süzgüçler");
    assert_eq!(tk["event-register"], "Hasaba duruň");
    assert_eq!(tk["register-submit"], "Hasaba duruň");
    assert_eq!(tk["mail-greeting"], "Hormatly { $name }!");
    assert_eq!(messages("tk", "console")["console-publish"], "Ýerleşdiriň");
    assert_eq!(
        messages("ru", "main")["scan-first-in"],
        "Первый проход: { $time }."
    );
}

/// A published event in December 2025, in Turkmen by default.
async fn december_event(app: &TestApp, starts: &str, ends: &str) -> (String, String) {
    let event = app
        .published_event(json!({"starts_on": starts, "ends_on": ends,
                                "title": "Sanly hyzmatdaşlyk", "country": "tm"}))
        .await;
    (
        event["id"].as_str().unwrap_or_default().to_owned(),
        event["slug"].as_str().unwrap_or_default().to_owned(),
    )
}

db_test!(event_dates_read_as_one_range, |app| async move {
    let (_, slug) = december_event(&app, "2025-12-05", "2025-12-08").await;
    for (lang, range, zone, country) in [
        (
            "en",
            "5–8 December 2025",
            "Ashgabat time (UTC+5)",
            "Turkmenistan",
        ),
        (
            "ru",
            "5–8 декабря 2025 г.",
            "ашхабадское время (UTC+5)",
            "Туркменистан",
        ),
        (
            "tk",
            "5–8-nji dekabr 2025 ý.",
            "Aşgabat wagty (UTC+5)",
            "Türkmenistan",
        ),
    ] {
        let page = app.get(&format!("/events/{slug}?lang={lang}")).await;
        page.expect(200);
        assert!(
            page.text.contains(range),
            "{lang}: {range} in {}",
            page.text
        );
        assert!(page.text.contains(zone), "{lang}: {zone}");
        assert!(page.text.contains(country), "{lang}: {country}");
        assert!(!page.text.contains("Asia/Ashgabat"), "{lang}");
    }
    // Across months and years the month and the year are said where they change; the
    // Turkmen day takes its ordinal suffix by the number (6-njy, 30-njy, 1-nji).
    let (_, months) = december_event(&app, "2025-11-28", "2025-12-03").await;
    let (_, years) = december_event(&app, "2025-12-30", "2026-01-02").await;
    let (_, one_day) = december_event(&app, "2025-12-06", "2025-12-06").await;
    for (slug, lang, expected) in [
        (&months, "en", "28 November – 3 December 2025"),
        (&months, "ru", "28 ноября – 3 декабря 2025 г."),
        (&months, "tk", "28-nji noýabr – 3-nji dekabr 2025 ý."),
        (&years, "en", "30 December 2025 – 2 January 2026"),
        (&years, "tk", "30-njy dekabr 2025 ý. – 2-nji ýanwar 2026 ý."),
        (&one_day, "en", "Saturday, 6 December 2025"),
        (&one_day, "ru", "Суббота, 6 декабря 2025 г."),
        (&one_day, "tk", "6-njy dekabr 2025 ý., şenbe"),
    ] {
        let page = app.get(&format!("/events/{slug}?lang={lang}")).await;
        page.expect(200);
        assert!(
            page.text.contains(expected),
            "{lang}: {expected} in {}",
            page.text
        );
    }
});

db_test!(counts_take_their_plural, |app| async move {
    let (id, slug) = december_event(&app, "2025-12-05", "2025-12-08").await;
    let mut sessions = Vec::new();
    for (capacity, hour) in [(1, "09"), (2, "11"), (5, "13"), (21, "15")] {
        let created = app
            .create_session(
                &id,
                json!({"title": format!("Workshop {capacity}"), "kind": "workshop",
                       "capacity": capacity,
                       "starts_at": format!("2025-12-05T{hour}:00:00+05:00"),
                       "ends_at": format!("2025-12-05T{hour}:45:00+05:00")}),
            )
            .await;
        created.expect(201);
        sessions.push(created.id());
    }
    for (session, lang, expected) in [
        (0, "en", "1 seat left"),
        (1, "en", "2 seats left"),
        (0, "ru", "Осталось 1 место"),
        (1, "ru", "Осталось 2 места"),
        (2, "ru", "Осталось 5 мест"),
        (3, "ru", "Осталось 21 место"),
        (2, "tk", "Boş orun: 5"),
    ] {
        let page = app
            .get(&format!(
                "/events/{slug}/sessions/{}?lang={lang}",
                sessions[session]
            ))
            .await;
        page.expect(200);
        assert!(page.text.contains(expected), "{lang}: {expected}");
        assert!(!page.text.contains("1 seats"), "{lang}");
    }
    // The console's rooms: "1 seat", "2 seats".
    for (name, capacity) in [("Small room", 1), ("Big room", 2)] {
        app.post(
            &format!("/api/v1/events/{id}/rooms"),
            json!({"name": name, "capacity": capacity}),
        )
        .await
        .expect(201);
    }
    let mut organizer = Visitor::new(&app);
    sign_in(&mut organizer, &app.organizer).await.expect(303);
    let rooms = organizer
        .get(&format!("/admin/events/{slug}/programme?lang=en"))
        .await;
    rooms.expect(200);
    assert!(rooms.text.contains("1 seat<"), "{}", rooms.text);
    assert!(rooms.text.contains("2 seats"), "{}", rooms.text);
    assert!(!rooms.text.contains("1 seats"));
    let ru = organizer
        .get(&format!("/admin/events/{slug}/programme?lang=ru"))
        .await;
    assert!(ru.text.contains("2 места"), "{}", ru.text);
});

db_test!(
    countries_are_codes_shown_in_the_readers_language,
    |app| async move {
        let (id, slug) = december_event(&app, "2025-12-05", "2025-12-08").await;
        // The API takes a code in any case or an English name and answers the code.
        for (typed, code) in [
            ("kz", "KZ"),
            ("Turkmenistan", "TM"),
            (" russian federation ", "RU"),
        ] {
            let mut body = delegate(&format!("{code}@example.org"), &[]);
            body["country"] = json!(typed);
            let created = register(&app, &id, body).await;
            created.expect(201);
            let read = app
                .get_as(
                    &format!(
                        "/api/v1/events/{id}/registrations/{}",
                        created.body["id"].as_str().unwrap_or_default()
                    ),
                    &app.organizer,
                )
                .await;
            read.expect(200);
            assert_eq!(read.body["country"], code, "{typed}");
        }
        // Anything else is a 422 naming `country`, and nothing is stored.
        let before = app.count_rows("registrations").await;
        let mut body = delegate("atlantis@example.org", &[]);
        body["country"] = json!("Atlantis");
        let refused = register(&app, &id, body).await;
        refused.expect_problem(422);
        assert_eq!(refused.error_fields(), ["country"]);
        assert_eq!(app.count_rows("registrations").await, before);

        // Speakers too; their page names the country in the reader's language.
        let speaker = app
            .post(
                &format!("/api/v1/events/{id}/speakers"),
                json!({"full_name": "Kristjan Mägi", "country": "Estonia"}),
            )
            .await;
        speaker.expect(201);
        assert_eq!(speaker.body["country"], "EE");
        let bad = app
            .post(
                &format!("/api/v1/events/{id}/speakers"),
                json!({"full_name": "Nobody", "country": "Estonian"}),
            )
            .await;
        bad.expect_problem(422);
        assert_eq!(bad.error_fields(), ["country"]);
        let page = |lang: &'static str| {
            let path = format!("/events/{slug}/speakers/{}?lang={lang}", speaker.id());
            let app = &app;
            async move {
                let reply = app.get(&path).await;
                reply.expect(200);
                reply.text
            }
        };
        assert!(page("ru").await.contains("Эстония"));
        assert!(page("tk").await.contains("Estoniýa"));
        assert!(page("en").await.contains("Estonia"));

        // A value from before codes that names no country is kept and shown as written; a
        // change that leaves it alone passes, one that sets another unknown value does not.
        let old = app
            .post(
                &format!("/api/v1/events/{id}/speakers"),
                json!({"full_name": "Old Speaker"}),
            )
            .await;
        old.expect(201);
        app.state
            .writer
            // (By name: SQLite keeps ids as blobs.)
            .execute_unprepared(
                "UPDATE speakers SET country = 'Atlantis' WHERE full_name = 'Old Speaker'",
            )
            .await
            .expect("an old value");
        // As after a restart: nothing read before the change is kept.
        app.state.agenda_changed();
        let old_page = app
            .get(&format!("/events/{slug}/speakers/{}?lang=ru", old.id()))
            .await;
        assert!(old_page.text.contains("Atlantis"), "{}", old_page.text);
        let kept = app
            .patch(
                &format!("/api/v1/events/{id}/speakers/{}", old.id()),
                json!({"bio": "Builds e-government."}),
            )
            .await;
        kept.expect(200);
        assert_eq!(kept.body["country"], "Atlantis");
        let changed = app
            .patch(
                &format!("/api/v1/events/{id}/speakers/{}", old.id()),
                json!({"country": "Atlantida"}),
            )
            .await;
        changed.expect_problem(422);
        assert_eq!(changed.error_fields(), ["country"]);

        // The form offers the countries in the page's language and refuses what is not one.
        let mut visitor = Visitor::new(&app);
        let path = format!("/events/{slug}/register?lang=tk");
        let form = visitor.get(&path).await;
        form.expect(200);
        assert!(
            form.text
                .contains(r#"<option value="TM">Türkmenistan</option>"#),
            "{}",
            form.text
        );
        assert!(
            form.text
                .contains(r#"<option value="DE">Germaniýa</option>"#)
        );
        let csrf = field(&form.text, "csrf_token");
        let fields = |country: &'static str, key: String| {
            vec![
                ("csrf_token", csrf.clone()),
                ("idempotency_key", key),
                ("full_name", "Aýna Orazowa".to_owned()),
                ("email", "form@example.org".to_owned()),
                ("category", "delegate".to_owned()),
                ("locale", "tk".to_owned()),
                ("consent", "true".to_owned()),
                ("country", country.to_owned()),
            ]
        };
        let posted = fields("XX", field(&form.text, "idempotency_key"));
        let posted: Vec<(&str, &str)> = posted.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let again = visitor.post(&path, &posted).await;
        again.expect(422);
        assert!(
            again.text.contains(r#"id="error-country""#),
            "{}",
            again.text
        );
        assert!(again.text.contains("Sanawdan ýurdy saýlaň."));
        let posted = fields("uz", field(&again.text, "idempotency_key"));
        let posted: Vec<(&str, &str)> = posted.iter().map(|(n, v)| (*n, v.as_str())).collect();
        visitor.post(&path, &posted).await.expect(303);
        let stored = app
            .get_as(
                &format!("/api/v1/events/{id}/registrations?q=form%40example.org"),
                &app.organizer,
            )
            .await;
        stored.expect(200);
        assert_eq!(stored.body["items"][0]["country"], "UZ", "{}", stored.body);
    }
);

db_test!(
    the_migration_turns_english_names_into_codes,
    |app| async move {
        use migration::MigratorTrait;
        let (id, slug) = december_event(&app, "2025-12-05", "2025-12-08").await;
        let mut ids = Vec::new();
        for name in ["A", "B", "C"] {
            let created = app
                .post(
                    &format!("/api/v1/events/{id}/speakers"),
                    json!({"full_name": name}),
                )
                .await;
            created.expect(201);
            ids.push(created.id());
        }
        // As a database of the earlier release: English names and a value that is no country.
        let db = &app.state.writer;
        let past_twelve = (migration::Migrator::migrations().len() - 12) as u32;
        migration::Migrator::down(db, Some(past_twelve))
            .await
            .expect("down to 12");
        // (By name: SQLite keeps ids as blobs.)
        for (name, country) in [
            ("A", "Russian Federation"),
            ("B", "germany"),
            ("C", "Atlantis"),
        ] {
            db.execute_unprepared(&format!(
                "UPDATE speakers SET country = '{country}' WHERE full_name = '{name}'"
            ))
            .await
            .expect("an old value");
        }
        migration::Migrator::up(db, None).await.expect("up");
        // As after a restart: nothing read before the migration is kept.
        app.state.agenda_changed();
        for (speaker, country) in ids.iter().zip(["RU", "DE", "Atlantis"]) {
            let read = app
                .get_as(
                    &format!("/api/v1/events/{id}/speakers/{speaker}"),
                    &app.organizer,
                )
                .await;
            read.expect(200);
            assert_eq!(read.body["country"], country, "{}", read.body);
        }
        let page = app
            .get(&format!("/events/{slug}/speakers/{}?lang=tk", ids[0]))
            .await;
        assert!(page.text.contains("Russiýa"), "{}", page.text);
    }
);
