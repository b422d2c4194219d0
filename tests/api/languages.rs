//! Content in three languages: `default_language`, `languages` and `translations` set and
//! read through the API; reads choose the language with `?lang=` or `Accept-Language` and
//! name it in `Content-Language`; the agenda follows, cached per language; bad translations
//! are refused whole; the demo programme speaks Turkmen, Russian and English.

use poem::http::Method;
use serde_json::{Value, json};

use crate::db_test;
use crate::helpers::TestApp;

async fn event_with_texts(app: &TestApp) -> String {
    let event = app
        .published_event(json!({
            "title": "Sanly hyzmatdaşlyk boýunça sebitara dialog",
            "venue": "Kongresler merkezi",
            "translations": {
                "ru": {"title": "Межрегиональный диалог по цифровому сотрудничеству",
                       "venue": "Конгресс-центр"},
                "en": {"title": "Interregional Dialogue on Digital Cooperation"}
            }
        }))
        .await;
    assert_eq!(event["default_language"], "tk");
    assert_eq!(event["languages"], json!(["tk", "ru", "en"]));
    event["id"].as_str().unwrap().to_owned()
}

db_test!(reads_choose_the_language_and_name_it, |app| async move {
    let id = event_with_texts(&app).await;
    let path = format!("/api/v1/events/{id}");
    let plain = app.get(&path).await;
    plain.expect(200);
    assert_eq!(plain.header("content-language"), Some("tk"));
    assert_eq!(
        plain.body["title"],
        "Sanly hyzmatdaşlyk boýunça sebitara dialog"
    );
    assert_eq!(
        plain.body["translations"]["ru"]["venue"], "Конгресс-центр",
        "organizers and clients get every translation"
    );
    let ru = app.get(&format!("{path}?lang=ru")).await;
    assert_eq!(ru.header("content-language"), Some("ru"));
    assert_eq!(
        ru.body["title"],
        "Межрегиональный диалог по цифровому сотрудничеству"
    );
    assert_eq!(ru.body["venue"], "Конгресс-центр");
    // English has a title but no venue: the venue stays in the default language.
    let en = app
        .get_with(
            &path,
            &[("Accept-Language", "de-DE, en-GB;q=0.8, ru;q=0.5")],
        )
        .await;
    assert_eq!(en.header("content-language"), Some("en"));
    assert_eq!(
        en.body["title"],
        "Interregional Dialogue on Digital Cooperation"
    );
    assert_eq!(en.body["venue"], "Kongresler merkezi");
    // `?lang=` wins over the header; an unknown language is no error.
    let asked = app
        .get_with(&format!("{path}?lang=ru"), &[("Accept-Language", "en")])
        .await;
    assert_eq!(asked.header("content-language"), Some("ru"));
    let unknown = app.get(&format!("{path}?lang=xx")).await;
    unknown.expect(200);
    assert_eq!(unknown.header("content-language"), Some("tk"));
});

db_test!(a_patch_replaces_the_languages_it_names, |app| async move {
    let id = event_with_texts(&app).await;
    let path = format!("/api/v1/events/{id}");
    let patched = app
        .patch(
            &path,
            json!({"translations": {"en": {"title": "The Dialogue", "city": "Ashgabat"},
                                        "ru": {}}}),
        )
        .await;
    patched.expect(200);
    let translations = &patched.body["translations"];
    assert_eq!(translations["en"]["title"], "The Dialogue");
    assert_eq!(translations["en"]["city"], "Ashgabat");
    assert!(
        translations.get("ru").is_none(),
        "an empty object removes it"
    );
    let other = app.patch(&path, json!({"title": "Dialog"})).await;
    assert_eq!(other.body["translations"]["en"]["title"], "The Dialogue");
    // Offered in Turkmen only: other languages fall back to it.
    app.patch(&path, json!({"languages": ["tk"]}))
        .await
        .expect(200);
    let en = app.get(&format!("{path}?lang=en")).await;
    assert_eq!(en.header("content-language"), Some("tk"));
    assert_eq!(en.body["title"], "Dialog");
});

db_test!(bad_translations_are_refused_whole, |app| async move {
    let id = event_with_texts(&app).await;
    let path = format!("/api/v1/events/{id}");
    let before = app.get(&path).await.body;
    for (body, field) in [
        (
            json!({"translations": {"de": {"title": "Dialog"}}}),
            "translations",
        ),
        (
            json!({"translations": {"ru": {"title": ""}}}),
            "translations.ru.title",
        ),
        (json!({"default_language": "de"}), "default_language"),
        (
            json!({"default_language": "ru", "languages": ["tk"]}),
            "languages",
        ),
        (json!({"languages": ["tk", "tk"]}), "languages"),
        (json!({"languages": []}), "languages"),
    ] {
        let reply = app.patch(&path, body.clone()).await;
        reply.expect_problem(422);
        assert!(
            reply.error_fields().iter().any(|f| f == field),
            "{body}: {:?}",
            reply.error_fields()
        );
    }
    // A field that cannot be translated is not part of the schema: 400, nothing changes
    // (it must not read as an empty object, which would remove the language).
    app.patch(&path, json!({"translations": {"ru": {"slug": "x"}}}))
        .await
        .expect_problem(400);
    let after = app.get(&path).await.body;
    assert_eq!(after["translations"], before["translations"]);
    assert_eq!(after["default_language"], before["default_language"]);
    // A new event with a bad translation is not created.
    let events = app.count_rows("events").await;
    let refused = app
        .post(
            "/api/v1/events",
            json!({"slug": "bad-texts", "title": "T", "starts_on": "2026-11-18",
                       "ends_on": "2026-11-18", "translations": {"fr": {"title": "T"}}}),
        )
        .await;
    refused.expect_problem(422);
    assert_eq!(app.count_rows("events").await, events);
});

db_test!(
    the_programme_and_the_agenda_follow_the_language,
    |app| async move {
        let id = event_with_texts(&app).await;
        let post = |path: &str, body: Value| {
            let path = format!("/api/v1/events/{id}/{path}");
            let app = &app;
            async move {
                let reply = app.post(&path, body).await;
                reply.expect(201);
                reply
            }
        };
        let track = post(
            "tracks",
            json!({"name": "Kiberhowpsuzlyk",
                   "translations": {"ru": {"name": "Кибербезопасность"},
                                    "en": {"name": "Cybersecurity"}}}),
        )
        .await;
        assert_eq!(track.body["translations"]["en"]["name"], "Cybersecurity");
        let room = post(
            "rooms",
            json!({"name": "Uly zal", "translations": {"ru": {"name": "Большой зал"}}}),
        )
        .await;
        let speaker = post(
            "speakers",
            json!({"full_name": "Maýsa Annaýewa", "position": "Direktoryň orunbasary",
                   "translations": {"ru": {"position": "Заместитель директора"}}}),
        )
        .await;
        let session = app
            .create_session(
                &id,
                json!({"title": "Açylyş dabarasy", "abstract": "Hoş geldiňiz",
                       "track_id": track.id(), "room_id": room.id(),
                       "speaker_ids": [speaker.id()],
                       "translations": {"ru": {"title": "Церемония открытия"},
                                        "en": {"title": "Opening ceremony",
                                               "abstract": "Welcome"}}}),
            )
            .await;
        session.expect(201);
        assert_eq!(
            session.body["translations"]["ru"]["title"],
            "Церемония открытия"
        );
        // A PATCH of a session keeps the languages it does not name.
        let patched = app
            .patch(
                &format!("/api/v1/events/{id}/sessions/{}", session.id()),
                json!({"translations": {"ru": {"title": "Торжественное открытие"}}}),
            )
            .await;
        patched.expect(200);
        assert_eq!(
            patched.body["translations"]["en"]["title"],
            "Opening ceremony"
        );

        let agenda = |query: &'static str| {
            let path = format!("/api/v1/events/{id}/agenda{query}");
            let app = &app;
            async move { app.get(&path).await }
        };
        let ru = agenda("?lang=ru").await;
        ru.expect(200);
        assert_eq!(ru.header("content-language"), Some("ru"));
        assert!(ru.header("vary").unwrap().contains("Accept-Language"));
        let first = &ru.body["days"][0]["sessions"][0];
        assert_eq!(first["title"], "Торжественное открытие");
        assert_eq!(
            first["abstract"], "Hoş geldiňiz",
            "no Russian abstract: the default"
        );
        assert_eq!(first["track"]["name"], "Кибербезопасность");
        assert_eq!(first["room"]["name"], "Большой зал");
        assert_eq!(first["speakers"][0]["position"], "Заместитель директора");
        assert_eq!(ru.body["event"]["venue"], "Конгресс-центр");
        assert!(first["track"].get("translations").is_none());
        let en = agenda("?lang=en").await;
        let first_en = &en.body["days"][0]["sessions"][0];
        assert_eq!(first_en["title"], "Opening ceremony");
        assert_eq!(first_en["abstract"], "Welcome");
        assert_eq!(first_en["room"]["name"], "Uly zal");
        // Each language is its own cached rendering with its own validator.
        assert_ne!(ru.header("etag"), en.header("etag"));
        let again = app
            .get_with(
                &format!("/api/v1/events/{id}/agenda?lang=ru"),
                &[("If-None-Match", ru.header("etag").unwrap())],
            )
            .await;
        again.expect(304);
        let tk = agenda("").await;
        assert_eq!(tk.header("content-language"), Some("tk"));
        assert_eq!(
            tk.body["days"][0]["sessions"][0]["title"],
            "Açylyş dabarasy"
        );
    }
);

db_test!(demo_programme_speaks_three_languages, |app| async move {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    dialogue::bootstrap::load_demo(&app.state, today)
        .await
        .unwrap();
    let title = |body: &Value| body["days"][0]["sessions"][0]["title"].clone();
    let path = "/api/v1/events/dialogue-2026/agenda";
    let en = app.get(&format!("{path}?lang=en")).await;
    let tk = app.get(&format!("{path}?lang=tk")).await;
    let ru = app.get(&format!("{path}?lang=ru")).await;
    assert_eq!(title(&en.body), "Opening ceremony");
    assert_eq!(title(&tk.body), "Açylyş dabarasy");
    assert_eq!(title(&ru.body), "Церемония открытия");
    let event = app
        .call(
            Method::GET,
            "/api/v1/events/dialogue-2026?lang=ru",
            None,
            None,
        )
        .await;
    let ru_title = event.body["title"].as_str().unwrap();
    assert!(
        ru_title.chars().any(|c| ('а'..='я').contains(&c)),
        "{ru_title}"
    );
    // Every session of the demo has its title in all three languages.
    for day in ru.body["days"].as_array().unwrap() {
        for session in day["sessions"].as_array().unwrap() {
            let title = session["title"].as_str().unwrap();
            assert!(
                title.chars().any(|c| ('А'..='я').contains(&c)),
                "not in Russian: {title}"
            );
        }
    }
});

db_test!(calendar_feeds_follow_the_language, |app| async move {
    let id = event_with_texts(&app).await;
    let session = app
        .create_session(
            &id,
            json!({"title": "Açylyş", "translations": {"ru": {"title": "Открытие"},
                                                            "en": {"title": "Opening"}}}),
        )
        .await;
    session.expect(201);
    let unfolded = |text: &str| text.replace("\r\n ", "");
    let feed = |query: String| {
        let app = &app;
        async move { unfolded(&app.get(&query).await.text) }
    };
    let event_feed = format!("/api/v1/events/{id}/calendar.ics");
    assert!(feed(event_feed.clone()).await.contains("SUMMARY:Açylyş"));
    let ru = feed(format!("{event_feed}?lang=ru")).await;
    assert!(ru.contains("SUMMARY:Открытие"), "{ru}");
    assert!(ru.contains("Конгресс-центр"), "the venue in Russian: {ru}");
    assert!(
        ru.contains("Язык: Английский"),
        "the feed's own words too: {ru}"
    );
    let one = format!(
        "/api/v1/events/{id}/sessions/{}/calendar.ics?lang=en",
        session.id()
    );
    assert!(feed(one).await.contains("SUMMARY:Opening"));
    // A delegate's own feed is in their language unless another is asked for.
    let registered = crate::registrations::register(&app, &id, {
        let mut body = crate::registrations::delegate("ru@example.org", &[&session.id()]);
        body["locale"] = json!("ru");
        body
    })
    .await;
    registered.expect(201);
    let personal = registered.body["calendar_url"].as_str().unwrap();
    let personal = personal
        .find("/api/v1/")
        .map(|at| personal[at..].to_owned())
        .unwrap();
    assert!(feed(personal.clone()).await.contains("SUMMARY:Открытие"));
    let english = feed(format!("{personal}&lang=en")).await;
    assert!(english.contains("SUMMARY:Opening"), "{english}");
});

db_test!(
    a_badge_names_the_event_in_the_delegates_language,
    |app| async move {
        let id = event_with_texts(&app).await;
        let badge_of = |locale: &'static str, email: &'static str| {
            let (app, id) = (&app, &id);
            async move {
                let mut body = crate::registrations::delegate(email, &[]);
                body["locale"] = json!(locale);
                let reply = crate::registrations::register(app, id, body).await;
                reply.expect(201);
                let token = reply.body["manage_token"].as_str().unwrap().to_owned();
                app.get_as("/api/v1/registrations/me/badge.svg", &token)
                    .await
                    .text
            }
        };
        // The title is wrapped over lines on the badge: look for its first word.
        let russian = badge_of("ru", "ru@example.org").await;
        assert!(russian.contains("Межрегиональный"));
        assert!(russian.contains("УЧАСТНИК"), "the category in Russian too");
        assert!(
            badge_of("en", "en@example.org")
                .await
                .contains("Interregional")
        );
        let turkmen = badge_of("tk", "tk@example.org").await;
        assert!(turkmen.contains("Sanly") && turkmen.contains("WEKIL"));
        // A language the event has no title in: its default language.
        assert!(badge_of("de", "de@example.org").await.contains("Sanly"));
    }
);

db_test!(programme_reads_follow_the_language, |app| async move {
    let id = event_with_texts(&app).await;
    let base = format!("/api/v1/events/{id}");
    let made = |path: &'static str, body: Value| {
        let (app, base) = (&app, &base);
        async move {
            let reply = app.post(&format!("{base}/{path}"), body).await;
            reply.expect(201);
            reply.id()
        }
    };
    let track = made(
        "tracks",
        json!({"name": "Bilim", "translations": {"ru": {"name": "Образование"}}}),
    )
    .await;
    let room = made(
        "rooms",
        json!({"name": "Zal", "translations": {"ru": {"name": "Зал"}}}),
    )
    .await;
    let speaker = made(
            "speakers",
            json!({"full_name": "Aýna", "bio": "Mugallym", "translations": {"ru": {"bio": "Преподаватель"}}}),
        )
        .await;
    let session = app
        .create_session(
            &id,
            json!({"title": "Sapak", "translations": {"ru": {"title": "Урок"}}}),
        )
        .await;
    session.expect(201);
    let session = session.id();
    for (path, field, russian) in [
        (format!("{base}/tracks/{track}"), "name", "Образование"),
        (format!("{base}/rooms/{room}"), "name", "Зал"),
        (format!("{base}/speakers/{speaker}"), "bio", "Преподаватель"),
        (format!("{base}/sessions/{session}"), "title", "Урок"),
    ] {
        let ru = app.get_with(&path, &[("Accept-Language", "ru")]).await;
        ru.expect(200);
        assert_eq!(ru.header("content-language"), Some("ru"), "{path}");
        assert_eq!(ru.body[field], russian, "{path}");
        assert_eq!(ru.body["translations"]["ru"][field], russian, "{path}");
        let tk = app.get(&path).await;
        assert_eq!(tk.header("content-language"), Some("tk"), "{path}");
        assert_ne!(tk.body[field], russian, "{path}");
    }
    for (path, field, russian) in [
        (format!("{base}/tracks?lang=ru"), "name", "Образование"),
        (format!("{base}/rooms?lang=ru"), "name", "Зал"),
        (format!("{base}/speakers?lang=ru"), "bio", "Преподаватель"),
        (format!("{base}/sessions?lang=ru"), "title", "Урок"),
    ] {
        let page = app.get(&path).await;
        page.expect(200);
        assert_eq!(page.header("content-language"), Some("ru"), "{path}");
        assert_eq!(page.body["items"][0][field], russian, "{path}");
    }
});
