//! Events: create, read, list, change, publish, cancel; validation and visibility.

use poem::http::Method;
use serde_json::json;

use crate::db_test;

db_test!(create_returns_201_location_and_defaults, |app| async move {
    let reply = app
        .post(
            "/api/v1/events",
            json!({"slug": "dialogue-2026", "title": "Dialogue", "starts_on": "2026-11-18", "ends_on": "2026-11-19"}),
        )
        .await;
    reply.expect(201);
    let id = reply.id();
    assert_eq!(
        reply.header("location"),
        Some(format!("/api/v1/events/{id}").as_str())
    );
    assert_eq!(reply.body["status"], "draft");
    assert_eq!(reply.body["timezone"], "Asia/Ashgabat");
    assert_eq!(reply.body["kind"], "conference");
    assert_eq!(reply.body["registration_mode"], "open");
    assert_eq!(reply.body["waitlist_enabled"], true);
    assert!(
        reply.body["created_at"]
            .as_str()
            .unwrap()
            .ends_with("+05:00")
    );
    // Readable by id and by slug, for the organizer.
    let by_slug = app
        .get_as("/api/v1/events/dialogue-2026", &app.organizer)
        .await;
    by_slug.expect(200);
    assert_eq!(by_slug.body["id"], id.as_str());
});

db_test!(
    every_validation_rule_rejects_and_changes_nothing,
    |app| async move {
        let base = json!({"slug": "valid-slug", "title": "T", "starts_on": "2026-11-18", "ends_on": "2026-11-19"});
        let cases = [
            (json!({"slug": "Bad Slug"}), "slug"),
            (json!({"slug": "ab"}), "slug"),
            (
                json!({"slug": "0190a1b2-0000-7000-8000-000000000000"}),
                "slug",
            ),
            (json!({"title": "   "}), "title"),
            (json!({"title": "x".repeat(201)}), "title"),
            (json!({"description": "x".repeat(10_001)}), "description"),
            (json!({"timezone": "Mars/Olympus"}), "timezone"),
            (json!({"timezone": "GMT+5"}), "timezone"),
            (json!({"ends_on": "2026-11-17"}), "ends_on"),
            (json!({"capacity": -1}), "capacity"),
            (json!({"starts_on": "1800-01-01"}), "starts_on"),
            (
                json!({"registration_opens_at": "2026-11-10T09:00:00+05:00", "registration_closes_at": "2026-11-01T09:00:00+05:00"}),
                "registration_closes_at",
            ),
        ];
        for (overrides, field) in cases {
            let mut body = base.clone();
            crate::helpers::merge(&mut body, overrides.clone());
            let reply = app.post("/api/v1/events", body).await;
            reply.expect_problem(422);
            assert!(
                reply.error_fields().contains(&field.to_owned()),
                "{overrides} should name {field}: {}",
                reply.text
            );
        }
        assert_eq!(app.count_rows("events").await, 0);
    }
);

db_test!(duplicate_slug_is_409, |app| async move {
    app.create_event(json!({"slug": "same-slug"})).await;
    let reply = app
        .post(
            "/api/v1/events",
            json!({"slug": "same-slug", "title": "Other", "starts_on": "2026-11-18", "ends_on": "2026-11-18"}),
        )
        .await;
    reply.expect_problem(409);
    assert_eq!(app.count_rows("events").await, 1);
    // Renaming another event to a taken slug is refused too.
    let other = app.create_event(json!({"slug": "other-slug"})).await;
    let id = other["id"].as_str().unwrap();
    app.patch(
        &format!("/api/v1/events/{id}"),
        json!({"slug": "same-slug"}),
    )
    .await
    .expect_problem(409);
});

db_test!(drafts_are_invisible_to_the_public, |app| async move {
    let draft = app.create_event(json!({"slug": "secret-draft"})).await;
    let published = app.published_event(json!({"slug": "public-one"})).await;
    let id = draft["id"].as_str().unwrap();
    app.get(&format!("/api/v1/events/{id}"))
        .await
        .expect_problem(404);
    app.get("/api/v1/events/secret-draft")
        .await
        .expect_problem(404);
    // Sub-resources of a draft are hidden as well.
    app.get("/api/v1/events/secret-draft/sessions")
        .await
        .expect_problem(404);
    app.get("/api/v1/events/secret-draft/agenda")
        .await
        .expect_problem(404);

    let public = app.get("/api/v1/events").await;
    public.expect(200);
    let slugs: Vec<_> = public.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["slug"].clone())
        .collect();
    assert_eq!(slugs, [published["slug"].clone()]);
    // Asking for drafts without a token shows nothing.
    let asked = app.get("/api/v1/events?status=draft").await;
    assert_eq!(asked.body["items"].as_array().unwrap().len(), 0);
    // Organizers see both.
    let all = app.get_as("/api/v1/events", &app.organizer).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 2);
    let drafts = app
        .get_as("/api/v1/events?status=draft", &app.organizer)
        .await;
    assert_eq!(drafts.body["items"][0]["slug"], "secret-draft");
});

db_test!(patch_changes_only_what_is_sent, |app| async move {
    let event = app
        .create_event(json!({"venue": "Congress Centre", "city": "Ashgabat"}))
        .await;
    let id = event["id"].as_str().unwrap();
    let reply = app
        .patch(
            &format!("/api/v1/events/{id}"),
            json!({"title": "New title", "venue": null}),
        )
        .await;
    reply.expect(200);
    assert_eq!(reply.body["title"], "New title");
    assert_eq!(reply.body["venue"], serde_json::Value::Null);
    assert_eq!(reply.body["city"], "Ashgabat");
    // A bad patch changes nothing.
    app.patch(
        &format!("/api/v1/events/{id}"),
        json!({"title": "", "city": "Mary"}),
    )
    .await
    .expect_problem(422);
    let after = app
        .get_as(&format!("/api/v1/events/{id}"), &app.organizer)
        .await;
    assert_eq!(after.body["city"], "Ashgabat");
    assert_eq!(after.body["title"], "New title");
});

db_test!(dates_cannot_move_away_from_sessions, |app| async move {
    let event = app.create_event(json!({})).await;
    let id = event["id"].as_str().unwrap();
    let session = app
        .create_session(id, json!({"starts_at": "2026-11-19T15:00:00+05:00", "ends_at": "2026-11-19T16:00:00+05:00"}))
        .await;
    session.expect(201);
    let reply = app
        .patch(
            &format!("/api/v1/events/{id}"),
            json!({"ends_on": "2026-11-18"}),
        )
        .await;
    reply.expect_problem(409);
    assert!(
        reply.body["detail"]
            .as_str()
            .unwrap()
            .contains(&session.id())
    );
    // Moving to a zone where the session still fits is fine: 15:00 in Ashgabat is 11:00 in Berlin.
    app.patch(
        &format!("/api/v1/events/{id}"),
        json!({"timezone": "Europe/Berlin"}),
    )
    .await
    .expect(200);
});

db_test!(publish_and_cancel_follow_the_life_cycle, |app| async move {
    let event = app.create_event(json!({})).await;
    let id = event["id"].as_str().unwrap();
    let published = app
        .post(&format!("/api/v1/events/{id}/publish"), json!(null))
        .await;
    published.expect(200);
    assert_eq!(published.body["status"], "published");
    // Publishing again changes nothing.
    app.post(&format!("/api/v1/events/{id}/publish"), json!(null))
        .await
        .expect(200);
    let cancelled = app
        .post(&format!("/api/v1/events/{id}/cancel"), json!(null))
        .await;
    cancelled.expect(200);
    assert_eq!(cancelled.body["status"], "cancelled");
    // A cancelled event stays visible, and cannot be published again.
    app.get(&format!("/api/v1/events/{id}")).await.expect(200);
    app.post(&format!("/api/v1/events/{id}/publish"), json!(null))
        .await
        .expect_problem(409);
    let listed = app.get("/api/v1/events?status=cancelled").await;
    assert_eq!(listed.body["items"][0]["id"], id);
    // Unknown events are 404 for state changes too.
    app.post("/api/v1/events/no-such-event/publish", json!(null))
        .await
        .expect_problem(404);
});

db_test!(lists_page_with_an_opaque_cursor, |app| async move {
    for n in 0..5 {
        app.published_event(json!({"slug": format!("paged-{n}")}))
            .await;
    }
    let first = app.get("/api/v1/events?limit=2").await;
    first.expect(200);
    assert_eq!(first.body["items"].as_array().unwrap().len(), 2);
    let mut seen: Vec<String> = first.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["slug"].as_str().unwrap().to_owned())
        .collect();
    let mut cursor = first.body["next_cursor"].as_str().map(str::to_owned);
    while let Some(next) = cursor {
        let page = app
            .get(&format!("/api/v1/events?limit=2&cursor={next}"))
            .await;
        page.expect(200);
        seen.extend(
            page.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["slug"].as_str().unwrap().to_owned()),
        );
        cursor = page.body["next_cursor"].as_str().map(str::to_owned);
    }
    assert_eq!(
        seen,
        ["paged-0", "paged-1", "paged-2", "paged-3", "paged-4"]
    );
    app.get("/api/v1/events?limit=0").await.expect_problem(422);
    app.get("/api/v1/events?limit=501")
        .await
        .expect_problem(422);
    app.get("/api/v1/events?cursor=garbage!")
        .await
        .expect_problem(422);
});

db_test!(unknown_event_is_404_problem, |app| async move {
    app.get("/api/v1/events/no-such-event")
        .await
        .expect_problem(404);
    app.get("/api/v1/events/01900000-0000-7000-8000-000000000000")
        .await
        .expect_problem(404);
    app.call(Method::GET, "/api/v1/no-such-route", None, None)
        .await
        .expect_problem(404);
});

/// The event's row as stored.
async fn stored_event(app: &crate::helpers::TestApp, id: uuid::Uuid) -> entities::events::Model {
    use sea_orm::EntityTrait;
    entities::events::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the event")
}

db_test!(
    a_status_change_is_decided_and_counted_under_the_lock,
    |app| async move {
        use sea_orm::sea_query::Expr;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
        let other = app.other_connection().await;

        // An agenda change commits while the publication waits: both bump the version.
        let id: uuid::Uuid = app.create_event(json!({})).await["id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let before = stored_event(&app, id).await.agenda_version;
        let held = other.begin().await.unwrap();
        dialogue::store::events::touch_agenda(&held, id, chrono::Utc::now())
            .await
            .unwrap();
        crate::helpers::while_held(
            held,
            app.post(&format!("/api/v1/events/{id}/publish"), json!(null)),
        )
        .await
        .expect(200);
        assert_eq!(stored_event(&app, id).await.agenda_version, before + 2);

        // Another organizer cancels the event while the publication waits: a cancelled
        // event cannot be published, so the publication is refused and the event stays
        // cancelled.
        let id: uuid::Uuid = app.create_event(json!({})).await["id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let held = other.begin().await.unwrap();
        dialogue::store::seats::lock_event(&held, id).await.unwrap();
        entities::events::Entity::update_many()
            .col_expr(entities::events::Column::Status, Expr::value("cancelled"))
            .filter(entities::events::Column::Id.eq(id))
            .exec(&held)
            .await
            .unwrap();
        crate::helpers::while_held(
            held,
            app.post(&format!("/api/v1/events/{id}/publish"), json!(null)),
        )
        .await
        .expect_problem(409);
        assert_eq!(stored_event(&app, id).await.status.as_str(), "cancelled");
    }
);

db_test!(
    a_change_made_outside_http_empties_the_event_cache,
    |app| async move {
        // A use case called by another front end (the command line, a background job) must
        // empty the cache itself: no HTTP middleware sees it.
        let event = app.create_event(json!({})).await;
        let slug = event["slug"].as_str().unwrap().to_owned();
        let agenda = format!("/api/v1/events/{slug}/agenda");
        app.get(&agenda).await.expect(404);
        app.get(&agenda).await.expect(404);
        dialogue::app::events::publish(&app.state, &slug)
            .await
            .expect("publish");
        app.get(&agenda).await.expect(200);
    }
);

db_test!(
    requests_that_change_no_programme_keep_the_event_cache,
    |app| async move {
        let event = app.published_event(json!({})).await;
        let slug = event["slug"].as_str().unwrap().to_owned();
        app.get(&format!("/api/v1/events/{slug}/agenda"))
            .await
            .expect(200);
        let generation = app.state.heads.generation();
        let unknown = app.post("/api/v1/no-such-route", json!({})).await;
        assert_eq!(unknown.status.as_u16(), 404);
        let registered = app
            .post(
                &format!("/api/v1/events/{slug}/registrations"),
                json!({"full_name": "Merjen Ataýewa", "email": "merjen@example.org", "consent": true}),
            )
            .await;
        registered.expect(201);
        assert_eq!(app.state.heads.generation(), generation);
    }
);
