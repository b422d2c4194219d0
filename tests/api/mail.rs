//! E-mail: the outbox is written in the transaction of the change (a refused change writes
//! none, a retried one no second, a cancellation that promotes someone writes exactly the
//! promotion, a moved session notifies exactly its delegates), and a real SMTP server
//! (aiosmtpd with STARTTLS) receives what the sender sends: in the delegate's language, text
//! and HTML, the working link, the badge whose QR is the badge code, the `.ics` with the
//! feeds' UIDs; 451 is retried, 550 fails at once and is kept, nothing is lost while the
//! server is down, and a message claimed by an instance that died is sent after its lease.

use std::time::Duration;

use mail_parser::{MessageParser, MimeHeaders};
use serde_json::json;

use crate::db_test;
use crate::helpers::{Backend, TestApp, run};
use crate::registrations::{delegate, register};
use crate::smtp::SmtpServer;

/// The outbox rows of an event: `(kind, registration id)`, oldest first.
async fn outbox(app: &TestApp, event: &str) -> Vec<(String, String)> {
    let reply = app
        .get_as(
            &format!("/api/v1/events/{event}/outbox?limit=500"),
            &app.organizer,
        )
        .await;
    reply.expect(200);
    let mut rows: Vec<(String, String)> = reply.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap().to_owned(),
                m["registration_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    rows.reverse();
    rows
}

db_test!(
    the_outbox_follows_what_happened_and_only_that,
    |app| async move {
        let event = app
            .published_event(json!({"capacity": 1, "waitlist_enabled": true}))
            .await;
        let id = event["id"].as_str().unwrap().to_owned();
        let session = app
            .create_session(&id, json!({"title": "Lab", "capacity": 5}))
            .await;
        session.expect(201);
        let other = app
        .create_session(
            &id,
            json!({"title": "Other", "capacity": 5,
                   "starts_at": "2026-11-18T11:00:00+05:00", "ends_at": "2026-11-18T12:00:00+05:00"}),
        )
        .await;
        let first = register(&app, &id, delegate("first@example.org", &[&session.id()])).await;
        first.expect(201);
        let second = register(&app, &id, delegate("second@example.org", &[&session.id()])).await;
        assert_eq!(second.body["status"], "waitlisted");
        let third = register(&app, &id, delegate("third@example.org", &[&other.id()])).await;
        third.expect(201);
        let (a, b, c) = (first.id(), second.id(), third.id());
        assert_eq!(
            outbox(&app, &id).await,
            vec![
                ("confirmed".to_owned(), a.clone()),
                ("waitlisted".to_owned(), b.clone()),
                ("waitlisted".to_owned(), c.clone()),
            ]
        );
        // A refused registration (the same e-mail again) and a retried one write nothing.
        register(&app, &id, delegate("FIRST@example.org", &[]))
            .await
            .expect(409);
        for _ in 0..2 {
            let reply = app
                .client
                .post(format!("/api/v1/events/{id}/registrations"))
                .header("Idempotency-Key", "mail-retry-0000000001")
                .body_json(&delegate("fourth@example.org", &[]))
                .send()
                .await;
            assert!(reply.0.status().is_success());
        }
        let rows = outbox(&app, &id).await;
        assert_eq!(
            rows.len(),
            4,
            "the retried registration wrote one message: {rows:?}"
        );
        let before = outbox(&app, &id).await.len();
        // A cancellation that promotes someone: the cancellation and exactly the promotion.
        let token = first.body["manage_token"].as_str().unwrap().to_owned();
        app.call(
            poem::http::Method::DELETE,
            "/api/v1/registrations/me",
            Some(&token),
            None,
        )
        .await
        .expect(200);
        let rows = outbox(&app, &id).await;
        assert_eq!(
            rows[before..].to_vec(),
            vec![
                ("cancelled".to_owned(), a.clone()),
                ("promoted".to_owned(), b.clone()),
            ]
        );
        // Moving the session tells exactly its delegates still registered (b; a cancelled).
        let before = rows.len();
        app.patch(
        &format!("/api/v1/events/{id}/sessions/{}", session.id()),
        json!({"starts_at": "2026-11-18T13:00:00+05:00", "ends_at": "2026-11-18T14:00:00+05:00"}),
    )
    .await
    .expect(200);
        let rows = outbox(&app, &id).await;
        assert_eq!(
            rows[before..].to_vec(),
            vec![("session_moved".to_owned(), b.clone())]
        );
        // Deleting it tells them too, before their choices go with it.
        app.delete(&format!("/api/v1/events/{id}/sessions/{}", session.id()))
            .await
            .expect(204);
        let rows = outbox(&app, &id).await;
        assert_eq!(
            rows.last().unwrap(),
            &("session_cancelled".to_owned(), b.clone())
        );
    }
);

db_test!(
    a_group_refused_registration_writes_no_mail,
    |app| async move {
        let event = app.published_event(json!({})).await;
        let id = event["id"].as_str().unwrap().to_owned();
        // Many at once, one e-mail address twice: the queue groups them; the duplicate is
        // refused and rolled back alone.
        let mut bodies: Vec<_> = (0..20)
            .map(|n| delegate(&format!("group{n}@example.org"), &[]))
            .collect();
        bodies.push(delegate("group3@example.org", &[]));
        let replies =
            futures::future::join_all(bodies.into_iter().map(|b| register(&app, &id, b))).await;
        let created = replies.iter().filter(|r| r.status.as_u16() == 201).count();
        assert_eq!(created, 20);
        assert_eq!(
            app.count_rows("outbox").await,
            20,
            "one message per registration made"
        );
    }
);

/// Runs `test` on both stores with a real SMTP server and an application sending to it.
async fn with_smtp<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(TestApp, SmtpServer) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let Some(server) = SmtpServer::start() else {
        return;
    };
    run(backend, |db| async move {
        let app = db.app_with(|config| server.configure(config)).await;
        test(app, server).await;
    })
    .await;
}

macro_rules! smtp_test {
    ($name:ident, |$app:ident, $server:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                with_smtp(Backend::Sqlite, |$app, $server| async move { $body.await }).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                with_smtp(
                    Backend::Postgres,
                    |$app, $server| async move { $body.await },
                )
                .await;
            }
        }
    };
}

const WAIT: Duration = Duration::from_secs(20);

/// The event's outbox once its newest message is `sent` (the server has the message a moment
/// before the sender records it).
async fn once_sent(app: &TestApp, event: &str) -> serde_json::Value {
    let mut listed = serde_json::Value::Null;
    for _ in 0..200 {
        listed = app
            .get_as(&format!("/api/v1/events/{event}/outbox"), &app.organizer)
            .await
            .body;
        if listed["items"][0]["status"] == "sent" {
            return listed;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the message was not recorded as sent: {listed}");
}

smtp_test!(
    a_confirmation_arrives_in_the_delegates_language,
    |app, server| async move {
        let event = app
            .published_event(json!({"title": "Dialogue", "default_language": "en",
                                "translations": {"ru": {"title": "Диалог"}}}))
            .await;
        let id = event["id"].as_str().unwrap().to_owned();
        let session = app
            .create_session(&id, json!({"title": "Lab", "capacity": 5}))
            .await;
        let mut body = delegate("ru@example.org", &[&session.id()]);
        body["locale"] = json!("ru");
        let made = register(&app, &id, body).await;
        made.expect(201);
        let received = server.wait_for(1, WAIT).await;
        assert_eq!(received.len(), 1, "one message arrives");
        let envelope = &received[0].envelope;
        assert_eq!(envelope["rcpt_tos"], json!(["ru@example.org"]));
        assert_eq!(envelope["tls"], json!(true), "sent over STARTTLS");
        let message = MessageParser::default()
            .parse(&received[0].raw)
            .expect("a MIME message");
        assert_eq!(
            message
                .to()
                .and_then(|a| a.first())
                .and_then(|a| a.address()),
            Some("ru@example.org")
        );
        assert_eq!(message.subject(), Some("Регистрация подтверждена: Диалог"));
        assert_eq!(
            message.header_raw("Auto-Submitted").map(str::trim),
            Some("auto-generated")
        );
        let text = message.body_text(0).expect("a text part").into_owned();
        let html = message.body_html(0).expect("an HTML part").into_owned();
        assert!(text.contains("Здравствуйте, Aýna Berdiýewa!"), "{text}");
        assert!(html.contains("Ваша регистрация") && html.contains(r#"lang="ru""#));
        assert!(!text.trim().is_empty() && !html.trim().is_empty());
        // The link works: /r/… sets the cookie and leads to /me.
        let link = text
            .split_whitespace()
            .find(|w| w.contains("/r/dlg_"))
            .expect("the link to the delegate's page");
        let path = &link[link.find("/r/").unwrap()..];
        let token = made.body["manage_token"].as_str().unwrap();
        assert_eq!(path, format!("/r/{token}"));
        let mut visitor = crate::visitor::Visitor::new(&app);
        visitor.get(path).await.expect(303);
        assert!(
            visitor
                .get("/me?lang=ru")
                .await
                .text
                .contains("ru@example.org")
        );
        // The badge: its QR is the registration's badge code.
        let code = app.get_as("/api/v1/registrations/me", token).await.body["badge_code"]
            .as_str()
            .unwrap()
            .to_owned();
        let badge = message
            .attachments()
            .find(|a| a.attachment_name() == Some("badge.png"))
            .expect("the badge attached");
        let image = image::load_from_memory(badge.contents())
            .unwrap()
            .to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare(image);
        let grids = prepared.detect_grids();
        assert_eq!(grids[0].decode().unwrap().1, code);
        // The calendar: the feed's UID and SEQUENCE, METHOD:PUBLISH.
        let ics = message
            .attachments()
            .find(|a| a.attachment_name() == Some("sessions.ics"))
            .expect("the sessions attached");
        let ics = String::from_utf8(ics.contents().to_vec()).unwrap();
        assert!(ics.contains("METHOD:PUBLISH"));
        let feed = app
            .get(&format!(
                "/api/v1/events/{id}/sessions/{}/calendar.ics",
                session.id()
            ))
            .await
            .text;
        let line = |text: &str, name: &str| {
            text.lines()
                .find(|l| l.starts_with(name))
                .map(str::to_owned)
                .unwrap_or_default()
        };
        assert_eq!(line(&ics, "UID:"), line(&feed, "UID:"));
        assert_eq!(line(&ics, "SEQUENCE:"), line(&feed, "SEQUENCE:"));
        // The outbox says it was sent, with its Message-ID.
        let listed = once_sent(&app, &id).await;
        let item = &listed["items"][0];
        assert_eq!(item["status"], "sent");
        assert_eq!(item["attempts"], 1);
        assert_eq!(item["recipient"], "ru@example.org");
        assert_eq!(
            item["message_id"].as_str(),
            message.message_id().map(|m| format!("<{m}>")).as_deref()
        );
        assert_eq!(listed["counts"]["sent"], 1);
        // Nothing in it names anyone else or carries another token.
        assert!(!text.contains("dlg_cal_") && !text.contains("dlg_org_"));
    }
);

smtp_test!(
    transient_refusals_are_retried_permanent_ones_kept,
    |app, server| async move {
        let event = app.published_event(json!({})).await;
        let id = event["id"].as_str().unwrap().to_owned();
        server.answer(&["451 4.3.0 Try again later", "451 4.3.0 Try again later"]);
        register(&app, &id, delegate("later@example.org", &[]))
            .await
            .expect(201);
        let received = server.wait_for(1, WAIT).await;
        assert_eq!(received.len(), 1);
        let listed = once_sent(&app, &id).await;
        assert_eq!(listed["items"][0]["status"], "sent");
        assert_eq!(listed["items"][0]["attempts"], 3, "451, 451, then accepted");
        // A permanent refusal: failed at once, with the reply, not retried.
        server.answer(&["550 5.1.1 No such user here"]);
        register(&app, &id, delegate("nobody@example.org", &[]))
            .await
            .expect(201);
        let mut failed = serde_json::Value::Null;
        for _ in 0..200 {
            let listed = app
                .get_as(
                    &format!("/api/v1/events/{id}/outbox?status=failed"),
                    &app.organizer,
                )
                .await;
            if let Some(item) = listed.body["items"].get(0) {
                failed = item.clone();
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(failed["status"], "failed");
        assert_eq!(failed["attempts"], 1);
        assert!(
            failed["last_error"].as_str().unwrap().contains("550"),
            "{failed}"
        );
        tokio::time::sleep(Duration::from_millis(800)).await;
        let again = app
            .get_as(
                &format!("/api/v1/events/{id}/outbox?status=failed"),
                &app.organizer,
            )
            .await;
        assert_eq!(again.body["items"][0]["attempts"], 1, "never retried");
        assert_eq!(server.received().len(), 1);
        // Sent again by an organizer, it arrives (the server accepts now).
        let resent = app
            .post(
                &format!(
                    "/api/v1/events/{id}/outbox/{}/resend",
                    failed["id"].as_str().unwrap()
                ),
                serde_json::Value::Null,
            )
            .await;
        resent.expect(200);
        assert_eq!(resent.body["status"], "queued");
        assert_eq!(server.wait_for(2, WAIT).await.len(), 2);
    }
);

smtp_test!(
    nothing_is_lost_while_the_server_is_down,
    |app, server| async move {
        let mut server = server;
        let event = app.published_event(json!({})).await;
        let id = event["id"].as_str().unwrap().to_owned();
        server.stop();
        for n in 0..3 {
            register(&app, &id, delegate(&format!("down{n}@example.org"), &[]))
                .await
                .expect(201);
        }
        // The sender tries and fails while the server is down; the messages stay queued.
        let mut waiting = serde_json::Value::Null;
        for _ in 0..400 {
            waiting = app
                .get_as(
                    &format!("/api/v1/events/{id}/outbox?status=queued"),
                    &app.organizer,
                )
                .await
                .body;
            let tried = waiting["items"]
                .as_array()
                .is_some_and(|items| items.iter().any(|m| m["last_error"].is_string()));
            if tried {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert_eq!(waiting["counts"]["queued"], 3);
        assert!(
            waiting["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["last_error"].is_string()),
            "the failed attempts are recorded"
        );
        server.resume();
        let received = server.wait_for(3, WAIT).await;
        assert_eq!(
            received.len(),
            3,
            "everything arrives when the server is back"
        );
    }
);

smtp_test!(
    a_message_claimed_by_a_dead_instance_is_sent_after_its_lease,
    |app, server| async move {
        let event = app.published_event(json!({})).await;
        let id = event["id"].as_str().unwrap().to_owned();
        let mut server = server;
        server.stop();
        register(&app, &id, delegate("lease@example.org", &[]))
            .await
            .expect(201);
        // Another instance claims it and dies before sending (its lease runs 2 s).
        let claimed =
            dialogue::store::outbox::claim(&app.state.writer, 10, chrono::Duration::seconds(2))
                .await
                .unwrap();
        let _ = claimed;
        server.resume();
        let received = server.wait_for(1, WAIT).await;
        assert_eq!(received.len(), 1, "sent once the lease ended");
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_send_every_message_exactly_once() {
    if crate::helpers::postgres_skipped() {
        return;
    }
    let Some(server) = SmtpServer::start() else {
        return;
    };
    run(Backend::Postgres, |db| async move {
        // Messages written while no instance sends.
        let writer = db.app().await;
        let event = writer.published_event(json!({"capacity": 100000})).await;
        let id = event["id"].as_str().unwrap().to_owned();
        let made = futures::future::join_all(
            (0..500).map(|n| register(&writer, &id, delegate(&format!("d{n}@example.org"), &[]))),
        )
        .await;
        assert!(made.iter().all(|r| r.status.as_u16() == 201));
        assert_eq!(writer.count_rows("outbox").await, 500);
        // Two instances on the one database send them.
        let one = db.app_with(|config| server.configure(config)).await;
        let two = db.app_with(|config| server.configure(config)).await;
        // Generous: on a loaded CI machine (browser tests beside it) 500 badges take a while.
        let received = server.wait_for(500, Duration::from_secs(400)).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let received_after = server.received();
        assert_eq!(received_after.len(), received.len());
        let ids: std::collections::HashSet<String> = received_after
            .iter()
            .map(|r| {
                MessageParser::default()
                    .parse(&r.raw)
                    .and_then(|m| m.message_id().map(str::to_owned))
                    .expect("a Message-ID")
            })
            .collect();
        assert_eq!(received_after.len(), 500, "every message arrives");
        assert_eq!(ids.len(), 500, "each exactly once");
        drop((one, two));
    })
    .await;
}

/// Authentication and TLS from the start (`smtps://user:pass@…`): the test message of
/// `dialogue mail test` arrives; a wrong password is refused and nothing arrives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtps_with_authentication_delivers_the_test_message() {
    let Some(server) = SmtpServer::start_with(Some(("dialogue", "s3cret pass")), true) else {
        return;
    };
    let server = &server;
    for backend in [Backend::Sqlite, Backend::Postgres] {
        run(backend, |db| async move {
            let app = db.app_with(|config| server.configure(config)).await;
            let transport =
                dialogue::mail::transport::Transport::from_config(&app.state.config.mail)
                    .unwrap()
                    .unwrap();
            dialogue::mail::sender::send_test(&app.state, &transport, "ops@example.org")
                .await
                .expect("the test message is sent");
            let received = server.wait_for(1, WAIT).await;
            assert_eq!(received.len(), 1);
            assert_eq!(received[0].envelope["authenticated"], json!(true));
            assert_eq!(received[0].envelope["tls"], json!(true));
            let message = MessageParser::default().parse(&received[0].raw).unwrap();
            assert_eq!(message.subject(), Some("Dialogue: test message"));
            let mut wrong = app.state.config.mail.clone();
            wrong.smtp_url = Some(format!("smtps://dialogue:wrong@127.0.0.1:{}", server.port));
            let transport = dialogue::mail::transport::Transport::from_config(&wrong)
                .unwrap()
                .unwrap();
            let refused =
                dialogue::mail::sender::send_test(&app.state, &transport, "ops@example.org").await;
            assert!(refused.is_err(), "a wrong password is refused");
            assert_eq!(server.received().len(), 1);
            std::fs::remove_file(server.dir.join("000001.eml")).ok();
        })
        .await;
    }
}

smtp_test!(
    a_moved_session_tells_what_changed_with_the_new_calendar_entry,
    |app, server| async move {
        let event = app.published_event(json!({"default_language": "en"})).await;
        let id = event["id"].as_str().unwrap().to_owned();
        let hall = app
            .post(
                &format!("/api/v1/events/{id}/rooms"),
                json!({"name": "Hall A"}),
            )
            .await;
        let annex = app
            .post(
                &format!("/api/v1/events/{id}/rooms"),
                json!({"name": "Annex"}),
            )
            .await;
        let session = app
            .create_session(
                &id,
                json!({"title": "Cloud lab", "capacity": 5, "room_id": hall.id()}),
            )
            .await;
        let mut body = delegate("moved@example.org", &[&session.id()]);
        body["locale"] = json!("en");
        register(&app, &id, body).await.expect(201);
        register(&app, &id, delegate("elsewhere@example.org", &[]))
            .await
            .expect(201);
        assert_eq!(server.wait_for(2, WAIT).await.len(), 2);
        app.patch(
            &format!("/api/v1/events/{id}/sessions/{}", session.id()),
            json!({"starts_at": "2026-11-18T15:00:00+05:00", "ends_at": "2026-11-18T16:00:00+05:00",
               "room_id": annex.id()}),
        )
        .await
        .expect(200);
        let received = server.wait_for(4, WAIT).await;
        assert_eq!(
            received.len(),
            4,
            "a time notice and a room notice, to the one delegate"
        );
        let notices: Vec<_> = received[2..]
            .iter()
            .map(|r| MessageParser::default().parse(&r.raw).unwrap())
            .collect();
        for notice in &notices {
            assert_eq!(
                notice
                    .to()
                    .and_then(|a| a.first())
                    .and_then(|a| a.address()),
                Some("moved@example.org")
            );
        }
        let subjects: Vec<_> = notices
            .iter()
            .filter_map(|n| n.subject().map(str::to_owned))
            .collect();
        assert!(
            subjects.contains(&"New time: Cloud lab".to_owned()),
            "{subjects:?}"
        );
        assert!(
            subjects.contains(&"New room: Cloud lab".to_owned()),
            "{subjects:?}"
        );
        let texts: Vec<String> = notices
            .iter()
            .map(|n| n.body_text(0).unwrap().into_owned())
            .collect();
        assert!(
            texts
                .iter()
                .any(|t| t.contains("09:00–10:00 → ") && t.contains("15:00–16:00")),
            "{texts:?}"
        );
        assert!(
            texts.iter().any(|t| t.contains("Room: Hall A → Annex")),
            "{texts:?}"
        );
        let feed = app
            .get(&format!(
                "/api/v1/events/{id}/sessions/{}/calendar.ics",
                session.id()
            ))
            .await
            .text;
        let sequence = feed
            .lines()
            .find(|l| l.starts_with("SEQUENCE:"))
            .unwrap()
            .to_owned();
        assert_ne!(sequence, "SEQUENCE:0");
        for notice in &notices {
            let ics = notice
                .attachments()
                .find(|a| a.attachment_name() == Some("sessions.ics"))
                .expect("the updated entry");
            let ics = String::from_utf8(ics.contents().to_vec()).unwrap();
            assert!(
                ics.lines().any(|l| l == sequence),
                "the feed's SEQUENCE: {ics}"
            );
        }
    }
);

db_test!(
    old_sent_messages_are_purged_failed_ones_stay,
    |app| async move {
        let event = app.published_event(json!({})).await;
        let id = event["id"].as_str().unwrap().to_owned();
        register(&app, &id, delegate("old@example.org", &[]))
            .await
            .expect(201);
        register(&app, &id, delegate("failed@example.org", &[]))
            .await
            .expect(201);
        let rows = dialogue::store::outbox::list(
            &app.state.db,
            uuid::Uuid::parse_str(&id).unwrap(),
            None,
            10,
        )
        .await
        .unwrap();
        let (sent, failed) = (&rows[1], &rows[0]);
        dialogue::store::outbox::mark_sent(&app.state.writer, sent.id, "old@example.org", "<a@b>")
            .await
            .unwrap();
        dialogue::store::outbox::mark_failed(&app.state.writer, failed.id, "550 no", None, None)
            .await
            .unwrap();
        let purged = dialogue::store::outbox::purge_sent(
            &app.state.writer,
            chrono::Utc::now() + chrono::Duration::seconds(1),
        )
        .await
        .unwrap();
        assert_eq!(purged, 1);
        let left = app
            .get_as(&format!("/api/v1/events/{id}/outbox"), &app.organizer)
            .await;
        assert_eq!(left.body["items"].as_array().unwrap().len(), 1);
        assert_eq!(left.body["items"][0]["status"], "failed");
    }
);

smtp_test!(
    an_issued_certificate_arrives_attached_in_the_delegates_language,
    |app, server| async move {
        let event = app
            .published_event(json!({"title": "Okuw", "kind": "training",
                                    "translations": {"ru": {"title": "Учебный курс"}}}))
            .await;
        let id = event["id"].as_str().unwrap().to_owned();
        let mut body = delegate("cert@example.org", &[]);
        body["locale"] = json!("ru");
        body["full_name"] = json!("Борис Петров");
        let made = register(&app, &id, body).await;
        made.expect(201);
        server.wait_for(1, WAIT).await;
        app.post(
            &format!("/api/v1/events/{id}/certificates/issue"),
            json!({"registration_ids": [made.id()], "override_reason": "attended elsewhere"}),
        )
        .await
        .expect(200);
        let received = server.wait_for(2, Duration::from_secs(60)).await;
        assert_eq!(received.len(), 2, "the confirmation, then the certificate");
        let message = MessageParser::default()
            .parse(&received[1].raw)
            .expect("a MIME message");
        assert_eq!(
            message.subject(),
            Some("Ваш сертификат об участии: Учебный курс")
        );
        let pdf = message
            .attachments()
            .find(|a| a.attachment_name() == Some("certificate.pdf"))
            .expect("the certificate attached");
        assert!(pdf.contents().starts_with(b"%PDF-"));
        assert_eq!(
            pdf.content_type().map(|t| t.ctype()),
            Some("application"),
            "a PDF part"
        );
    }
);
