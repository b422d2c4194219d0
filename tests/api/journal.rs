//! What happened (domain events) is written in the transaction that made it happen: seats,
//! promotions, accreditation and session changes each leave one journal row, and a refused
//! request leaves none.

use poem::http::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::db_test;
use crate::helpers::TestApp;

/// The journal of an event as (kind, registration, session, status) rows.
async fn journal(app: &TestApp, event_id: &str) -> Vec<(String, Option<Uuid>, Option<Uuid>)> {
    let event_id: Uuid = event_id.parse().expect("event id");
    dialogue::store::journal::of_event(&app.state.db, event_id)
        .await
        .expect("journal")
        .into_iter()
        .map(|row| (row.kind, row.registration_id, row.session_id))
        .collect()
}

async fn register(app: &TestApp, event: &str, email: &str, sessions: Value) -> Value {
    let reply = app
        .post(
            &format!("/api/v1/events/{event}/registrations"),
            json!({"full_name": "Aýgül Berdiýewa", "email": email, "consent": true,
                   "session_ids": sessions}),
        )
        .await;
    reply.expect(201);
    reply.body.clone()
}

fn uuid(value: &Value) -> Option<Uuid> {
    value.as_str().and_then(|s| s.parse().ok())
}

db_test!(
    a_cancellation_journals_the_promotion_it_causes,
    |app| async move {
        let event = app.published_event(json!({"capacity": 1})).await;
        let event_id = event["id"].as_str().unwrap().to_owned();
        let first = register(&app, &event_id, "first@example.org", json!([])).await;
        let second = register(&app, &event_id, "second@example.org", json!([])).await;
        assert_eq!(second["status"], "waitlisted");
        // A refused request (the same address again) journals nothing.
        let refused = app
            .post(
                &format!("/api/v1/events/{event_id}/registrations"),
                json!({"full_name": "Again", "email": "first@example.org", "consent": true}),
            )
            .await;
        refused.expect(409);
        let token = first["manage_token"].as_str().unwrap();
        app.call(
            Method::DELETE,
            "/api/v1/registrations/me",
            Some(token),
            None,
        )
        .await
        .expect(200);
        assert_eq!(
            journal(&app, &event_id).await,
            vec![
                ("registered".into(), uuid(&first["id"]), None),
                ("registered".into(), uuid(&second["id"]), None),
                ("cancelled".into(), uuid(&first["id"]), None),
                ("promoted".into(), uuid(&second["id"]), None),
            ]
        );
        let rows = dialogue::store::journal::of_event(&app.state.db, event_id.parse().unwrap())
            .await
            .unwrap();
        assert_eq!(rows[0].status.as_deref(), Some("confirmed"));
        assert_eq!(rows[1].status.as_deref(), Some("waitlisted"));
    }
);

db_test!(
    session_moves_room_changes_and_cancellations_are_journaled,
    |app| async move {
        let event = app.published_event(json!({})).await;
        let event_id = event["id"].as_str().unwrap().to_owned();
        let room = app
            .post(
                &format!("/api/v1/events/{event_id}/rooms"),
                json!({"name": "Hall B"}),
            )
            .await;
        room.expect(201);
        let session = app.create_session(&event_id, json!({})).await;
        session.expect(201);
        let session_id = session.body["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/events/{event_id}/sessions/{session_id}");
        app.patch(
            &path,
            json!({"starts_at": "2026-11-18T09:30:00+05:00",
                                "ends_at": "2026-11-18T10:30:00+05:00"}),
        )
        .await
        .expect(200);
        app.patch(&path, json!({"room_id": room.body["id"]}))
            .await
            .expect(200);
        // A change nobody signed up would see (the abstract) journals nothing.
        app.patch(&path, json!({"abstract": "Updated"}))
            .await
            .expect(200);
        app.patch(&path, json!({"status": "cancelled"}))
            .await
            .expect(200);
        let rows = dialogue::store::journal::of_event(&app.state.db, event_id.parse().unwrap())
            .await
            .unwrap();
        let kinds: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.kind.as_str(), r.key.as_str()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (
                    "session_moved",
                    format!("session_moved:{session_id}:1").as_str()
                ),
                (
                    "session_reroomed",
                    format!("session_reroomed:{session_id}:2").as_str()
                ),
                (
                    "session_cancelled",
                    format!("session_cancelled:{session_id}:4").as_str()
                ),
            ]
        );
    }
);
