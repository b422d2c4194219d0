//! The organizers' console over HTTP, on both stores: signing in and out (server-side
//! sessions, the cookie's attributes, revocation ending a session), every console form
//! refused without a session and without a CSRF token (and nothing changed), and the console's
//! work: events with texts in three languages, publishing, rooms and speakers, sessions with a
//! clash named and then kept on purpose, the day view, registrations (filters, decisions one
//! and many, CSV, the delegate's page, erasure with a confirmation), scanner tokens with a
//! pairing QR that decodes to a working link, attendance, the outbox.

use serde_json::json;

use crate::db_test;
use crate::helpers::{Reply, TestApp};
use crate::registrations::{delegate, register};
use crate::visitor::{Visitor, field};

/// Signs `visitor` in with `token`; answers the reply to the sign-in form.
pub async fn sign_in(visitor: &mut Visitor<'_>, token: &str) -> Reply {
    let form = visitor.get("/admin?lang=en").await;
    form.expect(200);
    let csrf = field(&form.text, "csrf_token");
    visitor
        .post(
            "/admin",
            &[("csrf_token", &csrf), ("token", token), ("next", "")],
        )
        .await
}

/// The CSRF token of a console page (every page carries one in its sign-out form).
async fn csrf_of(visitor: &mut Visitor<'_>, path: &str) -> String {
    let page = visitor.get(path).await;
    page.expect(200);
    field(&page.text, "csrf_token")
}

fn assert_private(reply: &Reply) {
    assert_eq!(
        reply.header("cache-control"),
        Some("no-store"),
        "{}",
        reply.text
    );
    assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
}

fn location(reply: &Reply) -> &str {
    reply.header("location").unwrap_or_default()
}

db_test!(signing_in_and_out, |app| async move {
    let mut visitor = Visitor::new(&app);
    let form = visitor.get("/admin?lang=en").await;
    form.expect(200);
    assert_private(&form);
    assert!(form.text.contains(r#"name="token""#));
    // Without the form's CSRF token nothing happens.
    let refused = visitor
        .post("/admin", &[("token", &app.organizer), ("next", "")])
        .await;
    refused.expect(403);
    assert!(!visitor.cookies.contains_key("dlg_admin"));
    // A wrong token, and a scanner's token, are not an organizer's.
    let event = app.published_event(json!({})).await;
    let scanner = app.checkin_token(event["id"].as_str().unwrap()).await;
    for wrong in ["dlg_org_notatoken", scanner.as_str(), ""] {
        let reply = sign_in(&mut visitor, wrong).await;
        reply.expect(401);
        assert!(reply.text.contains(r#"role="alert""#));
        assert!(reply.text.contains(r#"aria-invalid="true""#));
        assert!(!visitor.cookies.contains_key("dlg_admin"));
    }
    assert_eq!(app.count_rows("console_sessions").await, 0);
    // The organizer's token opens a session kept by the server; the browser holds a secret.
    let reply = sign_in(&mut visitor, &app.organizer).await;
    reply.expect(303);
    assert_eq!(location(&reply), "/admin");
    let set = reply
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("dlg_admin="))
        .expect("the sign-in cookie")
        .to_owned();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/admin", "Max-Age="] {
        assert!(set.contains(attribute), "{set}");
    }
    assert!(!set.contains(&app.organizer), "the cookie is not the token");
    assert_eq!(app.count_rows("console_sessions").await, 1);
    let events = visitor.get("/admin").await;
    events.expect(200);
    assert_private(&events);
    assert!(events.text.contains(&format!(
        "/admin/events/{}",
        event["slug"].as_str().unwrap()
    )));
    // After signing in, the page asked for comes back.
    let mut other = Visitor::new(&app);
    let asked = other.get("/admin/events/new?lang=ru").await;
    asked.expect(303);
    assert!(location(&asked).starts_with("/admin?next=%2Fadmin%2Fevents%2Fnew"));
    let form = other.get(location(&asked)).await;
    let next = field(&form.text, "next");
    assert_eq!(next, "/admin/events/new?lang=ru");
    let csrf = field(&form.text, "csrf_token");
    let back = other
        .post(
            "/admin",
            &[
                ("csrf_token", &csrf),
                ("token", &app.organizer),
                ("next", &next),
            ],
        )
        .await;
    assert_eq!(location(&back), "/admin/events/new?lang=ru");
    // Another site's address is never followed.
    let csrf = csrf_of(&mut other, "/admin").await;
    other.cookies.remove("dlg_admin");
    let outside = other
        .post(
            "/admin",
            &[
                ("csrf_token", &csrf),
                ("token", &app.organizer),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(location(&outside), "/admin");
    // Signing out needs the CSRF token, then ends the session on the server.
    let out = visitor.post("/admin/logout", &[]).await;
    out.expect(403);
    visitor.get("/admin/events/new").await.expect(200);
    let csrf = csrf_of(&mut visitor, "/admin").await;
    let secret = visitor.cookies.get("dlg_admin").cloned().unwrap();
    let out = visitor
        .post("/admin/logout", &[("csrf_token", &csrf)])
        .await;
    out.expect(303);
    assert!(!visitor.cookies.contains_key("dlg_admin"));
    // The old cookie, replayed, stands for nothing.
    visitor.cookies.insert("dlg_admin".into(), secret);
    let after = visitor.get("/admin/events/new").await;
    after.expect(303);
    assert!(location(&after).starts_with("/admin?next="));
});

db_test!(
    revoking_the_token_ends_its_console_sessions,
    |app| async move {
        use dialogue::app::tokens::{self, NewToken};
        use dialogue::domain::enums::TokenRole;
        use dialogue::store::tokens::TokenScope;
        let second = tokens::create(
            &app.state,
            NewToken {
                role: TokenRole::Organizer,
                event: None,
                label: "Programme team",
            },
        )
        .await
        .unwrap();
        let mut visitor = Visitor::new(&app);
        sign_in(&mut visitor, &second.issued.token)
            .await
            .expect(303);
        let mut keeper = Visitor::new(&app);
        sign_in(&mut keeper, &app.organizer).await.expect(303);
        visitor.get("/admin/events/new").await.expect(200);
        // Revoked as `dialogue token revoke` does: the session ends at its next request.
        tokens::revoke(&app.state, TokenScope::All, second.issued.id)
            .await
            .unwrap();
        let refused = visitor.get("/admin/events/new").await;
        refused.expect(303);
        assert!(location(&refused).starts_with("/admin?next="));
        let posted = visitor.post("/admin/events/new", &[("slug", "x")]).await;
        posted.expect(303);
        // The other organizer's session goes on.
        keeper.get("/admin/events/new").await.expect(200);
        assert_eq!(app.count_rows("console_sessions").await, 1);
        // A session that ran out is refused too, and purged.
        let backend = app.state.db.get_database_backend();
        use sea_orm::ConnectionTrait;
        app.state
            .db
            .execute_raw(sea_orm::Statement::from_string(
                backend,
                "UPDATE console_sessions SET expires_at = created_at".to_owned(),
            ))
            .await
            .unwrap();
        keeper.get("/admin/events/new").await.expect(303);
        let purged = dialogue::app::retention::purge(&app.state).await.unwrap();
        assert_eq!(purged.console_sessions, 1);
    }
);

db_test!(
    every_console_form_needs_a_session_and_a_csrf_token,
    |app| async move {
        let event = app.published_event(json!({})).await;
        let slug = event["slug"].as_str().unwrap().to_owned();
        let registration = register(&app, &slug, delegate("a@example.org", &[])).await;
        registration.expect(201);
        let reg = registration.body["id"].as_str().unwrap().to_owned();
        let forms: Vec<(String, Vec<(&str, &str)>)> = vec![
            (
                "/admin/events/new".into(),
                vec![("slug", "new-one"), ("title_tk", "T")],
            ),
            (format!("/admin/events/{slug}"), vec![("slug", "renamed")]),
            (
                format!("/admin/events/{slug}/status"),
                vec![("to", "cancelled"), ("confirm", "yes")],
            ),
            (
                format!("/admin/events/{slug}/programme/rooms"),
                vec![("name_tk", "Zal")],
            ),
            (
                format!("/admin/events/{slug}/sessions/new"),
                vec![("title_tk", "S")],
            ),
            (
                format!("/admin/events/{slug}/registrations"),
                vec![("action", "reject"), ("ids", &reg)],
            ),
            (
                format!("/admin/events/{slug}/registrations/{reg}"),
                vec![("action", "reject")],
            ),
            (
                format!("/admin/events/{slug}/registrations/{reg}/erase"),
                vec![("confirm", "yes")],
            ),
            (
                format!("/admin/events/{slug}/doors"),
                vec![("label", "Door 9")],
            ),
            ("/admin/logout".into(), vec![]),
        ];
        // Without a session: sent to sign in.
        let before = snapshot(&app).await;
        let mut stranger = Visitor::new(&app);
        for (path, fields) in &forms {
            let reply = stranger.post(path, fields).await;
            reply.expect(303);
            assert!(location(&reply).starts_with("/admin?next="), "{path}");
        }
        // Read pages and downloads too.
        for path in [
            format!("/admin/events/{slug}/registrations.csv"),
            format!("/admin/events/{slug}/badges.pdf"),
            format!("/admin/events/{slug}/registrations/{reg}"),
            format!("/admin/events/{slug}/doors"),
            format!("/admin/events/{slug}/outbox"),
        ] {
            stranger.get(&path).await.expect(303);
        }
        // The live figures answer a fetch: 401 rather than a page to sign in.
        stranger
            .get(&format!("/admin/events/{slug}/doors/attendance"))
            .await
            .expect(401);
        assert_eq!(snapshot(&app).await, before);
        // With a session but without the CSRF token: 403 and nothing changed.
        let mut organizer = Visitor::new(&app);
        sign_in(&mut organizer, &app.organizer).await.expect(303);
        let before = snapshot(&app).await;
        for (path, fields) in &forms {
            let reply = organizer.post(path, fields).await;
            reply.expect(403);
            assert_private(&reply);
            let mut with_wrong = fields.clone();
            with_wrong.push(("csrf_token", "forged"));
            organizer.post(path, &with_wrong).await.expect(403);
        }
        assert_eq!(snapshot(&app).await, before);
    }
);

db_test!(
    events_programme_and_a_clash_kept_on_purpose,
    |app| async move {
        let mut v = Visitor::new(&app);
        sign_in(&mut v, &app.organizer).await.expect(303);
        let csrf = csrf_of(&mut v, "/admin/events/new?lang=en").await;
        let event_fields = |slug: &'static str, title_tk: &'static str| {
            vec![
                ("slug", slug),
                ("kind", "seminar"),
                ("title_tk", title_tk),
                ("title_ru", "Семинар по кибербезопасности"),
                ("title_en", "Cybersecurity seminar"),
                ("description_en", "Two days on incident response."),
                ("city_tk", "Aşgabat"),
                ("city_ru", "Ашхабад"),
                ("starts_on", "2026-11-18"),
                ("ends_on", "2026-11-19"),
                ("timezone", "Asia/Ashgabat"),
                ("registration_mode", "approval"),
                ("default_language", "tk"),
                ("languages", "tk"),
                ("languages", "ru"),
                ("languages", "en"),
                ("capacity", "120"),
            ]
        };
        // A refused form comes back with its errors and the typed values; nothing is created.
        let mut wrong = event_fields("cyber-seminar", "");
        wrong.push(("csrf_token", &csrf));
        wrong.retain(|(n, _)| *n != "ends_on");
        wrong.push(("ends_on", "someday"));
        let events_before = app.count_rows("events").await;
        let refused = v.post("/admin/events/new?lang=en", &wrong).await;
        refused.expect(422);
        assert!(refused.text.contains(r#"role="alert""#), "{}", refused.text);
        assert!(refused.text.contains(r##"href="#field-ends_on""##));
        assert!(refused.text.contains("Семинар по кибербезопасности"));
        assert_eq!(app.count_rows("events").await, events_before);
        // The texts of three languages side by side become the default text and translations.
        let mut fields = event_fields("cyber-seminar", "Kiberhowpsuzlyk seminary");
        fields.push(("csrf_token", &csrf));
        let created = v.post("/admin/events/new", &fields).await;
        created.expect(303);
        assert_eq!(
            location(&created),
            "/admin/events/cyber-seminar?done=created"
        );
        let api = app
            .get_as("/api/v1/events/cyber-seminar", &app.organizer)
            .await;
        api.expect(200);
        assert_eq!(api.body["title"], "Kiberhowpsuzlyk seminary");
        assert_eq!(api.body["status"], "draft");
        assert_eq!(api.body["registration_mode"], "approval");
        assert_eq!(
            api.body["translations"]["ru"]["title"],
            "Семинар по кибербезопасности"
        );
        assert_eq!(
            api.body["translations"]["en"]["description"],
            "Two days on incident response."
        );
        let overview = v
            .get("/admin/events/cyber-seminar?done=created&lang=en")
            .await;
        overview.expect(200);
        assert!(overview.text.contains("Created."));
        assert!(
            overview
                .text
                .contains(r#"value="Семинар по кибербезопасности""#)
        );
        // Drafts are marked and not public.
        assert!(overview.text.contains("tag draft"));
        assert_eq!(v.get("/events/cyber-seminar").await.status, 404);
        // A room and a speaker.
        let room = v
            .post(
                "/admin/events/cyber-seminar/programme/rooms",
                &[
                    ("csrf_token", &csrf),
                    ("name_tk", "Uly zal"),
                    ("name_en", "Main hall"),
                    ("capacity", "80"),
                ],
            )
            .await;
        room.expect(303);
        let speaker = v
            .post(
                "/admin/events/cyber-seminar/programme/speakers",
                &[
                    ("csrf_token", &csrf),
                    ("full_name", "Merdan Annaýew"),
                    ("organization_tk", "Elektron hökümet akademiýasy"),
                    ("organization_en", "e-Governance Academy"),
                    ("email", "merdan@example.org"),
                ],
            )
            .await;
        speaker.expect(303);
        let bad_speaker = v
            .post(
                "/admin/events/cyber-seminar/programme/speakers?lang=en",
                &[
                    ("csrf_token", &csrf),
                    ("full_name", ""),
                    ("email", "not-an-email"),
                ],
            )
            .await;
        bad_speaker.expect(422);
        assert!(bad_speaker.text.contains(r#"aria-invalid="true""#));
        let rooms = app
            .get_as("/api/v1/events/cyber-seminar/rooms", &app.organizer)
            .await;
        let room_id = rooms.body["items"][0]["id"].as_str().unwrap().to_owned();
        assert_eq!(
            rooms.body["items"][0]["translations"]["en"]["name"],
            "Main hall"
        );
        let speakers = app
            .get_as("/api/v1/events/cyber-seminar/speakers", &app.organizer)
            .await;
        assert_eq!(speakers.body["items"].as_array().unwrap().len(), 1);
        let speaker_id = speakers.body["items"][0]["id"].as_str().unwrap().to_owned();
        // Two sessions in one room at overlapping times: the second is refused, naming the first.
        let session = |title: &'static str, starts: &'static str, ends: &'static str| {
            vec![
                ("title_tk", title),
                ("title_en", title),
                ("kind", "workshop"),
                ("status", "published"),
                ("day", "2026-11-18"),
                ("starts", starts),
                ("ends", ends),
                ("room_id", room_id.as_str()),
                ("language", "tk"),
                ("speaker_ids", speaker_id.as_str()),
            ]
        };
        let mut first = session("Incident response drill", "09:00", "11:00");
        first.push(("csrf_token", &csrf));
        v.post("/admin/events/cyber-seminar/sessions/new", &first)
            .await
            .expect(303);
        let mut second = session("Phishing lab", "10:00", "12:00");
        second.push(("csrf_token", &csrf));
        let sessions_before = app.count_rows("sessions").await;
        let clash = v
            .post("/admin/events/cyber-seminar/sessions/new?lang=en", &second)
            .await;
        clash.expect(409);
        assert!(
            clash.text.contains("Incident response drill"),
            "{}",
            clash.text
        );
        assert!(clash.text.contains(r#"name="keep_overlap""#));
        assert!(clash.text.contains(r#"value="Phishing lab""#));
        assert_eq!(app.count_rows("sessions").await, sessions_before);
        // Kept on purpose.
        second.push(("keep_overlap", "true"));
        let kept = v
            .post("/admin/events/cyber-seminar/sessions/new", &second)
            .await;
        kept.expect(303);
        assert!(location(&kept).contains("day=2026-11-18"));
        // The day view shows both in the room's two lanes, marked as clashing.
        let day = v
            .get("/admin/events/cyber-seminar/sessions?day=2026-11-18&lang=en")
            .await;
        day.expect(200);
        assert!(day.text.contains("Incident response drill") && day.text.contains("Phishing lab"));
        assert_eq!(
            day.text.matches("slot published clash").count(),
            2,
            "{}",
            day.text
        );
        assert!(
            day.text.contains(r#"colspan="2">Uly zal"#)
                || day.text.contains(r#"colspan="2">Main hall"#)
        );
        // A draft session is shown as a draft.
        let mut draft = session("Closing remarks", "16:00", "16:30");
        draft.retain(|(n, _)| *n != "status" && *n != "speaker_ids");
        draft.push(("status", "draft"));
        draft.push(("csrf_token", &csrf));
        v.post("/admin/events/cyber-seminar/sessions/new", &draft)
            .await
            .expect(303);
        let day = v
            .get("/admin/events/cyber-seminar/sessions?day=2026-11-18&lang=en")
            .await;
        assert!(day.text.contains("slot draft"));
        // Publishing makes the event and its published sessions public.
        let published = v
            .post(
                "/admin/events/cyber-seminar/status",
                &[("csrf_token", &csrf), ("to", "published")],
            )
            .await;
        published.expect(303);
        let agenda = app.get("/api/v1/events/cyber-seminar/agenda").await;
        agenda.expect(200);
        let text = agenda.body.to_string();
        assert!(text.contains("Incident response drill") && text.contains("Phishing lab"));
        assert!(!text.contains("Closing remarks"));
        // Cancelling needs the confirmation box.
        let unconfirmed = v
            .post(
                "/admin/events/cyber-seminar/status",
                &[("csrf_token", &csrf), ("to", "cancelled")],
            )
            .await;
        unconfirmed.expect(422);
        assert_eq!(
            app.get_as("/api/v1/events/cyber-seminar", &app.organizer)
                .await
                .body["status"],
            "published"
        );
        // Editing an item, and deleting a room a session uses is refused.
        let edit = v
            .get(&format!(
                "/admin/events/cyber-seminar/programme/rooms/{room_id}?lang=en"
            ))
            .await;
        edit.expect(200);
        assert!(edit.text.contains(r#"value="Main hall""#));
        let delete = v
            .post(
                &format!("/admin/events/cyber-seminar/programme/rooms/{room_id}/delete"),
                &[("csrf_token", &csrf)],
            )
            .await;
        delete.expect(409);
        assert_eq!(app.count_rows("rooms").await, 1);
    }
);

db_test!(
    registrations_decided_exported_and_erased,
    |app| async move {
        let event = app
            .published_event(json!({"registration_mode": "approval"}))
            .await;
        let slug = event["slug"].as_str().unwrap().to_owned();
        let mut ids = Vec::new();
        for (i, name) in ["Aýna Orazowa", "Дмитрий Петров", "=HYPERLINK(1)"]
            .iter()
            .enumerate()
        {
            let mut body = delegate(&format!("d{i}@example.org"), &[]);
            body["full_name"] = json!(name);
            let reply = register(&app, &slug, body).await;
            reply.expect(201);
            assert_eq!(reply.body["status"], "pending");
            ids.push(reply.body["id"].as_str().unwrap().to_owned());
        }
        let mut v = Visitor::new(&app);
        sign_in(&mut v, &app.organizer).await.expect(303);
        let list = v
            .get(&format!(
                "/admin/events/{slug}/registrations?status=pending&lang=en"
            ))
            .await;
        list.expect(200);
        assert_private(&list);
        assert!(list.text.contains("Aýna Orazowa") && list.text.contains("Дмитрий Петров"));
        let found = v
            .get(&format!(
                "/admin/events/{slug}/registrations?q=%D0%BF%D0%B5%D1%82%D1%80%D0%BE%D0%B2"
            ))
            .await;
        assert!(found.text.contains("Дмитрий Петров") && !found.text.contains("Aýna Orazowa"));
        let csrf = field(&list.text, "csrf_token");
        // Two approved at once.
        let many = v
            .post(
                &format!("/admin/events/{slug}/registrations"),
                &[
                    ("csrf_token", &csrf),
                    ("action", "approve"),
                    ("ids", &ids[0]),
                    ("ids", &ids[1]),
                ],
            )
            .await;
        many.expect(303);
        assert!(location(&many).contains("done=approved") && location(&many).contains("count=2"));
        for id in &ids[..2] {
            let reply = app
                .get_as(
                    &format!("/api/v1/events/{slug}/registrations/{id}"),
                    &app.organizer,
                )
                .await;
            assert_eq!(reply.body["status"], "confirmed");
        }
        // One rejected from the delegate's page.
        let page = v
            .get(&format!(
                "/admin/events/{slug}/registrations/{}?lang=en",
                ids[2]
            ))
            .await;
        page.expect(200);
        assert!(page.text.contains("d2@example.org"));
        let one = v
            .post(
                &format!("/admin/events/{slug}/registrations/{}", ids[2]),
                &[("csrf_token", &csrf), ("action", "reject")],
            )
            .await;
        one.expect(303);
        assert_eq!(
            app.get_as(
                &format!("/api/v1/events/{slug}/registrations/{}", ids[2]),
                &app.organizer
            )
            .await
            .body["status"],
            "rejected"
        );
        // A decision that cannot be made is counted, the rest still happen.
        let again = v
            .post(
                &format!("/admin/events/{slug}/registrations"),
                &[
                    ("csrf_token", &csrf),
                    ("action", "approve"),
                    ("ids", &ids[2]),
                    ("ids", "nonsense"),
                ],
            )
            .await;
        assert!(location(&again).contains("count=0") && location(&again).contains("failed=2"));
        // A confirmed delegate's page shows the badge (QR inline) and links its PDF.
        let confirmed = v
            .get(&format!(
                "/admin/events/{slug}/registrations/{}?lang=en",
                ids[0]
            ))
            .await;
        assert!(confirmed.text.contains("<svg role=\"img\""));
        assert!(
            confirmed
                .text
                .contains(&format!("/registrations/{}/badge.pdf", ids[0]))
        );
        // CSV of the filtered list, safe in spreadsheets.
        let csv = v
            .get(&format!(
                "/admin/events/{slug}/registrations.csv?status=confirmed"
            ))
            .await;
        csv.expect(200);
        assert_private(&csv);
        assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
        assert!(csv.text.starts_with('\u{feff}'));
        assert!(csv.text.contains("Дмитрий Петров") && !csv.text.contains("HYPERLINK"));
        let all = v
            .get(&format!("/admin/events/{slug}/registrations.csv"))
            .await;
        assert!(all.text.contains("'=HYPERLINK(1)"));
        // Erasure needs the confirmation step.
        let erase_form = v
            .get(&format!(
                "/admin/events/{slug}/registrations/{}/erase?lang=en",
                ids[1]
            ))
            .await;
        erase_form.expect(200);
        assert!(erase_form.text.contains("Дмитрий Петров"));
        let unconfirmed = v
            .post(
                &format!(
                    "/admin/events/{slug}/registrations/{}/erase?lang=en",
                    ids[1]
                ),
                &[("csrf_token", &csrf)],
            )
            .await;
        unconfirmed.expect(422);
        assert!(unconfirmed.text.contains(r#"role="alert""#));
        assert_eq!(
            app.count_rows("registrations WHERE erased_at IS NOT NULL")
                .await,
            0
        );
        let erased = v
            .post(
                &format!("/admin/events/{slug}/registrations/{}/erase", ids[1]),
                &[("csrf_token", &csrf), ("confirm", "yes")],
            )
            .await;
        erased.expect(303);
        assert_eq!(
            app.count_rows("registrations WHERE erased_at IS NOT NULL")
                .await,
            1
        );
        let list = v.get(&format!("/admin/events/{slug}/registrations")).await;
        assert!(!list.text.contains("Дмитрий Петров"));
        // Paging: more than one page of registrations has a next page.
        for i in 0..55 {
            register(&app, &slug, delegate(&format!("p{i}@example.org"), &[]))
                .await
                .expect(201);
        }
        let first = v
            .get(&format!(
                "/admin/events/{slug}/registrations?status=pending"
            ))
            .await;
        assert_eq!(first.text.matches(r#"name="ids""#).count(), 50);
        let next = first
            .text
            .split("href=\"")
            .find(|s| s.contains("after="))
            .and_then(|s| s.split('"').next())
            .unwrap()
            .replace("&#38;", "&");
        let second = v.get(&next).await;
        assert_eq!(second.text.matches(r#"name="ids""#).count(), 5);
    }
);

db_test!(
    scanner_tokens_pair_by_qr_and_attendance_counts,
    |app| async move {
        let event = app.published_event(json!({})).await;
        let id = event["id"].as_str().unwrap().to_owned();
        let slug = event["slug"].as_str().unwrap().to_owned();
        let mut v = Visitor::new(&app);
        sign_in(&mut v, &app.organizer).await.expect(303);
        let csrf = csrf_of(&mut v, &format!("/admin/events/{slug}/doors")).await;
        let bad = v
            .post(
                &format!("/admin/events/{slug}/doors?lang=en"),
                &[("csrf_token", &csrf), ("label", "")],
            )
            .await;
        bad.expect(422);
        let created = v
            .post(
                &format!("/admin/events/{slug}/doors?lang=en"),
                &[("csrf_token", &csrf), ("label", "Main entrance, phone 1")],
            )
            .await;
        created.expect(200);
        assert_private(&created);
        // The QR decodes to the pairing link shown beside it.
        let svg_start = created.text.find("<svg role=\"img\"").expect("the QR");
        let svg_end = svg_start + created.text[svg_start..].find("</svg>").unwrap() + 6;
        let decoded = crate::helpers::decode_qr_svg(&created.text[svg_start..svg_end]);
        let link = field(&created.text, "pairing_link").replace("&#38;", "&");
        assert_eq!(decoded, link);
        assert!(decoded.starts_with("http"), "{decoded}");
        assert!(decoded.contains("/scan#token=dlg_chk_"), "{decoded}");
        assert!(decoded.ends_with(&format!("&event={slug}")));
        let token = decoded
            .split("token=")
            .nth(1)
            .and_then(|rest| rest.split('&').next())
            .unwrap()
            .to_owned();
        // The paired token works for this event's scanner API.
        let registration = register(&app, &slug, delegate("door@example.org", &[])).await;
        registration.expect(201);
        let code = app
            .get_as(
                "/api/v1/registrations/me",
                registration.body["manage_token"].as_str().unwrap(),
            )
            .await
            .body["badge_code"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let scan = app
            .call(
                poem::http::Method::POST,
                &format!("/api/v1/events/{id}/checkins"),
                Some(&token),
                Some(&json!({"code": code, "device": "phone-1", "nonce": "n-000000000001"})),
            )
            .await;
        scan.expect(200);
        assert_eq!(scan.body["result"], "ok", "{}", scan.body);
        // The list shows it; the attendance fragment counts the admission per day and per device.
        let doors = v.get(&format!("/admin/events/{slug}/doors?lang=en")).await;
        assert!(doors.text.contains("Main entrance, phone 1"));
        assert!(!doors.text.contains(&token), "the token is shown once only");
        let live = v
            .get(&format!("/admin/events/{slug}/doors/attendance?lang=en"))
            .await;
        live.expect(200);
        assert_private(&live);
        assert!(live.text.contains("phone-1"), "{}", live.text);
        assert!(live.text.contains("<td>1</td>"));
        // Revoked: it stops at once.
        let token_id = app
            .get_as(
                &format!("/api/v1/events/{id}/checkin-tokens"),
                &app.organizer,
            )
            .await
            .body["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        v.post(
            &format!("/admin/events/{slug}/doors/{token_id}/revoke"),
            &[("csrf_token", &csrf)],
        )
        .await
        .expect(303);
        let after = app
            .call(
                poem::http::Method::POST,
                &format!("/api/v1/events/{id}/checkins"),
                Some(&token),
                Some(&json!({"code": code, "device": "phone-1", "nonce": "n-000000000002"})),
            )
            .await;
        after.expect(401);
    }
);

db_test!(the_outbox_lists_and_sends_again, |app| async move {
    let event = app.published_event(json!({})).await;
    let slug = event["slug"].as_str().unwrap().to_owned();
    register(&app, &slug, delegate("mail@example.org", &[]))
        .await
        .expect(201);
    let mut v = Visitor::new(&app);
    sign_in(&mut v, &app.organizer).await.expect(303);
    let page = v.get(&format!("/admin/events/{slug}/outbox?lang=en")).await;
    page.expect(200);
    assert!(page.text.contains("mail@example.org"));
    assert!(page.text.contains("Registration confirmed"));
    // Mark it failed as the sender would, then send it again from the console.
    use sea_orm::ConnectionTrait;
    let backend = app.state.db.get_database_backend();
    app.state
        .db
        .execute_raw(sea_orm::Statement::from_string(
            backend,
            "UPDATE outbox SET status = 'failed', last_error = 'mailbox unavailable'".to_owned(),
        ))
        .await
        .unwrap();
    let failed = v
        .get(&format!(
            "/admin/events/{slug}/outbox?status=failed&lang=en"
        ))
        .await;
    assert!(failed.text.contains("mailbox unavailable"));
    let csrf = field(&failed.text, "csrf_token");
    let action = failed
        .text
        .split("action=\"")
        .find(|s| s.contains("/resend"))
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    v.post(&action, &[("csrf_token", &csrf)]).await.expect(303);
    assert_eq!(app.count_rows("outbox WHERE status = 'queued'").await, 1);
});

/// What the console's forms could change, counted.
async fn snapshot(app: &TestApp) -> (i64, i64, i64, i64, i64, i64) {
    (
        app.count_rows("events").await,
        app.count_rows("rooms").await,
        app.count_rows("sessions").await,
        app.count_rows("api_tokens").await,
        app.count_rows("registrations WHERE status = 'confirmed'")
            .await,
        app.count_rows("console_sessions").await,
    )
}

db_test!(certificates_from_the_console, |app| async move {
    let event = app.published_event(json!({"kind": "training"})).await;
    let slug = event["slug"].as_str().unwrap().to_owned();
    let mut sessions = Vec::new();
    for (title, day) in [("Module 1", 18), ("Module 2", 19)] {
        let made = app
            .create_session(
                &slug,
                json!({"title": title, "kind": "training",
                       "starts_at": format!("2026-11-{day}T09:00:00+05:00"),
                       "ends_at": format!("2026-11-{day}T12:00:00+05:00")}),
            )
            .await;
        made.expect(201);
        sessions.push(made.id());
    }
    let made = register(&app, &slug, delegate("c@example.org", &[])).await;
    made.expect(201);
    let base = format!("/admin/events/{slug}/certificates");
    // Without a session: the sign-in page, nothing changed.
    let mut stranger = Visitor::new(&app);
    let refused = stranger.get(&base).await;
    assert_ne!(refused.status.as_u16(), 200);
    let mut v = Visitor::new(&app);
    sign_in(&mut v, &app.organizer).await.expect(303);
    let page = v.get(&format!("{base}?lang=en")).await;
    page.expect(200);
    assert!(page.text.contains("Misses by 2 sessions"), "{}", page.text);
    // An event where no session counts says so rather than "misses by 0".
    let talks = app.published_event(json!({})).await;
    let talks = talks["slug"].as_str().unwrap().to_owned();
    app.create_session(&talks, json!({"title": "Keynote", "kind": "keynote"}))
        .await
        .expect(201);
    register(&app, &talks, delegate("k@example.org", &[]))
        .await
        .expect(201);
    let none = v
        .get(&format!("/admin/events/{talks}/certificates?lang=en"))
        .await;
    assert!(none.text.contains("No session counts yet"), "{}", none.text);
    let csrf = field(&page.text, "csrf_token");
    // A form without the CSRF token changes nothing.
    v.post(&format!("{base}/rules"), &[("min_share", "50")])
        .await
        .expect(403);
    // Only the first module counts, credited 2.5 hours, half of them to attend.
    let hours = format!("hours_{}", sessions[0]);
    v.post(
        &format!("{base}/rules"),
        &[
            ("csrf_token", &csrf),
            ("min_share", "50"),
            ("attendance", "venue"),
            ("session_ids", &sessions[0]),
            (&hours, "2,5"),
            ("partners", "UNDP\nE-Governance Academy"),
        ],
    )
    .await
    .expect(303);
    let rules = app
        .get_as(
            &format!("/api/v1/events/{slug}/certificates/rules"),
            &app.organizer,
        )
        .await;
    assert_eq!(rules.body["min_share"], 0.5);
    assert_eq!(rules.body["attendance"], "venue");
    assert_eq!(rules.body["session_ids"], json!([sessions[0]]));
    assert_eq!(rules.body["hours"][&sessions[0]], 2.5);
    assert_eq!(
        rules.body["partners"],
        json!(["UNDP", "E-Governance Academy"])
    );
    // Issued by override from its row, then revoked.
    v.post(
        &format!("{base}/issue"),
        &[
            ("csrf_token", &csrf),
            ("registration_id", &made.id()),
            ("override_reason", "sick on day one, attended the repeat"),
        ],
    )
    .await
    .expect(303);
    let issued = v.get(&format!("{base}?lang=en&done=issued-1")).await;
    assert!(issued.text.contains("sick on day one, attended the repeat"));
    let number = format!(
        "{}-2026-0001",
        slug.split('-').next().unwrap().to_uppercase()
    );
    assert!(issued.text.contains(&number), "{}", issued.text);
    v.post(
        &format!("{base}/{number}/revoke"),
        &[("csrf_token", &csrf), ("reason", "duplicate")],
    )
    .await
    .expect(303);
    let list = app
        .get_as(
            &format!("/api/v1/events/{slug}/certificates"),
            &app.organizer,
        )
        .await;
    assert!(list.body["items"][0]["revoked_at"].is_string());
    // Bad rules come back as "nothing changed".
    let bad = v
        .post(
            &format!("{base}/rules"),
            &[("csrf_token", &csrf), ("min_share", "lots")],
        )
        .await;
    bad.expect(422);
});
