//! The delegate's pages over HTTP: the registration form (CSRF, one registration from two
//! submits, refusals answered with the form, the values kept and nothing created), the
//! e-mailed link `/r/{token}` and `/me` (status, waiting-list place, badge, changing
//! sessions, e-mail language, calendar link, cancelling with a confirmation), the session
//! and speaker pages, and no personal data on public pages.

use serde_json::json;

use crate::db_test;
use crate::helpers::{Reply, TestApp};
use crate::registrations::{delegate, register};
use crate::visitor::{Visitor, field};

/// A published event with two sessions that take sign-ups (one with a single seat) and a
/// talk without sign-up, and a speaker; answers the event's id and slug and the sessions.
async fn event_with_sessions(app: &TestApp, overrides: serde_json::Value) -> Fixture {
    let mut base = json!({"waitlist_enabled": true});
    crate::helpers::merge(&mut base, overrides);
    let event = app.published_event(base).await;
    let id = event["id"].as_str().unwrap().to_owned();
    let speaker = app
        .post(
            &format!("/api/v1/events/{id}/speakers"),
            json!({"full_name": "Merdan Annaýew", "organization": "E-Government Academy",
                   "email": "merdan.private@example.org", "bio": "Builds digital services."}),
        )
        .await;
    speaker.expect(201);
    let room = app
        .post(
            &format!("/api/v1/events/{id}/rooms"),
            json!({"name": "Hall A"}),
        )
        .await;
    room.expect(201);
    let workshop = app
        .create_session(
            &id,
            json!({"title": "Data protection workshop", "kind": "workshop", "capacity": 10,
                   "room_id": room.id(), "speaker_ids": [speaker.id()],
                   "abstract": "Hands-on rules for personal data."}),
        )
        .await;
    workshop.expect(201);
    let small = app
        .create_session(
            &id,
            json!({"title": "Cloud lab", "kind": "training", "capacity": 1,
                   "starts_at": "2026-11-18T11:00:00+05:00", "ends_at": "2026-11-18T12:00:00+05:00"}),
        )
        .await;
    small.expect(201);
    let clash = app
        .create_session(
            &id,
            json!({"title": "Overlapping lab", "kind": "training", "capacity": 5,
                   "starts_at": "2026-11-18T09:30:00+05:00", "ends_at": "2026-11-18T10:30:00+05:00"}),
        )
        .await;
    clash.expect(201);
    Fixture {
        id,
        slug: event["slug"].as_str().unwrap().to_owned(),
        workshop: workshop.id(),
        small: small.id(),
        clash: clash.id(),
        speaker: speaker.id(),
    }
}

struct Fixture {
    id: String,
    slug: String,
    workshop: String,
    small: String,
    clash: String,
    speaker: String,
}

/// Opens the form and posts it with `fields` (plus the form's CSRF token and one-time key
/// unless `fields` names them); answers the form page and the reply.
async fn submit(visitor: &mut Visitor<'_>, slug: &str, fields: &[(&str, &str)]) -> (Reply, Reply) {
    let path = format!("/events/{slug}/register?lang=en");
    let form = visitor.get(&path).await;
    form.expect(200);
    let csrf = field(&form.text, "csrf_token");
    let key = field(&form.text, "idempotency_key");
    let mut all: Vec<(&str, &str)> = Vec::new();
    if !fields.iter().any(|(n, _)| *n == "csrf_token") {
        all.push(("csrf_token", &csrf));
    }
    if !fields.iter().any(|(n, _)| *n == "idempotency_key") {
        all.push(("idempotency_key", &key));
    }
    all.extend_from_slice(fields);
    let reply = visitor.post(&path, &all).await;
    (form, reply)
}

fn valid<'a>(email: &'a str, sessions: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("full_name", "Aýna Orazowa"),
        ("email", email),
        ("organization", "Ministry of Finance"),
        ("category", "delegate"),
        ("locale", "ru"),
        ("consent", "true"),
    ];
    fields.extend(sessions.iter().map(|s| ("session_ids", *s)));
    fields
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

db_test!(the_form_registers_once_and_leads_to_me, |app| async move {
    let fx = event_with_sessions(&app, json!({})).await;
    let mut visitor = Visitor::new(&app);
    let path = format!("/events/{}/register?lang=en", fx.slug);
    let form = visitor.get(&path).await;
    form.expect(200);
    assert_private(&form);
    assert!(
        form.header("content-security-policy")
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    // The API's field names; one checkbox per session that takes sign-ups, with seats left.
    for name in [
        "full_name",
        "email",
        "organization",
        "position",
        "country",
        "category",
        "locale",
        "consent",
        "csrf_token",
        "idempotency_key",
    ] {
        assert!(form.text.contains(&format!(r#"name="{name}""#)), "{name}");
    }
    assert!(
        form.text
            .contains(&format!(r#"name="session_ids" value="{}""#, fx.workshop))
    );
    assert!(form.text.contains("10 seats left"));
    assert!(form.text.contains(r#"<label for="field-email">"#));
    let csrf_cookie = visitor.cookies.get("dlg_csrf").cloned();
    assert!(csrf_cookie.is_some(), "the CSRF cookie is set");
    let csrf = field(&form.text, "csrf_token");
    let key = field(&form.text, "idempotency_key");
    let mut fields = vec![
        ("csrf_token", csrf.as_str()),
        ("idempotency_key", key.as_str()),
    ];
    fields.extend(valid("ayna@example.org", &[&fx.workshop]));
    // A double submit: two posts of one form register once; both lead to /me.
    let first = visitor.post(&path, &fields).await;
    first.expect(303);
    assert_eq!(first.header("location"), Some("/me?lang=en"));
    let cookie = first
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("dlg_manage="))
        .expect("the manage cookie")
        .to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    assert!(cookie.contains("Path=/me"));
    assert!(
        !first.header("location").unwrap().contains("dlg_"),
        "no token in the URL"
    );
    let second = visitor.post(&path, &fields).await;
    second.expect(303);
    assert_eq!(app.count_rows("registrations").await, 1);
    // The delegate's page.
    let me = visitor.get("/me?lang=en").await;
    me.expect(200);
    assert_private(&me);
    assert!(me.text.contains("Aýna Orazowa") && me.text.contains("ayna@example.org"));
    assert!(me.text.contains(r#"data-status="confirmed""#));
    assert!(me.text.contains(r#"src="/me/badge.svg""#));
    assert!(me.text.contains("Data protection workshop"));
    assert!(me.text.contains("seat confirmed"));
    assert!(me.text.contains("webcal://"));
    let png = visitor.get("/me/badge.png?download=1").await;
    png.expect(200);
    assert_eq!(png.header("content-type"), Some("image/png"));
    assert!(
        png.header("content-disposition")
            .unwrap()
            .contains("attachment")
    );
    assert!(png.text.starts_with("\u{FFFD}PNG"), "a PNG file");
    let svg = visitor.get("/me/badge.svg").await;
    svg.expect(200);
    assert_eq!(svg.header("content-type"), Some("image/svg+xml"));
    assert_private(&svg);
    // The registration is the API's: same rules, same data.
    let token = visitor.cookies.get("dlg_manage").unwrap().clone();
    let mine = app.get_as("/api/v1/registrations/me", &token).await;
    mine.expect(200);
    assert_eq!(mine.body["locale"], "ru");
    assert_eq!(mine.body["organization"], "Ministry of Finance");
    assert_eq!(mine.body["sessions"][0]["session_id"], fx.workshop.as_str());
});

db_test!(
    refused_forms_come_back_with_their_errors_and_create_nothing,
    |app| async move {
        let fx = event_with_sessions(&app, json!({})).await;
        let mut visitor = Visitor::new(&app);
        // A wrong e-mail and no consent: 422, values kept, errors announced next to the fields.
        let mut fields = valid("not-an-address", &[&fx.workshop]);
        fields.retain(|(name, _)| *name != "consent");
        let (_, bad) = submit(&mut visitor, &fx.slug, &fields).await;
        bad.expect(422);
        assert_private(&bad);
        assert!(bad.text.contains(r#"role="alert""#));
        assert!(
            bad.text.contains(r#"value="not-an-address""#),
            "the typed value is kept"
        );
        assert!(bad.text.contains(r#"value="Ministry of Finance""#));
        assert!(
            bad.text
                .contains(r#"aria-invalid="true" aria-describedby="error-email""#)
        );
        assert!(bad.text.contains(r#"id="error-email""#));
        assert!(bad.text.contains(r#"aria-describedby="error-consent""#));
        assert!(
            bad.text.contains("name@example.org"),
            "a message a reader can act on"
        );
        assert!(
            bad.text
                .contains(&format!(r#"value="{}" checked"#, fx.workshop)),
            "the chosen session stays chosen"
        );
        // In Russian the errors are Russian.
        let ru_path = format!("/events/{}/register?lang=ru", fx.slug);
        let form = visitor.get(&ru_path).await;
        let csrf = field(&form.text, "csrf_token");
        let mut ru_fields = vec![
            ("csrf_token", csrf.as_str()),
            ("idempotency_key", "k-ru-1-0123456789abcd"),
        ];
        ru_fields.extend(fields.iter().copied());
        let ru = visitor.post(&ru_path, &ru_fields).await;
        ru.expect(422);
        assert!(
            ru.text.contains("Пожалуйста, исправьте следующее"),
            "{}",
            ru.text
        );
        // Overlapping sessions: 422 on the sessions.
        let (_, overlap) = submit(
            &mut visitor,
            &fx.slug,
            &valid("a@example.org", &[&fx.workshop, &fx.clash]),
        )
        .await;
        overlap.expect(422);
        assert!(overlap.text.contains(r#"id="error-session_ids""#));
        // Without a CSRF token (or with another visitor's): 403, nothing created.
        let (_, forged) = submit(
            &mut visitor,
            &fx.slug,
            &[&[("csrf_token", "")][..], &valid("b@example.org", &[])[..]].concat(),
        )
        .await;
        forged.expect(403);
        assert!(forged.text.contains(r#"role="alert""#));
        assert!(forged.text.contains(r#"value="b@example.org""#));
        let mut stranger = Visitor::new(&app);
        let path = format!("/events/{}/register?lang=en", fx.slug);
        let own_form = visitor.get(&path).await;
        let stolen = field(&own_form.text, "csrf_token");
        let mut cross = vec![
            ("csrf_token", stolen.as_str()),
            ("idempotency_key", "k-x-0123456789abcdef"),
        ];
        cross.extend(valid("c@example.org", &[]));
        stranger.post(&path, &cross).await.expect(403);
        assert_eq!(
            app.count_rows("registrations").await,
            0,
            "nothing was created"
        );
        // The same e-mail twice: 409 on the e-mail field.
        register(&app, &fx.id, delegate("taken@example.org", &[]))
            .await
            .expect(201);
        let (_, taken) = submit(&mut visitor, &fx.slug, &valid("TAKEN@example.org", &[])).await;
        taken.expect(409);
        assert!(taken.text.contains(r#"aria-describedby="error-email""#));
        assert!(taken.text.contains("already registered"));
        assert_eq!(app.count_rows("registrations").await, 1);
    }
);

db_test!(
    a_closed_registration_answers_409_and_hides_the_form,
    |app| async move {
        let fx = event_with_sessions(&app, json!({"registration_mode": "closed"})).await;
        let mut visitor = Visitor::new(&app);
        let path = format!("/events/{}/register?lang=en", fx.slug);
        let form = visitor.get(&path).await;
        form.expect(200);
        assert!(form.text.contains("Registration is closed."));
        assert!(
            !form.text.contains(r#"name="full_name""#),
            "no form to fill in"
        );
        let event = app.get(&format!("/events/{}?lang=en", fx.slug)).await;
        assert!(
            !event
                .text
                .contains(&format!("/events/{}/register", fx.slug))
        );
        // A token from an open event's form (tokens belong to the visitor, not the page).
        let open = event_with_sessions(&app, json!({})).await;
        let open_form = visitor
            .get(&format!("/events/{}/register", open.slug))
            .await;
        let csrf = field(&open_form.text, "csrf_token");
        let mut fields = vec![
            ("csrf_token", csrf.as_str()),
            ("idempotency_key", "k-closed-0123456789ab"),
        ];
        fields.extend(valid("late@example.org", &[]));
        let refused = visitor.post(&path, &fields).await;
        refused.expect(409);
        assert_eq!(app.count_rows("registrations").await, 0);
        // A draft event has no form.
        let draft = app.create_event(json!({})).await;
        let slug = draft["slug"].as_str().unwrap();
        visitor
            .get(&format!("/events/{slug}/register"))
            .await
            .expect(404);
    }
);

db_test!(
    the_emailed_link_sets_the_cookie_and_leaves_the_address_bar,
    |app| async move {
        let fx = event_with_sessions(&app, json!({})).await;
        let made = register(&app, &fx.id, delegate("link@example.org", &[])).await;
        made.expect(201);
        let token = made.body["manage_token"].as_str().unwrap().to_owned();
        let mut visitor = Visitor::new(&app);
        // Without the cookie: how to get back in, not an error.
        let help = visitor.get("/me?lang=en").await;
        help.expect(200);
        assert_private(&help);
        assert!(help.text.contains("open the link in the e-mail"));
        let link = visitor.get(&format!("/r/{token}")).await;
        link.expect(303);
        assert_eq!(link.header("location"), Some("/me"));
        assert_private(&link);
        // The link only offers the registration; `/me` takes it (the browser held none).
        assert_eq!(visitor.cookies.get("dlg_offer"), Some(&token));
        let me = visitor.get("/me?lang=en").await;
        me.expect(200);
        assert!(me.text.contains("link@example.org"));
        assert_eq!(visitor.cookies.get("dlg_manage"), Some(&token));
        assert!(!visitor.cookies.contains_key("dlg_offer"));
        // A wrong token: "not found", and no cookie.
        let mut other = Visitor::new(&app);
        let wrong = other.get("/r/dlg_reg_thisisnotarealtoken0000000000").await;
        wrong.expect(404);
        assert!(
            wrong
                .header("content-type")
                .unwrap()
                .starts_with("text/html")
        );
        assert!(!other.cookies.contains_key("dlg_manage"));
        // Forgetting the device drops the cookie.
        let page = visitor.get("/me").await;
        let csrf = field(&page.text, "csrf_token");
        visitor
            .post("/me/forget", &[("csrf_token", &csrf)])
            .await
            .expect(303);
        assert!(!visitor.cookies.contains_key("dlg_manage"));
        assert!(
            visitor
                .get("/me?lang=en")
                .await
                .text
                .contains("open the link in the e-mail")
        );
    }
);

db_test!(
    a_link_asks_before_replacing_the_registration_this_browser_holds,
    |app| async move {
        let fx = event_with_sessions(&app, json!({})).await;
        let mine = register(&app, &fx.id, delegate("mine@example.org", &[])).await;
        let theirs = register(&app, &fx.id, delegate("planted@example.org", &[])).await;
        let mine = mine.body["manage_token"].as_str().unwrap().to_owned();
        let theirs = theirs.body["manage_token"].as_str().unwrap().to_owned();
        let mut visitor = Visitor::new(&app);
        visitor.get(&format!("/r/{mine}")).await.expect(303);
        assert!(
            visitor
                .get("/me?lang=en")
                .await
                .text
                .contains("mine@example.org")
        );
        // A link to someone else's registration (sent by mail, or planted by a page): the
        // browser keeps its own until the delegate says otherwise.
        visitor.get(&format!("/r/{theirs}")).await.expect(303);
        let question = visitor.get("/me?lang=en").await;
        question.expect(200);
        assert_private(&question);
        assert!(
            question.text.contains("Open another registration?"),
            "{}",
            question.text
        );
        assert!(!question.text.contains("planted@example.org"));
        assert_eq!(visitor.cookies.get("dlg_manage"), Some(&mine));
        // Without the CSRF token nothing changes; "keep" keeps.
        visitor.post("/me/switch", &[("choice", "linked")]).await;
        assert_eq!(visitor.cookies.get("dlg_manage"), Some(&mine));
        let csrf = field(&question.text, "csrf_token");
        visitor
            .post("/me/switch", &[("csrf_token", &csrf), ("choice", "keep")])
            .await
            .expect(303);
        assert_eq!(visitor.cookies.get("dlg_manage"), Some(&mine));
        assert!(!visitor.cookies.contains_key("dlg_offer"));
        assert!(
            visitor
                .get("/me?lang=en")
                .await
                .text
                .contains("mine@example.org")
        );
        // Asked again, the delegate opens the linked one.
        visitor.get(&format!("/r/{theirs}")).await.expect(303);
        let question = visitor.get("/me?lang=en").await;
        let csrf = field(&question.text, "csrf_token");
        visitor
            .post("/me/switch", &[("csrf_token", &csrf), ("choice", "linked")])
            .await
            .expect(303);
        assert_eq!(visitor.cookies.get("dlg_manage"), Some(&theirs));
        assert!(
            visitor
                .get("/me?lang=en")
                .await
                .text
                .contains("planted@example.org")
        );
    }
);

db_test!(
    the_delegate_changes_sessions_language_calendar_and_cancels,
    |app| async move {
        let fx = event_with_sessions(&app, json!({})).await;
        let made = register(&app, &fx.id, delegate("me@example.org", &[&fx.workshop])).await;
        made.expect(201);
        let token = made.body["manage_token"].as_str().unwrap().to_owned();
        let old_calendar = made.body["calendar_url"].as_str().unwrap().to_owned();
        let mut visitor = Visitor::new(&app);
        visitor.get(&format!("/r/{token}")).await.expect(303);
        let page = visitor.get("/me?lang=en").await;
        let csrf = field(&page.text, "csrf_token");
        // Without the CSRF token nothing changes.
        visitor
            .post("/me/sessions", &[("session_ids", &fx.small)])
            .await
            .expect(403);
        let api = app.get_as("/api/v1/registrations/me", &token).await;
        assert_eq!(api.body["sessions"].as_array().unwrap().len(), 1);
        // Change sessions: the workshop for the cloud lab.
        let changed = visitor
            .post(
                "/me/sessions",
                &[("csrf_token", &csrf), ("session_ids", &fx.small)],
            )
            .await;
        changed.expect(303);
        assert_eq!(changed.header("location"), Some("/me?done=sessions"));
        let api = app.get_as("/api/v1/registrations/me", &token).await;
        assert_eq!(api.body["sessions"][0]["session_id"], fx.small.as_str());
        assert_eq!(api.body["sessions"][0]["status"], "confirmed");
        assert!(
            visitor
                .get("/me?done=sessions&lang=en")
                .await
                .text
                .contains("Your sessions were saved.")
        );
        // Overlapping sessions come back with the error on the sessions.
        let overlap = visitor
            .post(
                "/me/sessions",
                &[
                    ("csrf_token", &csrf),
                    ("session_ids", &fx.workshop),
                    ("session_ids", &fx.clash),
                ],
            )
            .await;
        overlap.expect(422);
        assert!(overlap.text.contains(r#"id="error-session_ids""#));
        // The e-mail language.
        visitor
            .post("/me/language", &[("csrf_token", &csrf), ("locale", "en")])
            .await
            .expect(303);
        assert_eq!(
            app.get_as("/api/v1/registrations/me", &token).await.body["locale"],
            "en"
        );
        // The calendar link: replaced, the old one stops working.
        let path_of = |url: &str| {
            url.split_once("://")
                .unwrap()
                .1
                .split_once('/')
                .unwrap()
                .1
                .to_owned()
        };
        app.get(&format!("/{}", path_of(&old_calendar)))
            .await
            .expect(200);
        visitor
            .post("/me/calendar", &[("csrf_token", &csrf)])
            .await
            .expect(303);
        assert_ne!(
            app.get(&format!("/{}", path_of(&old_calendar)))
                .await
                .status
                .as_u16(),
            200
        );
        let new_calendar =
            app.get_as("/api/v1/registrations/me", &token).await.body["calendar_url"]
                .as_str()
                .unwrap()
                .to_owned();
        assert!(visitor.get("/me").await.text.contains(&new_calendar));
        // Cancelling asks first; without the confirmation nothing happens.
        let ask = visitor.get("/me/cancel?lang=en").await;
        ask.expect(200);
        assert!(ask.text.contains("Do you really want to cancel"));
        let csrf = field(&ask.text, "csrf_token");
        let unconfirmed = visitor.post("/me/cancel", &[("csrf_token", &csrf)]).await;
        unconfirmed.expect(303);
        assert_eq!(unconfirmed.header("location"), Some("/me/cancel"));
        assert_eq!(
            app.get_as("/api/v1/registrations/me", &token).await.body["status"],
            "confirmed"
        );
        let done = visitor
            .post("/me/cancel", &[("csrf_token", &csrf), ("confirm", "yes")])
            .await;
        done.expect(303);
        assert_eq!(
            app.get_as("/api/v1/registrations/me", &token).await.body["status"],
            "cancelled"
        );
        let me = visitor.get("/me?lang=en").await;
        assert!(me.text.contains(r#"data-status="ended""#));
        assert!(
            !me.text.contains(r#"action="/me/sessions""#),
            "nothing left to change"
        );
        visitor.get("/me/badge.png").await.expect(404);
    }
);

db_test!(
    a_waitlisted_delegate_sees_the_place_in_the_queue,
    |app| async move {
        let fx = event_with_sessions(&app, json!({"capacity": 1})).await;
        register(&app, &fx.id, delegate("first@example.org", &[&fx.small]))
            .await
            .expect(201);
        register(&app, &fx.id, delegate("second@example.org", &[]))
            .await
            .expect(201);
        let third = register(&app, &fx.id, delegate("third@example.org", &[])).await;
        assert_eq!(third.body["status"], "waitlisted");
        let token = third.body["manage_token"].as_str().unwrap().to_owned();
        let mut visitor = Visitor::new(&app);
        visitor
            .get(&format!("/r/{token}?lang=en"))
            .await
            .expect(303);
        let me = visitor.get("/me?lang=en").await;
        assert!(
            me.text
                .contains("You are on the waiting list. Your place in the list: 2."),
            "{}",
            me.text
        );
        assert!(
            !me.text.contains(r#"src="/me/badge.svg""#),
            "no badge before a seat"
        );
        // A session's waiting list: the cloud lab has one seat, taken by the first delegate.
        let fx2 = event_with_sessions(&app, json!({})).await;
        register(&app, &fx2.id, delegate("one@example.org", &[&fx2.small]))
            .await
            .expect(201);
        let waiting = register(&app, &fx2.id, delegate("two@example.org", &[&fx2.small])).await;
        let token = waiting.body["manage_token"].as_str().unwrap().to_owned();
        let mut visitor = Visitor::new(&app);
        visitor.get(&format!("/r/{token}")).await;
        let me = visitor.get("/me?lang=en").await;
        assert!(
            me.text.contains("waiting list, your place: 1"),
            "{}",
            me.text
        );
        // The form says the session is full and has a waiting list.
        let form = visitor
            .get(&format!("/events/{}/register?lang=en", fx2.slug))
            .await;
        assert!(form.text.contains("Full") && form.text.contains("you join the waiting list"));
    }
);

db_test!(
    session_and_speaker_pages_show_public_fields,
    |app| async move {
        let fx = event_with_sessions(&app, json!({})).await;
        let session = app
            .get(&format!(
                "/events/{}/sessions/{}?lang=en",
                fx.slug, fx.workshop
            ))
            .await;
        session.expect(200);
        for text in [
            "Data protection workshop",
            "Hall A",
            "Merdan Annaýew",
            "10 seats left",
            "Hands-on rules for personal data.",
            "Workshop",
            "Ashgabat time (UTC+5)",
        ] {
            assert!(session.text.contains(text), "{text}");
        }
        assert!(session.text.contains(&format!(
            "/api/v1/events/{}/sessions/{}/calendar.ics",
            fx.slug, fx.workshop
        )));
        assert!(
            session
                .text
                .contains(&format!("/events/{}/speakers/{}", fx.slug, fx.speaker))
        );
        let speakers = app
            .get(&format!("/events/{}/speakers?lang=ru", fx.slug))
            .await;
        speakers.expect(200);
        assert!(speakers.text.contains("Merdan Annaýew") && speakers.text.contains("Докладчики"));
        let speaker = app
            .get(&format!(
                "/events/{}/speakers/{}?lang=en",
                fx.slug, fx.speaker
            ))
            .await;
        speaker.expect(200);
        assert!(speaker.text.contains("Builds digital services."));
        assert!(speaker.text.contains("Data protection workshop"));
        for page in [&session, &speakers, &speaker] {
            assert!(
                !page.text.contains("merdan.private@example.org"),
                "no speaker e-mail"
            );
        }
        // Drafts, other events' sessions and bad ids are "not found".
        let draft = app
            .create_session(&fx.id, json!({"title": "Secret", "status": "draft"}))
            .await;
        app.get(&format!("/events/{}/sessions/{}", fx.slug, draft.id()))
            .await
            .expect(404);
        app.get(&format!("/events/{}/sessions/not-an-id", fx.slug))
            .await
            .expect(404);
        app.get(&format!("/events/{}/speakers/{}", fx.slug, fx.workshop))
            .await
            .expect(404);
        let other = event_with_sessions(&app, json!({})).await;
        app.get(&format!("/events/{}/sessions/{}", other.slug, fx.workshop))
            .await
            .expect(404);
    }
);

db_test!(public_pages_never_show_a_delegates_data, |app| async move {
    let fx = event_with_sessions(&app, json!({})).await;
    let made = register(
        &app,
        &fx.id,
        delegate("private.person@example.org", &[&fx.workshop]),
    )
    .await;
    made.expect(201);
    let token = made.body["manage_token"].as_str().unwrap();
    let mine = app.get_as("/api/v1/registrations/me", token).await;
    let code = mine.body["badge_code"].as_str().unwrap().to_owned();
    for path in [
        "/".to_owned(),
        format!("/events/{}", fx.slug),
        format!("/events/{}/agenda", fx.slug),
        format!("/events/{}/sessions/{}", fx.slug, fx.workshop),
        format!("/events/{}/speakers", fx.slug),
        format!("/events/{}/speakers/{}", fx.slug, fx.speaker),
        format!("/events/{}/register", fx.slug),
        "/me".to_owned(),
    ] {
        let page = app.get(&path).await;
        page.expect(200);
        for secret in ["private.person@example.org", "Aýna Berdiýewa", token, &code] {
            assert!(!page.text.contains(secret), "{path} shows {secret}");
        }
    }
});

db_test!(
    the_agenda_page_is_cached_with_etag_and_gzip,
    |app| async move {
        let fx = event_with_sessions(&app, json!({})).await;
        let path = format!("/events/{}/agenda?lang=en", fx.slug);
        let first = app.get(&path).await;
        first.expect(200);
        let etag = first.header("etag").expect("an ETag").to_owned();
        let again = app.get_with(&path, &[("If-None-Match", &etag)]).await;
        again.expect(304);
        assert!(again.text.is_empty());
        let gzip = app.get_with(&path, &[("Accept-Encoding", "gzip")]).await;
        gzip.expect(200);
        assert_eq!(gzip.header("content-encoding"), Some("gzip"));
        assert!(gzip.header("vary").unwrap().contains("Accept-Encoding"));
        // Another language is another document.
        let ru = app
            .get(&format!("/events/{}/agenda?lang=ru", fx.slug))
            .await;
        assert_ne!(ru.header("etag"), Some(etag.as_str()));
        // A change to the programme is seen at once.
        app.patch(
            &format!("/api/v1/events/{}/sessions/{}", fx.id, fx.workshop),
            json!({"title": "Renamed workshop"}),
        )
        .await
        .expect(200);
        let changed = app.get_with(&path, &[("If-None-Match", &etag)]).await;
        changed.expect(200);
        assert!(changed.text.contains("Renamed workshop"));
        // Filters narrow what is shown; unknown values are ignored.
        let filtered = app
            .get(&format!(
                "/events/{}/agenda?lang=en&language=en&day=2026-11-18&track=nonsense",
                fx.slug
            ))
            .await;
        filtered.expect(200);
        assert!(filtered.text.contains("Renamed workshop"));
        let none = app
            .get(&format!(
                "/events/{}/agenda?lang=en&day=2026-11-19",
                fx.slug
            ))
            .await;
        assert!(none.text.contains("No sessions match these filters."));
    }
);

db_test!(two_submits_at_once_register_once, |app| async move {
    let fx = event_with_sessions(&app, json!({})).await;
    let mut visitor = Visitor::new(&app);
    let path = format!("/events/{}/register?lang=en", fx.slug);
    let form = visitor.get(&path).await;
    let csrf = field(&form.text, "csrf_token");
    let key = field(&form.text, "idempotency_key");
    let mut fields = vec![
        ("csrf_token", csrf.as_str()),
        ("idempotency_key", key.as_str()),
    ];
    fields.extend(valid("twice@example.org", &[&fx.small]));
    // The same browser (its cookies) sends the form twice at the same moment.
    let mut again = Visitor::new(&app);
    again.cookies = visitor.cookies.clone();
    let (first, second) = futures::join!(visitor.post(&path, &fields), again.post(&path, &fields));
    first.expect(303);
    second.expect(303);
    assert_eq!(app.count_rows("registrations").await, 1);
    assert_eq!(
        visitor.cookies.get("dlg_manage"),
        again.cookies.get("dlg_manage"),
        "both answers lead to the same registration"
    );
    crate::registrations::assert_invariants(&app).await;
});
