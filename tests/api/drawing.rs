//! The bounded pool in front of expensive drawings and the PDFs kept per version, over HTTP
//! on both stores: with the pool's one permit held, a PDF or a badge image is refused with
//! `503`, `Retry-After` and problem+json once the queue is full (a queued request is served
//! when the permit returns) while `/healthz` still answers; badge sheets, a single badge and
//! certificates answer the same bytes until what they are drawn from changes.

use serde_json::json;

use std::sync::Arc;

use crate::helpers::{Reply, TestApp};
use crate::print::{PdfFile, pdf_of, tools_present};
use crate::registrations::{delegate, register};
use crate::{db_test, db_test_with};

/// A refusal of the full pool: `503` problem+json with `Retry-After`.
#[track_caller]
fn busy(reply: &Reply) {
    reply.expect_problem(503);
    assert!(
        reply
            .header("retry-after")
            .and_then(|s| s.parse::<u64>().ok())
            .is_some_and(|s| s >= 1),
        "Retry-After in {:?}",
        reply.headers
    );
    assert!(reply.body["detail"].as_str().unwrap_or("").contains("busy"));
}

/// A published event with three confirmed delegates: the event's id, the registration ids
/// and their manage tokens.
async fn event_with_delegates(app: &TestApp) -> (String, Vec<String>, Vec<String>) {
    let event = app
        .published_event(json!({"title": "Sanly hyzmatdaşlyk"}))
        .await;
    let id = event["id"].as_str().unwrap().to_owned();
    let (mut ids, mut tokens) = (Vec::new(), Vec::new());
    for (i, name) in ["Aýna Orazowa", "Аннаев Мурат", "Gülşat Ňazowa"]
        .iter()
        .enumerate()
    {
        let mut body = delegate(&format!("drawing{i}@example.org"), &[]);
        body["full_name"] = json!(name);
        let reply = register(app, &id, body).await;
        reply.expect(201);
        ids.push(reply.id());
        tokens.push(reply.body["manage_token"].as_str().unwrap().to_owned());
    }
    (id, ids, tokens)
}

db_test_with!(
    a_full_drawing_pool_refuses_with_retry_after,
    |config| {
        config.limits.drawing_pool = 1;
        config.limits.drawing_queue = 0;
    },
    |app| async move {
        let (event, ids, tokens) = event_with_delegates(&app).await;
        let sheets = format!("/api/v1/events/{event}/badges.pdf");
        let png = format!("/api/v1/events/{event}/registrations/{}/badge.png", ids[0]);
        let held = app.state.work_pool.turn().await.expect("the one permit");
        for (path, token) in [
            (sheets.as_str(), app.organizer.as_str()),
            (png.as_str(), app.organizer.as_str()),
            ("/api/v1/registrations/me/badge.pdf", tokens[1].as_str()),
        ] {
            let reply = app.get_as(path, token).await;
            busy(&reply);
        }
        app.get("/healthz").await.expect(200);
        drop(held);
        let bytes = pdf_of(&app.get_as(&sheets, &app.organizer).await);
        assert!(bytes.starts_with(b"%PDF-"));
        app.get_as(&png, &app.organizer).await.expect(200);
    }
);

db_test_with!(
    a_queued_drawing_waits_for_the_permit,
    |config| {
        config.limits.drawing_pool = 1;
        config.limits.drawing_queue = 1;
    },
    |app| async move {
        let app = Arc::new(app);
        let (event, _, _) = event_with_delegates(&app).await;
        let sheets = format!("/api/v1/events/{event}/badges.pdf");
        let held = app.state.work_pool.turn().await.expect("the one permit");
        let queued = {
            let (app, sheets) = (app.clone(), sheets.clone());
            tokio::spawn(async move {
                let reply = app.get_as(&sheets, &app.organizer).await;
                reply.status
            })
        };
        while app.state.work_pool.waiting() == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        // The queue's one place is taken: the next is refused at once.
        let refused = app
            .get_as(&format!("{sheets}?category=delegate"), &app.organizer)
            .await;
        busy(&refused);
        drop(held);
        assert_eq!(queued.await.expect("the queued request"), 200);
    }
);

db_test!(
    pdfs_are_kept_until_what_they_show_changes,
    |app| async move {
        let _heavy = crate::helpers::CPU_HEAVY.lock().await;
        let (event, ids, tokens) = event_with_delegates(&app).await;
        let sheets = format!("/api/v1/events/{event}/badges.pdf");
        let first = pdf_of(&app.get_as(&sheets, &app.organizer).await);
        let again = pdf_of(&app.get_as(&sheets, &app.organizer).await);
        assert_eq!(first, again, "the same registrations answer the same bytes");
        let mine = pdf_of(
            &app.get_as("/api/v1/registrations/me/badge.pdf", &tokens[2])
                .await,
        );
        let mine_again = pdf_of(
            &app.get_as("/api/v1/registrations/me/badge.pdf", &tokens[2])
                .await,
        );
        assert_eq!(mine, mine_again);
        // A filter is another PDF.
        let chosen = pdf_of(
            &app.get_as(&format!("{sheets}?ids={}", ids[0]), &app.organizer)
                .await,
        );
        assert_ne!(chosen, first);
        // The delegate's badge language changes: the sheet and the badge are drawn again.
        app.call(
            poem::http::Method::PATCH,
            "/api/v1/registrations/me",
            Some(&tokens[2]),
            Some(&json!({"locale": "ru"})),
        )
        .await
        .expect(200);
        let changed = pdf_of(&app.get_as(&sheets, &app.organizer).await);
        assert_ne!(changed, first, "a changed registration gives new bytes");
        let mine_changed = pdf_of(
            &app.get_as("/api/v1/registrations/me/badge.pdf", &tokens[2])
                .await,
        );
        assert_ne!(mine_changed, mine);
        // Cancelling leaves the sheet without that badge.
        app.call(
            poem::http::Method::DELETE,
            "/api/v1/registrations/me",
            Some(&tokens[0]),
            None,
        )
        .await
        .expect(200);
        let fewer = pdf_of(&app.get_as(&sheets, &app.organizer).await);
        assert_ne!(fewer, changed);
        if !tools_present() {
            return;
        }
        for bytes in [&first, &changed, &fewer] {
            let pdf = PdfFile::new(bytes);
            assert_eq!(pdf.check().0, 1);
        }
        let fewer = PdfFile::new(&fewer);
        assert!(!fewer.text().contains("Aýna Orazowa"));
        assert!(fewer.text().contains("Gülşat Ňazowa"));
    }
);
