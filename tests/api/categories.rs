//! Categories per event: which the public may choose (defaults `delegate` and `observer`),
//! set by organizers with `PUT …/categories`; a public registration in another category is
//! 422 naming `category`, by the API and by the form, and changes nothing; organizers may
//! register anyone in any category; the form offers only the public ones, in the event's own
//! names.

use poem::http::Method;
use serde_json::json;

use crate::db_test;
use crate::helpers::TestApp;
use crate::registrations::{delegate, register};
use crate::visitor::{Visitor, field};

async fn open_event(app: &TestApp) -> (String, String) {
    let event = app.published_event(json!({"capacity": null})).await;
    (
        event["id"].as_str().unwrap().to_owned(),
        event["slug"].as_str().unwrap().to_owned(),
    )
}

fn with_category(email: &str, category: &str) -> serde_json::Value {
    let mut body = delegate(email, &[]);
    body["category"] = json!(category);
    body
}

db_test!(
    the_public_chooses_only_public_categories,
    |app| async move {
        let (event, _) = open_event(&app).await;
        let listed = app.get(&format!("/api/v1/events/{event}/categories")).await;
        listed.expect(200);
        let public: Vec<&str> = listed
            .body
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["public"] == true)
            .map(|c| c["key"].as_str().unwrap())
            .collect();
        assert_eq!(public, ["delegate", "observer"]);
        assert_eq!(listed.body.as_array().unwrap().len(), 6);
        for (n, category) in ["speaker", "organizer", "press", "staff"]
            .iter()
            .enumerate()
        {
            let reply = register(
                &app,
                &event,
                with_category(&format!("p{n}@example.org"), category),
            )
            .await;
            reply.expect_problem(422);
            assert_eq!(reply.error_fields(), ["category"], "{category}");
        }
        // A forged organizer token is the public.
        let forged = app
            .call(
                Method::POST,
                &format!("/api/v1/events/{event}/registrations"),
                Some("dlg_org_forgedforgedforgedforgedforgedforged"),
                Some(&with_category("forged@example.org", "speaker")),
            )
            .await;
        assert_ne!(forged.status.as_u16(), 201, "{}", forged.text);
        assert_eq!(
            app.count_rows("registrations").await,
            0,
            "nothing registered"
        );
        register(&app, &event, with_category("o@example.org", "observer"))
            .await
            .expect(201);
        // Organizers register anyone in any category.
        let speaker = app
            .call(
                Method::POST,
                &format!("/api/v1/events/{event}/registrations"),
                Some(&app.organizer),
                Some(&with_category("speaker@example.org", "speaker")),
            )
            .await;
        speaker.expect(201);
        assert_eq!(speaker.body["status"], "confirmed");
    }
);

db_test!(
    organizers_set_the_categories_and_the_form_follows,
    |app| async move {
        let (event, slug) = open_event(&app).await;
        let path = format!("/api/v1/events/{event}/categories");
        // Only organizers set them; bad input names each field and changes nothing.
        app.call(Method::PUT, &path, None, Some(&json!([])))
            .await
            .expect_problem(401);
        let scanner = app.checkin_token(&event).await;
        app.call(Method::PUT, &path, Some(&scanner), Some(&json!([])))
            .await
            .expect_problem(403);
        let bad = app
            .call(
                Method::PUT,
                &path,
                Some(&app.organizer),
                Some(&json!([
                    {"key": "press", "public": true, "color": "blue"},
                    {"key": "press"},
                    {"key": "vip", "public": true},
                    {"key": "delegate", "translations": {"de": "Teilnehmer"}}
                ])),
            )
            .await;
        bad.expect_problem(422);
        assert_eq!(
            bad.error_fields(),
            ["[0].color", "[1].key", "[2].key", "[3].translations.de"]
        );
        assert_eq!(app.count_rows("event_categories").await, 0);
        // Press becomes public, with its own names; delegates are now invited only.
        let set = app
            .call(
                Method::PUT,
                &path,
                Some(&app.organizer),
                Some(&json!([
                    {"key": "press", "public": true, "color": "#AA3300",
                     "translations": {"ru": "Журналист", "tk": "Žurnalist", "en": "Journalist"}},
                    {"key": "observer", "public": true}
                ])),
            )
            .await;
        set.expect(200);
        assert_eq!(set.body[0]["key"], "press");
        assert_eq!(set.body[0]["color"], "#aa3300");
        assert_eq!(set.body.as_array().unwrap().len(), 6);
        let read = app.get(&path).await;
        assert_eq!(read.body, set.body);
        register(&app, &event, with_category("press@example.org", "press"))
            .await
            .expect(201);
        let refused = register(&app, &event, with_category("d@example.org", "delegate")).await;
        refused.expect_problem(422);
        assert_eq!(refused.error_fields(), ["category"]);

        // The form offers press (in the page's language) and observer, nothing else.
        let mut visitor = Visitor::new(&app);
        let form = visitor
            .get(&format!("/events/{slug}/register?lang=ru"))
            .await;
        form.expect(200);
        assert!(
            form.text.contains(r#"<option value="press""#),
            "{}",
            form.text
        );
        assert!(form.text.contains("Журналист"));
        assert!(form.text.contains(r#"<option value="observer""#));
        for hidden in ["delegate", "speaker", "organizer", "staff"] {
            assert!(
                !form.text.contains(&format!(r#"<option value="{hidden}""#)),
                "{hidden} offered"
            );
        }
        // A category not offered, posted anyway: the form again with its error, nothing kept.
        let before = app.count_rows("registrations").await;
        let csrf = field(&form.text, "csrf_token");
        let key = field(&form.text, "idempotency_key");
        let posted = visitor
            .post(
                &format!("/events/{slug}/register?lang=en"),
                &[
                    ("csrf_token", &csrf),
                    ("idempotency_key", &key),
                    ("full_name", "Merdan Annaýew"),
                    ("email", "merdan@example.org"),
                    ("category", "speaker"),
                    ("locale", "tk"),
                    ("consent", "true"),
                ],
            )
            .await;
        posted.expect(422);
        assert!(posted.text.contains("error-category"), "{}", posted.text);
        assert_eq!(app.count_rows("registrations").await, before);

        // Drafts' categories are not shown to the public.
        let draft = app.create_event(json!({})).await;
        let draft = draft["id"].as_str().unwrap();
        app.get(&format!("/api/v1/events/{draft}/categories"))
            .await
            .expect_problem(404);
        app.get_as(
            &format!("/api/v1/events/{draft}/categories"),
            &app.organizer,
        )
        .await
        .expect(200);
    }
);

db_test!(
    organizers_set_the_categories_in_the_console,
    |app| async move {
        let (event, slug) = open_event(&app).await;
        let mut visitor = Visitor::new(&app);
        crate::console::sign_in(&mut visitor, &app.organizer)
            .await
            .expect(303);
        let path = format!("/admin/events/{slug}/categories");
        let page = visitor.get(&format!("{path}?lang=en")).await;
        page.expect(200);
        assert!(
            page.text.contains("The public may choose it"),
            "{}",
            page.text
        );
        assert!(page.text.contains(r#"name="public_delegate" checked"#));
        assert!(!page.text.contains(r#"name="public_speaker" checked"#));
        let csrf = field(&page.text, "csrf_token");
        // A bad colour: the form again with its error and the values typed; nothing kept.
        let refused = visitor
            .post(
                &format!("{path}?lang=en"),
                &[
                    ("csrf_token", &csrf),
                    ("public_delegate", "on"),
                    ("public_press", "on"),
                    ("color_press", "orange"),
                    ("name_press_ru", "Журналист"),
                ],
            )
            .await;
        refused.expect(422);
        assert!(
            refused.text.contains("the colour must look like #1f6feb"),
            "{}",
            refused.text
        );
        assert!(refused.text.contains(r#"value="orange""#));
        assert!(refused.text.contains("Журналист"));
        assert_eq!(app.count_rows("event_categories").await, 0);
        // Without the CSRF token nothing changes.
        visitor
            .post(&path, &[("public_speaker", "on")])
            .await
            .expect(403);
        assert_eq!(app.count_rows("event_categories").await, 0);
        let saved = visitor
            .post(
                &path,
                &[
                    ("csrf_token", &csrf),
                    ("public_delegate", "on"),
                    ("public_press", "on"),
                    ("color_press", "#AA3300"),
                    ("name_press_ru", "Журналист"),
                ],
            )
            .await;
        saved.expect(303);
        let read = app.get(&format!("/api/v1/events/{event}/categories")).await;
        let press = read
            .body
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["key"] == "press")
            .unwrap()
            .clone();
        assert_eq!(press["public"], true);
        assert_eq!(press["color"], "#aa3300");
        assert_eq!(press["translations"]["ru"], "Журналист");
        let observer = read
            .body
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["key"] == "observer")
            .unwrap()
            .clone();
        assert_eq!(observer["public"], false, "unticked: not public any more");
        // The public form follows at once.
        register(&app, &event, with_category("p@example.org", "press"))
            .await
            .expect(201);
        register(&app, &event, with_category("o@example.org", "observer"))
            .await
            .expect_problem(422);
    }
);

db_test!(
    badges_wear_the_events_colour_and_name_of_the_category,
    |app| async move {
        let (event, _) = open_event(&app).await;
        let mut body = with_category("press@example.org", "press");
        body["locale"] = json!("ru");
        let made = app
            .call(
                Method::POST,
                &format!("/api/v1/events/{event}/registrations"),
                Some(&app.organizer),
                Some(&body),
            )
            .await;
        made.expect(201);
        let id = made.id();
        let badge = format!("/api/v1/events/{event}/registrations/{id}/badge.svg");
        let before = app.get_as(&badge, &app.organizer).await;
        before.expect(200);
        assert!(
            before.text.contains("#F39C12"),
            "the standard colour of press"
        );
        app.call(
            Method::PUT,
            &format!("/api/v1/events/{event}/categories"),
            Some(&app.organizer),
            Some(&json!([{"key": "press", "color": "#AA3300",
                          "translations": {"ru": "Журналист"}}])),
        )
        .await
        .expect(200);
        let after = app.get_as(&badge, &app.organizer).await;
        after.expect(200);
        assert!(after.text.contains("#aa3300"), "{}", after.text);
        assert!(after.text.contains("ЖУРНАЛИСТ"), "{}", after.text);
        assert!(!after.text.contains("#F39C12"));
    }
);
