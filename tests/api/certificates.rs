//! Certificates of attendance over HTTP on both stores: attendance computed from real
//! check-ins (door and venue, exits and re-entries, a session over two local days, the bar
//! exactly met and just missed), issuing once, overrides with a reason, revocation, the
//! verification API and page (only the fields named, a forged or altered code refused), the
//! PDFs checked by independent tools, and the counts.

use std::collections::BTreeSet;

use poem::http::Method;
use serde_json::{Value, json};

use crate::db_test;
use crate::helpers::TestApp;
use crate::print::{PdfFile, pdf_of, tools_present};
use crate::registrations::{delegate, register};

/// A training course with five training sessions and a talk (which does not count), and
/// four confirmed delegates whose check-ins give: Aýna all five (with an exit and a
/// re-entry), Борис three (misses the bar by one), Ogulgerek four (exactly 80 %), Dmitri none.
struct Course {
    event: String,
    slug: String,
    sessions: Vec<String>,
    delegates: Vec<(String, String)>,
}

const NAMES: [&str; 4] = [
    "Aýna Berdiýewa",
    "Борис Петров",
    "Ogulgerek Ýazmyradowa",
    "Dmitri Ivanov",
];

async fn course(app: &TestApp) -> Course {
    let event = app
        .published_event(json!({"kind": "training", "title": "Kiberhowpsuzlyk okuwy",
            "translations": {"ru": {"title": "Курс по кибербезопасности"}}}))
        .await;
    let id = event["id"].as_str().unwrap().to_owned();
    let slug = event["slug"].as_str().unwrap().to_owned();
    let mut sessions = Vec::new();
    for (title, from, to) in [
        (
            "Threat models",
            "2026-11-18T09:00:00+05:00",
            "2026-11-18T10:30:00+05:00",
        ),
        (
            "Incident response",
            "2026-11-18T11:00:00+05:00",
            "2026-11-18T12:30:00+05:00",
        ),
        (
            "Secure e-services",
            "2026-11-18T14:00:00+05:00",
            "2026-11-18T15:30:00+05:00",
        ),
        (
            "AI in public administration",
            "2026-11-19T09:00:00+05:00",
            "2026-11-19T10:30:00+05:00",
        ),
        (
            "Night exercise",
            "2026-11-18T23:00:00+05:00",
            "2026-11-19T01:00:00+05:00",
        ),
    ] {
        let reply = app
            .create_session(
                &id,
                json!({"title": title, "kind": "training", "starts_at": from, "ends_at": to}),
            )
            .await;
        reply.expect(201);
        sessions.push(reply.id());
    }
    app.create_session(
        &id,
        json!({"title": "Opening talk", "kind": "talk",
               "starts_at": "2026-11-18T08:00:00+05:00", "ends_at": "2026-11-18T08:30:00+05:00"}),
    )
    .await
    .expect(201);
    let mut delegates = Vec::new();
    for (i, name) in NAMES.iter().enumerate() {
        let mut body = delegate(&format!("cert{i}@example.org"), &[]);
        body["full_name"] = json!(name);
        body["organization"] = json!(if i < 2 { "Ministry A" } else { "Academy B" });
        body["locale"] = json!(["tk", "ru", "en", "ru"][i]);
        let reply = register(app, &id, body).await;
        reply.expect(201);
        delegates.push((
            reply.id(),
            reply.body["manage_token"].as_str().unwrap().to_owned(),
        ));
    }
    let scanner = app.checkin_token(&id).await;
    let code = |i: usize| {
        dialogue::app::badges::code_for(
            &app.state,
            id.parse().unwrap(),
            delegates[i].0.parse().unwrap(),
        )
    };
    let door = |i: usize, session: usize, direction: &str, at: &str| {
        json!({"code": code(i), "device": "door", "session_id": sessions[session],
               "direction": direction, "scanned_at": at})
    };
    let venue = |i: usize, at: &str| json!({"code": code(i), "device": "gate", "scanned_at": at});
    let mut scans = vec![
        // Aýna: the three doors (out and back in at the first), the venue on both days.
        door(0, 0, "entry", "2026-11-18T08:58:00+05:00"),
        door(0, 0, "exit", "2026-11-18T09:40:00+05:00"),
        door(0, 0, "entry", "2026-11-18T09:50:00+05:00"),
        door(0, 1, "entry", "2026-11-18T11:00:00+05:00"),
        door(0, 2, "entry", "2026-11-18T14:00:00+05:00"),
        venue(0, "2026-11-18T08:30:00+05:00"),
        venue(0, "2026-11-19T08:40:00+05:00"),
        // Борис: the three doors, the venue on the first day only (misses day two and the
        // night session, which runs into day two).
        door(1, 0, "entry", "2026-11-18T09:01:00+05:00"),
        door(1, 1, "entry", "2026-11-18T11:01:00+05:00"),
        door(1, 2, "entry", "2026-11-18T14:01:00+05:00"),
        venue(1, "2026-11-18T08:31:00+05:00"),
        // Ogulgerek: two doors and the venue on both days: four of five.
        door(2, 0, "entry", "2026-11-18T09:02:00+05:00"),
        door(2, 1, "entry", "2026-11-18T11:02:00+05:00"),
        venue(2, "2026-11-18T08:32:00+05:00"),
        venue(2, "2026-11-19T08:42:00+05:00"),
    ];
    // Dmitri is scanned nowhere.
    for body in scans.drain(..) {
        let reply = app
            .call(
                Method::POST,
                &format!("/api/v1/events/{id}/checkins"),
                Some(&scanner),
                Some(&body),
            )
            .await;
        assert_eq!(reply.body["result"], "ok", "{body} → {}", reply.text);
    }
    Course {
        event: id,
        slug,
        sessions,
        delegates,
    }
}

fn item<'a>(eligibility: &'a Value, registration: &str) -> &'a Value {
    eligibility["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["registration_id"] == registration)
        .expect("an item per confirmed registration")
}

db_test!(
    attendance_from_check_ins_decides_who_qualifies,
    |app| async move {
        let c = course(&app).await;
        let base = format!("/api/v1/events/{}/certificates", c.event);
        // Organizers only.
        app.get(&format!("{base}/eligibility"))
            .await
            .expect_problem(401);
        let rules = app.get_as(&format!("{base}/rules"), &app.organizer).await;
        rules.expect(200);
        assert_eq!(rules.body["min_share"], 0.8);
        assert_eq!(rules.body["attendance"], "auto");
        assert!(
            rules.body["session_ids"].is_null(),
            "default: training and workshops"
        );

        let seen = app
            .get_as(&format!("{base}/eligibility"), &app.organizer)
            .await;
        seen.expect(200);
        let (a, b, o, d) = (
            item(&seen.body, &c.delegates[0].0),
            item(&seen.body, &c.delegates[1].0),
            item(&seen.body, &c.delegates[2].0),
            item(&seen.body, &c.delegates[3].0),
        );
        assert_eq!(a["counted"], 5, "the talk does not count");
        assert_eq!(
            a["attended"].as_array().unwrap().len(),
            5,
            "an exit and re-entry count once"
        );
        assert_eq!(
            a["hours"], 8.0,
            "four of 90 minutes and the two-hour night session"
        );
        assert_eq!(a["qualifies"], true);
        assert_eq!(
            (b["attended"].as_array().unwrap().len(), &b["qualifies"]),
            (3, &json!(false))
        );
        assert_eq!(b["missing"], 1, "just missed");
        assert_eq!(o["share"], 0.8);
        assert_eq!(o["qualifies"], true, "exactly met");
        assert_eq!(
            (d["attended"].as_array().unwrap().len(), &d["missing"]),
            (0, &json!(4))
        );

        // Issuing: to those who qualify, once.
        let issued = app.post(&format!("{base}/issue"), json!({})).await;
        issued.expect(200);
        let items = issued.body["items"].as_array().unwrap().clone();
        assert_eq!(items.len(), 2);
        let numbers: BTreeSet<&str> = items
            .iter()
            .map(|i| i["number"].as_str().unwrap())
            .collect();
        let prefix = c.slug.split('-').next().unwrap().to_uppercase();
        assert!(
            numbers.contains(format!("{prefix}-2026-0001").as_str()),
            "{numbers:?}"
        );
        assert!(numbers.contains(format!("{prefix}-2026-0002").as_str()));
        let again = app.post(&format!("{base}/issue"), json!({})).await;
        again.expect(200);
        assert_eq!(
            again.body["items"],
            json!([]),
            "issuing twice issues nothing new"
        );
        // Борис misses the bar: only with a reason.
        let refused = app
            .post(
                &format!("{base}/issue"),
                json!({"registration_ids": [c.delegates[1].0]}),
            )
            .await;
        refused.expect_problem(422);
        assert_eq!(refused.error_fields(), ["override_reason"]);
        let forced = app
            .post(
                &format!("{base}/issue"),
                json!({"registration_ids": [c.delegates[1].0],
                   "override_reason": "attended day two in the other group"}),
            )
            .await;
        forced.expect(200);
        assert_eq!(
            forced.body["items"][0]["override_reason"],
            "attended day two in the other group"
        );
        assert_eq!(forced.body["items"][0]["hours"], 4.5);
        let listed = app.get_as(&base, &app.organizer).await;
        assert_eq!(listed.body["items"].as_array().unwrap().len(), 3);

        // Rules: the door only, the night session credited 3 hours, a higher bar.
        let put = app
            .call(
                Method::PUT,
                &format!("{base}/rules"),
                Some(&app.organizer),
                Some(&json!({"min_share": 1.0, "attendance": "door",
                         "hours": {c.sessions[4].clone(): 3.0},
                         "partners": ["UNDP", "E-Governance Academy"]})),
            )
            .await;
        put.expect(200);
        let door_only = app
            .get_as(&format!("{base}/eligibility"), &app.organizer)
            .await;
        let a = item(&door_only.body, &c.delegates[0].0);
        assert_eq!(
            a["attended"].as_array().unwrap().len(),
            3,
            "no door at the last two"
        );
        assert_eq!(a["qualifies"], false);
        // Bad rules change nothing.
        for bad in [
            json!({"min_share": 1.5}),
            json!({"min_share": 0.5, "session_ids": [uuid::Uuid::now_v7()]}),
            json!({"min_share": 0.5, "hours": {c.sessions[0].clone(): 30.0}}),
        ] {
            app.call(
                Method::PUT,
                &format!("{base}/rules"),
                Some(&app.organizer),
                Some(&bad),
            )
            .await
            .expect_problem(422);
        }
        let kept = app.get_as(&format!("{base}/rules"), &app.organizer).await;
        assert_eq!(kept.body["min_share"], 1.0);
        assert_eq!(
            kept.body["partners"],
            json!(["UNDP", "E-Governance Academy"])
        );
    }
);

db_test!(certificates_verify_revoke_and_print, |app| async move {
    let c = course(&app).await;
    let base = format!("/api/v1/events/{}/certificates", c.event);
    let issued = app.post(&format!("{base}/issue"), json!({})).await;
    issued.expect(200);
    let first = issued.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["registration_id"] == c.delegates[0].0)
        .unwrap()
        .clone();
    let code = first["code"].as_str().unwrap().to_owned();
    assert!(code.starts_with("C1"));

    // Anyone verifies; the answer names exactly the fields promised.
    let verified = app.get(&format!("/api/v1/certificates/{code}")).await;
    verified.expect(200);
    let keys: BTreeSet<&str> = verified
        .body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "ends_on",
            "erased",
            "event_title",
            "full_name",
            "hours",
            "revoked",
            "starts_on",
            "valid"
        ]
        .into_iter()
        .collect()
    );
    assert_eq!(verified.body["valid"], true);
    assert_eq!(verified.body["full_name"], NAMES[0]);
    assert_eq!(verified.body["hours"], 8.0);
    assert!(!verified.text.contains("example.org") && !verified.text.contains("Ministry"));
    // Altered, forged (a badge code) and unknown codes are refused.
    let mut altered = code.clone().into_bytes();
    altered[50] = if altered[50] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap();
    app.get(&format!("/api/v1/certificates/{altered}"))
        .await
        .expect_problem(404);
    let badge = dialogue::app::badges::code_for(
        &app.state,
        c.event.parse().unwrap(),
        c.delegates[0].0.parse().unwrap(),
    );
    app.get(&format!("/api/v1/certificates/{badge}"))
        .await
        .expect_problem(404);
    app.get("/api/v1/certificates/C1AAAA")
        .await
        .expect_problem(404);
    // Offline: the published key verifies the code's signature.
    let keys = app.get("/api/v1/certificate-keys").await;
    keys.expect(200);
    let public = keys.body["keys"][0]["public_key"].as_str().unwrap();
    let key =
        ed25519_dalek::VerifyingKey::from_bytes(&hex_bytes(public).try_into().expect("32 bytes"))
            .unwrap();
    let claims = dialogue::domain::certificate::verify_code(&code, |_| Some(key)).unwrap();
    assert_eq!(claims.minutes, 480);

    // The page, in three languages.
    for (lang, word) in [("tk", "hakyky"), ("ru", "подлинный"), ("en", "genuine")] {
        let page = app.get(&format!("/verify/{code}?lang={lang}")).await;
        page.expect(200);
        assert!(page.text.contains(word), "{lang}: {}", page.text);
        assert!(page.text.contains(NAMES[0]));
        assert!(!page.text.contains("example.org"));
    }
    app.get(&format!("/verify/{altered}?lang=en"))
        .await
        .expect(404);

    // PDFs: the delegate's own and the organizer's all-in-one (Борис's by override).
    app.post(
        &format!("{base}/issue"),
        json!({"registration_ids": [c.delegates[1].0], "override_reason": "excused"}),
    )
    .await
    .expect(200);
    let mine = app
        .get_as(
            "/api/v1/registrations/me/certificate.pdf",
            &c.delegates[0].1,
        )
        .await;
    let mine = pdf_of(&mine);
    app.get_as(
        "/api/v1/registrations/me/certificate.pdf",
        &c.delegates[3].1,
    )
    .await
    .expect_problem(409);
    let all = app
        .get_as(
            &format!("/api/v1/events/{}/certificates.pdf", c.event),
            &app.organizer,
        )
        .await;
    let all = pdf_of(&all);
    if tools_present() {
        let _heavy = crate::helpers::CPU_HEAVY.lock().await;
        let pdf = PdfFile::new(&mine);
        let (pages, size) = pdf.check();
        assert_eq!(pages, 1);
        assert!(
            (size.0 - 841.89).abs() < 1.0 && (size.1 - 595.28).abs() < 1.0,
            "A4 landscape: {size:?}"
        );
        let text = pdf.text();
        assert!(text.contains(NAMES[0]), "{text}");
        assert!(
            text.contains("Okuwy tamamlandygy barada şahadatnama"),
            "in Turkmen: {text}"
        );
        assert!(text.contains("Threat models"));
        let link = format!(
            "{}/verify/{code}",
            app.state.config.public_url.trim_end_matches('/')
        );
        assert_eq!(pdf.qr_codes(), [link].into_iter().collect());
        let both = PdfFile::new(&all);
        assert_eq!(both.check().0, 3);
        let text = both.text();
        for expected in [
            "Ogulgerek Ýazmyradowa",
            "Certificate of completion",
            "Борис Петров",
            "Сертификат о прохождении обучения",
        ] {
            assert!(text.contains(expected), "{expected} not in {text}");
        }
    }

    // Revoked: says so, and no longer prints.
    let number = first["number"].as_str().unwrap();
    app.post(
        &format!("{base}/{number}/revoke"),
        json!({"reason": "issued by mistake"}),
    )
    .await
    .expect(200);
    let revoked = app.get(&format!("/api/v1/certificates/{code}")).await;
    revoked.expect(200);
    assert_eq!(
        (&revoked.body["valid"], &revoked.body["revoked"]),
        (&json!(false), &json!(true))
    );
    let page = app.get(&format!("/verify/{code}?lang=en")).await;
    assert!(page.text.contains("revoked"));
    app.get_as(
        "/api/v1/registrations/me/certificate.pdf",
        &c.delegates[0].1,
    )
    .await
    .expect_problem(409);
    app.post(&format!("{base}/NO-SUCH/revoke"), json!({}))
        .await
        .expect_problem(404);
});

db_test!(counts_by_organization_and_category, |app| async move {
    let c = course(&app).await;
    let base = format!("/api/v1/events/{}/certificates", c.event);
    app.post(&format!("{base}/issue"), json!({}))
        .await
        .expect(200);
    let stats = app.get_as(&format!("{base}/stats"), &app.organizer).await;
    stats.expect(200);
    assert_eq!(
        stats.body["total"],
        json!({"registered": 4, "attended": 3, "certified": 2, "hours": 14.5})
    );
    assert_eq!(stats.body["by_organization"]["Ministry A"]["certified"], 1);
    assert_eq!(stats.body["by_organization"]["Academy B"]["attended"], 1);
    assert_eq!(stats.body["by_category"]["delegate"]["registered"], 4);
    app.get(&format!("{base}/stats")).await.expect_problem(401);
});

fn hex_bytes(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

db_test!(
    erasure_revokes_the_certificate_and_retires_the_calendar_link,
    |app| async move {
        let c = course(&app).await;
        let base = format!("/api/v1/events/{}/certificates", c.event);
        let issued = app.post(&format!("{base}/issue"), json!({})).await;
        issued.expect(200);
        let code = issued.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["registration_id"] == c.delegates[0].0)
            .unwrap()["code"]
            .as_str()
            .unwrap()
            .to_owned();
        let registration = app
            .get_as(
                &format!(
                    "/api/v1/events/{}/registrations/{}",
                    c.event, c.delegates[0].0
                ),
                &app.organizer,
            )
            .await;
        let calendar = registration.body["calendar_url"]
            .as_str()
            .unwrap()
            .to_owned();
        let calendar = &calendar[calendar.find("/api/").unwrap()..];
        app.get(calendar).await.expect(200);
        app.delete(&format!(
            "/api/v1/events/{}/registrations/{}",
            c.event, c.delegates[0].0
        ))
        .await
        .expect(204);
        // The certificate no longer vouches for anyone: revoked, with why, and no name.
        let verified = app.get(&format!("/api/v1/certificates/{code}")).await;
        verified.expect(200);
        assert_eq!(verified.body["valid"], false);
        assert_eq!(verified.body["revoked"], true);
        assert_eq!(verified.body["erased"], true);
        assert_eq!(verified.body["full_name"], "");
        let page = app.get(&format!("/verify/{code}?lang=en")).await;
        page.expect(200);
        assert!(
            page.text.contains("personal data was erased"),
            "{}",
            page.text
        );
        assert!(!page.text.contains(NAMES[0]));
        let listed = app.get_as(&base, &app.organizer).await;
        let revoked = listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["code"] == code.as_str())
            .unwrap()
            .clone();
        assert_eq!(revoked["revoke_reason"], "holder's data erased");
        // The personal calendar link is gone.
        app.get(calendar).await.expect_problem(404);
        // The others' certificates still stand.
        let others = issued.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["registration_id"] != c.delegates[0].0)
            .unwrap()["code"]
            .as_str()
            .unwrap()
            .to_owned();
        let other = app.get(&format!("/api/v1/certificates/{others}")).await;
        assert_eq!(other.body["valid"], true);
    }
);

db_test!(
    the_delegates_page_offers_the_certificate,
    |app| async move {
        let c = course(&app).await;
        let mut visitor = crate::visitor::Visitor::new(&app);
        visitor
            .get(&format!("/r/{}", c.delegates[0].1))
            .await
            .expect(303);
        let before = visitor.get("/me?lang=en").await;
        before.expect(200);
        assert!(
            !before.text.contains("/me/certificate.pdf"),
            "none issued yet"
        );
        visitor.get("/me/certificate.pdf").await.expect(404);
        app.post(
            &format!("/api/v1/events/{}/certificates/issue", c.event),
            json!({}),
        )
        .await
        .expect(200);
        let after = visitor.get("/me?lang=en").await;
        assert!(after.text.contains("/me/certificate.pdf"));
        assert!(after.text.contains("8 hours"), "{}", after.text);
        let pdf = visitor.get("/me/certificate.pdf").await;
        pdf.expect(200);
        assert_eq!(pdf.header("content-type"), Some("application/pdf"));
        assert!(pdf.raw.starts_with(b"%PDF-"));
        assert_eq!(pdf.header("cache-control"), Some("no-store"));
    }
);
