//! Calendar feeds, parsed with an independent iCalendar parser (`ical`): properties, UIDs,
//! UTC instants across daylight saving, escaping, folding, cancellations, conditional GETs,
//! HEAD, and the personal feed's token.

use poem::http::Method;
use serde_json::{Value, json};

use crate::db_test;
use crate::helpers::{Reply, TestApp};
use crate::registrations::{delegate, register};

/// Parses a feed; panics on anything the parser refuses.
fn parse(text: &str) -> ical::parser::ical::component::IcalCalendar {
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let calendar = parser
        .next()
        .expect("one calendar")
        .expect("valid iCalendar");
    assert!(parser.next().is_none(), "exactly one calendar");
    calendar
}

fn prop<'a>(properties: &'a [ical::property::Property], name: &str) -> Option<&'a str> {
    properties
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.as_deref())
}

/// Physical-line checks every feed must pass.
fn assert_well_formed(reply: &Reply) {
    reply.expect(200);
    assert_eq!(
        reply.header("content-type"),
        Some("text/calendar; charset=utf-8; method=PUBLISH")
    );
    assert!(reply.text.ends_with("\r\n"));
    for physical in reply.text.split("\r\n") {
        assert!(
            physical.len() <= 75,
            "line of {} octets: {physical:?}",
            physical.len()
        );
        assert!(
            !physical.contains('\n') && !physical.contains('\r'),
            "bare newline in {physical:?}"
        );
    }
    // Every TZID used has its VTIMEZONE (the feeds write UTC, so there are none).
    let calendar = parse(&reply.text);
    for event in &calendar.events {
        for p in &event.properties {
            if let Some(params) = &p.params {
                for (name, values) in params {
                    if name == "TZID" {
                        let defined = calendar.timezones.iter().any(|tz| {
                            prop(&tz.properties, "TZID") == values.first().map(String::as_str)
                        });
                        assert!(defined, "TZID {values:?} without VTIMEZONE");
                    }
                }
            }
        }
    }
}

async fn programme(app: &TestApp) -> (String, String, String, Value) {
    let event = app.published_event(json!({"title": "Dialogue; digital, cooperation", "venue": "Congress Centre", "city": "Ashgabat"})).await;
    let id = event["id"].as_str().unwrap().to_owned();
    let track = app
        .post(
            &format!("/api/v1/events/{id}/tracks"),
            json!({"name": "AI in public administration"}),
        )
        .await
        .id();
    let room = app
        .post(
            &format!("/api/v1/events/{id}/rooms"),
            json!({"name": "Hall A"}),
        )
        .await
        .id();
    let speaker = app
        .post(&format!("/api/v1/events/{id}/speakers"), json!({"full_name": "Merdan Annaýew", "organization": "UNDP", "email": "merdan@example.org"}))
        .await
        .id();
    let links = json!({"track_id": track, "room_id": room, "speaker_ids": [speaker]});
    (id, track, room, links)
}

db_test!(event_feed_has_every_property, |app| async move {
    let (event, track, _, links) = programme(&app).await;
    let long_abstract = "Sanly hyzmatlaryň elýeterliligi, howpsuzlygy we ygtybarlylygy; ".repeat(8)
        + "Цифровые государственные услуги: доступность, безопасность и доверие граждан. "
            .repeat(6)
            .as_str();
    let mut body = links.clone();
    crate::helpers::merge(
        &mut body,
        json!({"title": "Keynote, part 1; opening\\remarks", "abstract": long_abstract, "kind": "keynote"}),
    );
    let session = app.create_session(&event, body).await.id();
    let mut draft = links.clone();
    crate::helpers::merge(
        &mut draft,
        json!({"title": "Secret draft", "status": "draft", "starts_at": "2026-11-18T15:00:00+05:00", "ends_at": "2026-11-18T16:00:00+05:00"}),
    );
    app.create_session(&event, draft).await.expect(201);
    let reply = app
        .get(&format!("/api/v1/events/{event}/calendar.ics"))
        .await;
    assert_well_formed(&reply);
    assert!(!reply.text.contains("Secret draft"), "drafts never appear");
    assert!(!reply.text.contains("merdan@example.org"), "no e-mail");
    assert_eq!(
        reply
            .header("content-disposition")
            .map(|d| d.starts_with("inline; filename=")),
        Some(true)
    );
    let calendar = parse(&reply.text);
    let p = |name| prop(&calendar.properties, name);
    assert_eq!(p("VERSION"), Some("2.0"));
    assert!(p("PRODID").unwrap().contains("Dialogue"));
    assert_eq!(p("CALSCALE"), Some("GREGORIAN"));
    assert_eq!(p("METHOD"), Some("PUBLISH"));
    assert_eq!(
        p("X-WR-CALNAME"),
        Some("Dialogue\\; digital\\, cooperation")
    );
    assert_eq!(p("NAME"), p("X-WR-CALNAME"));
    assert!(p("REFRESH-INTERVAL").is_some() && p("X-PUBLISHED-TTL").is_some());
    assert_eq!(calendar.events.len(), 1);
    let e = &calendar.events[0].properties;
    assert_eq!(
        prop(e, "UID"),
        Some(format!("{session}@dialogue.localhost").as_str())
    );
    assert!(prop(e, "DTSTAMP").unwrap().ends_with('Z'));
    assert_eq!(prop(e, "DTSTART"), Some("20261118T040000Z"));
    assert_eq!(prop(e, "DTEND"), Some("20261118T050000Z"));
    assert_eq!(
        prop(e, "SUMMARY"),
        Some("Keynote\\, part 1\\; opening\\\\remarks")
    );
    let description = prop(e, "DESCRIPTION").unwrap();
    assert!(
        description.contains("Çykyş edijiler: Merdan Annaýew (UNDP)")
            && description.contains("Цифровые")
    );
    assert!(
        prop(e, "LOCATION")
            .unwrap()
            .starts_with("Hall A\\, Congress Centre")
    );
    assert!(
        prop(e, "CATEGORIES")
            .unwrap()
            .contains("AI in public administration")
    );
    assert!(prop(e, "URL").unwrap().ends_with(&session));
    assert_eq!(prop(e, "SEQUENCE"), Some("0"));
    assert!(prop(e, "LAST-MODIFIED").unwrap().ends_with('Z'));
    assert_eq!(prop(e, "STATUS"), Some("CONFIRMED"));
    // Byte-stable while nothing changes.
    let again = app
        .get(&format!("/api/v1/events/{event}/calendar.ics"))
        .await;
    assert_eq!(again.text, reply.text);
    // ?track= narrows the feed.
    let other = app
        .get(&format!(
            "/api/v1/events/{event}/calendar.ics?track=01900000-0000-7000-8000-000000000000"
        ))
        .await;
    assert_eq!(parse(&other.text).events.len(), 0);
    let same = app
        .get(&format!(
            "/api/v1/events/{event}/calendar.ics?track={track}"
        ))
        .await;
    assert_eq!(parse(&same.text).events.len(), 1);
});

db_test!(
    changes_raise_sequence_and_cancellations_stay,
    |app| async move {
        let (event, _, _, links) = programme(&app).await;
        let moved = app.create_session(&event, links.clone()).await.id();
        let mut later = links.clone();
        crate::helpers::merge(
            &mut later,
            json!({"title": "To be deleted", "speaker_ids": [], "room_id": null, "starts_at": "2026-11-18T11:00:00+05:00", "ends_at": "2026-11-18T12:00:00+05:00"}),
        );
        let deleted = app.create_session(&event, later.clone()).await.id();
        crate::helpers::merge(
            &mut later,
            json!({"title": "To be cancelled", "starts_at": "2026-11-18T13:00:00+05:00", "ends_at": "2026-11-18T14:00:00+05:00"}),
        );
        let cancelled = app.create_session(&event, later).await.id();
        let path = format!("/api/v1/events/{event}/calendar.ics");
        let before = app.get(&path).await;
        let last_modified_before = before.header("last-modified").unwrap().to_owned();
        app.patch(&format!("/api/v1/events/{event}/sessions/{moved}"), json!({"starts_at": "2026-11-18T09:30:00+05:00", "ends_at": "2026-11-18T10:30:00+05:00"})).await.expect(200);
        app.patch(
            &format!("/api/v1/events/{event}/sessions/{cancelled}"),
            json!({"status": "cancelled"}),
        )
        .await
        .expect(200);
        app.delete(&format!("/api/v1/events/{event}/sessions/{deleted}"))
            .await
            .expect(204);
        let after = app.get(&path).await;
        assert_well_formed(&after);
        let calendar = parse(&after.text);
        let find = |id: &str| {
            calendar
                .events
                .iter()
                .find(|e| prop(&e.properties, "UID").unwrap().starts_with(id))
                .map(|e| &e.properties)
                .unwrap()
        };
        assert_eq!(prop(find(&moved), "SEQUENCE"), Some("1"));
        assert_eq!(prop(find(&moved), "DTSTART"), Some("20261118T043000Z"));
        assert_eq!(prop(find(&cancelled), "STATUS"), Some("CANCELLED"));
        assert_eq!(
            prop(find(&deleted), "STATUS"),
            Some("CANCELLED"),
            "a deleted session stays, cancelled"
        );
        assert_eq!(prop(find(&deleted), "SEQUENCE"), Some("1"));
        let parse_date = |s: &str| chrono::DateTime::parse_from_rfc2822(s).unwrap();
        assert!(
            parse_date(after.header("last-modified").unwrap()) >= parse_date(&last_modified_before)
        );
        assert_ne!(after.header("etag"), before.header("etag"));
    }
);

db_test!(conditional_requests_and_head, |app| async move {
    let (event, _, _, links) = programme(&app).await;
    app.create_session(&event, links).await.expect(201);
    let path = format!("/api/v1/events/{event}/calendar.ics");
    let full = app.get(&path).await;
    let etag = full.header("etag").unwrap().to_owned();
    assert!(etag.starts_with('"'), "a strong ETag");
    let last_modified = full.header("last-modified").unwrap().to_owned();
    let by_tag = app.get_with(&path, &[("If-None-Match", &etag)]).await;
    by_tag.expect(304);
    assert!(by_tag.text.is_empty());
    app.get_with(&path, &[("If-Modified-Since", &last_modified)])
        .await
        .expect(304);
    app.get_with(
        &path,
        &[("If-Modified-Since", "Thu, 01 Jan 2015 00:00:00 GMT")],
    )
    .await
    .expect(200);
    app.get_with(&path, &[("If-None-Match", "\"stale\"")])
        .await
        .expect(200);
    let head = app.call(Method::HEAD, &path, None, None).await;
    head.expect(200);
    assert!(head.text.is_empty());
    assert_eq!(head.header("etag"), Some(etag.as_str()));
    // Deleting the only session changes the feed and never moves Last-Modified back.
    let session = app
        .get(&format!("/api/v1/events/{event}/sessions"))
        .await
        .body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.delete(&format!("/api/v1/events/{event}/sessions/{session}"))
        .await
        .expect(204);
    let after = app.get_with(&path, &[("If-None-Match", &etag)]).await;
    after.expect(200);
    let parse_date = |s: &str| chrono::DateTime::parse_from_rfc2822(s).unwrap();
    assert!(parse_date(after.header("last-modified").unwrap()) >= parse_date(&last_modified));
});

db_test!(
    daylight_saving_zones_give_correct_utc_instants,
    |app| async move {
        let event = app.published_event(json!({"timezone": "Europe/Berlin", "starts_on": "2026-03-28", "ends_on": "2026-03-30"})).await;
        let id = event["id"].as_str().unwrap();
        // 01:30 local is before the switch (UTC+1), 03:30 after it (UTC+2).
        app.create_session(id, json!({"title": "Before", "starts_at": "2026-03-29T01:30:00+01:00", "ends_at": "2026-03-29T01:45:00+01:00"})).await.expect(201);
        app.create_session(id, json!({"title": "After", "starts_at": "2026-03-29T03:30:00+02:00", "ends_at": "2026-03-29T04:00:00+02:00"})).await.expect(201);
        let reply = app.get(&format!("/api/v1/events/{id}/calendar.ics")).await;
        assert_well_formed(&reply);
        let calendar = parse(&reply.text);
        let starts: Vec<(&str, &str)> = calendar
            .events
            .iter()
            .map(|e| {
                (
                    prop(&e.properties, "SUMMARY").unwrap(),
                    prop(&e.properties, "DTSTART").unwrap(),
                )
            })
            .collect();
        assert_eq!(
            starts,
            [
                ("Before", "20260329T003000Z"),
                ("After", "20260329T013000Z")
            ]
        );
    }
);

db_test!(session_and_speaker_feeds, |app| async move {
    let (event, _, _, links) = programme(&app).await;
    let with_speaker = app.create_session(&event, links.clone()).await.id();
    app.create_session(&event, json!({"title": "Other", "starts_at": "2026-11-18T15:00:00+05:00", "ends_at": "2026-11-18T16:00:00+05:00"})).await.expect(201);
    let draft = app.create_session(&event, json!({"title": "Draft", "status": "draft", "starts_at": "2026-11-18T17:00:00+05:00", "ends_at": "2026-11-18T18:00:00+05:00"})).await.id();
    let one = app
        .get(&format!(
            "/api/v1/events/{event}/sessions/{with_speaker}/calendar.ics"
        ))
        .await;
    assert_well_formed(&one);
    assert_eq!(parse(&one.text).events.len(), 1);
    app.get(&format!(
        "/api/v1/events/{event}/sessions/{draft}/calendar.ics"
    ))
    .await
    .expect_problem(404);
    let speaker = links["speaker_ids"][0].as_str().unwrap();
    let theirs = app
        .get(&format!(
            "/api/v1/events/{event}/speakers/{speaker}/calendar.ics"
        ))
        .await;
    assert_well_formed(&theirs);
    let calendar = parse(&theirs.text);
    assert_eq!(calendar.events.len(), 1);
    assert!(
        prop(&calendar.events[0].properties, "UID")
            .unwrap()
            .starts_with(&with_speaker)
    );
    // A deleted session's own feed announces the cancellation.
    app.delete(&format!("/api/v1/events/{event}/sessions/{with_speaker}"))
        .await
        .expect(204);
    let gone = app
        .get(&format!(
            "/api/v1/events/{event}/sessions/{with_speaker}/calendar.ics"
        ))
        .await;
    assert_eq!(
        prop(&parse(&gone.text).events[0].properties, "STATUS"),
        Some("CANCELLED")
    );
    // Draft events have no feeds.
    let hidden = app.create_event(json!({})).await;
    app.get(&format!(
        "/api/v1/events/{}/calendar.ics",
        hidden["id"].as_str().unwrap()
    ))
    .await
    .expect_problem(404);
});

db_test!(
    personal_feed_follows_choices_and_its_token,
    |app| async move {
        let event = app.published_event(json!({})).await;
        let id = event["id"].as_str().unwrap();
        let full = app
            .create_session(id, json!({"title": "Workshop", "capacity": 1}))
            .await
            .id();
        let plenary = app.create_session(id, json!({"title": "Plenary", "starts_at": "2026-11-18T11:00:00+05:00", "ends_at": "2026-11-18T12:00:00+05:00"})).await.id();
        register(&app, id, delegate("first@example.org", &[&full]))
            .await
            .expect(201);
        let me = register(&app, id, delegate("me@example.org", &[&full, &plenary])).await;
        let url = me.body["calendar_url"].as_str().unwrap();
        let path = &url[url.find("/api/").unwrap()..];
        let feed = app.get(path).await;
        assert_well_formed(&feed);
        for secret in [
            "me@example.org",
            me.body["manage_token"].as_str().unwrap(),
            "D1",
        ] {
            assert!(!feed.text.contains(secret), "the feed leaks {secret}");
        }
        let calendar = parse(&feed.text);
        let status = |title: &str| {
            calendar
                .events
                .iter()
                .find(|e| prop(&e.properties, "SUMMARY") == Some(title))
                .and_then(|e| prop(&e.properties, "STATUS"))
        };
        assert_eq!(status("Workshop"), Some("TENTATIVE"), "waitlisted");
        assert_eq!(status("Plenary"), Some("CONFIRMED"));
        // Wrong and missing tokens are refused.
        let base = &path[..path.find('?').unwrap()];
        app.get(&format!("{base}?token=dlg_cal_wrong"))
            .await
            .expect_problem(404);
        app.get(base).await.expect_problem(404);
        // Rotating the link retires the old token.
        let manage = me.body["manage_token"].as_str().unwrap();
        let rotated = app
            .call(
                Method::POST,
                "/api/v1/registrations/me/calendar-token",
                Some(manage),
                None,
            )
            .await;
        app.get(path).await.expect_problem(404);
        let new_url = rotated.body["calendar_url"].as_str().unwrap();
        app.get(&new_url[new_url.find("/api/").unwrap()..])
            .await
            .expect(200);
        // Cancelling the registration cancels every entry.
        app.call(
            Method::DELETE,
            "/api/v1/registrations/me",
            Some(manage),
            None,
        )
        .await
        .expect(200);
        let cancelled = app.get(&new_url[new_url.find("/api/").unwrap()..]).await;
        assert!(
            parse(&cancelled.text)
                .events
                .iter()
                .all(|e| prop(&e.properties, "STATUS") == Some("CANCELLED"))
        );
    }
);
