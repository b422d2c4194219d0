//! The organizers' console in a real browser: an organizer signs in, creates an event with a
//! room, a speaker and two sessions (the clash is shown, then kept on purpose), publishes it
//! and finds the sessions on the public agenda; approves a pending registration and the
//! delegate's `/me` says confirmed; creates a scanner token whose pairing QR, read off the
//! page, opens a paired scanner. axe-core checks every console page on the way; screenshots
//! at 360 px and on a desktop width go to `target/screenshots/`.

use fantoccini::{Client, Locator};
use serde_json::Value;

use super::harness::screenshot;
use super::{accessible, click, follow, path_of, script, type_into};

/// Sets a form control's value as a date or time picker would.
async fn set_value(client: &Client, css: &str, value: &str) {
    let js = format!("document.querySelector({css:?}).value = {value:?};");
    script(client, &js).await;
}

async fn select(client: &Client, css: &str, value: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|err| panic!("{css}: {err}"))
        .select_by_value(value)
        .await
        .unwrap_or_else(|err| panic!("select {value} in {css}: {err}"));
}

async fn page_text(client: &Client) -> String {
    script(client, "return document.body.innerText;")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The whole organizer's journey; `organizer` is a valid organizer token.
pub async fn organizer_journey(
    client: &Client,
    base: &str,
    state: &dialogue::AppState,
    organizer: &str,
) {
    client.delete_all_cookies().await.expect("a new browser");
    client
        .goto(&format!("{base}/admin?lang=en"))
        .await
        .expect("the console");
    accessible(client, "console sign-in").await;
    type_into(client, "#field-token", "dlg_org_wrong").await;
    follow(client, "main form button[type=submit]").await;
    let invalid = client
        .find(Locator::Css("#field-token"))
        .await
        .expect("the token field");
    assert_eq!(
        invalid.attr("aria-invalid").await.expect("attr").as_deref(),
        Some("true")
    );
    accessible(client, "console sign-in with an error").await;
    type_into(client, "#field-token", organizer).await;
    follow(client, "main form button[type=submit]").await;
    assert_eq!(path_of(client).await, "/admin");
    accessible(client, "console events").await;
    screenshot(client, "console-events-360").await;

    // A new event, texts in three languages.
    follow(client, "a[href='/admin/events/new']").await;
    accessible(client, "new event form").await;
    type_into(client, "#field-title", "Sanly howpsuzlyk boýunça maslahat").await;
    type_into(
        client,
        "#field-title_ru",
        "Совещание по цифровой безопасности",
    )
    .await;
    type_into(client, "#field-title_en", "Meeting on digital security").await;
    type_into(client, "#field-slug", "security-meeting").await;
    set_value(client, "#field-starts_on", "2026-12-10").await;
    set_value(client, "#field-ends_on", "2026-12-11").await;
    select(client, "#field-registration_mode", "approval").await;
    follow(client, "main form.stacked button[type=submit]").await;
    assert!(
        path_of(client)
            .await
            .starts_with("/admin/events/security-meeting")
    );
    accessible(client, "event overview").await;

    // A room and a speaker.
    follow(client, "a[href='/admin/events/security-meeting/programme']").await;
    accessible(client, "programme").await;
    click(client, "#rooms summary").await;
    type_into(client, "#field-rooms-name", "Mejlis zaly").await;
    follow(client, "#rooms form button[type=submit]").await;
    click(client, "#speakers summary").await;
    type_into(client, "#field-speakers-full_name", "Aýna Berdiýewa").await;
    follow(client, "#speakers form button[type=submit]").await;
    let text = page_text(client).await;
    assert!(
        text.contains("Mejlis zaly") && text.contains("Aýna Berdiýewa"),
        "{text}"
    );
    accessible(client, "programme with items").await;

    // Two sessions in the room at overlapping times.
    let add_session = |title: &'static str, starts: &'static str, ends: &'static str| async move {
        client
            .goto(&format!(
                "{base}/admin/events/security-meeting/sessions/new?lang=en"
            ))
            .await
            .expect("new session");
        type_into(client, "#field-title", title).await;
        set_value(client, "#field-starts", starts).await;
        set_value(client, "#field-ends", ends).await;
        let room = script(
            client,
            "return document.querySelector('#field-room_id option:nth-child(2)').value;",
        )
        .await;
        select(client, "#field-room_id", room.as_str().expect("the room")).await;
        select(client, "#field-status", "published").await;
        click(client, "input[name=speaker_ids]").await;
        follow(client, "main form.stacked button[type=submit]").await;
    };
    add_session("Threat briefing", "09:00", "10:00").await;
    assert!(path_of(client).await.contains("/sessions?day=2026-12-10"));
    add_session("Tabletop exercise", "09:30", "10:30").await;
    // The clash is named, and the overlap can be kept.
    let summary = client
        .find(Locator::Css("[role=alert]"))
        .await
        .expect("the clash is announced");
    assert!(!summary.text().await.expect("text").is_empty());
    let clash_text = page_text(client).await;
    assert!(clash_text.contains("Threat briefing"), "{clash_text}");
    accessible(client, "session form with a clash").await;
    screenshot(client, "console-clash-360").await;
    click(client, "#field-keep_overlap").await;
    follow(client, "main form.stacked button[type=submit]").await;
    assert!(path_of(client).await.contains("/sessions?day=2026-12-10"));
    let marked = script(
        client,
        "return document.querySelectorAll('td.slot.clash').length;",
    )
    .await;
    assert_eq!(
        marked,
        Value::from(2),
        "both sessions are marked as clashing"
    );
    accessible(client, "day view").await;
    client
        .set_window_size(1280, 900)
        .await
        .expect("a desktop window");
    screenshot(client, "console-day-view-desktop").await;
    client
        .set_window_size(360, 780)
        .await
        .expect("a phone window");

    // Published, the sessions are on the public agenda.
    client
        .goto(&format!("{base}/admin/events/security-meeting?lang=en"))
        .await
        .expect("overview");
    follow(
        client,
        "form[action$='/status'] input[value=published] ~ button",
    )
    .await;
    client
        .goto(&format!("{base}/events/security-meeting/agenda?lang=en"))
        .await
        .expect("the public agenda");
    let agenda = page_text(client).await;
    assert!(
        agenda.contains("Threat briefing") && agenda.contains("Tabletop exercise"),
        "{agenda}"
    );

    // A pending registration approved; the delegate's page says confirmed.
    let request = dialogue::domain::registration::RegistrationRequest {
        full_name: "Gülşat Ňazowa".into(),
        email: "gulshat@example.org".into(),
        organization: Some("Ministry of Foreign Affairs".into()),
        position: None,
        country: None,
        category: dialogue::domain::enums::Category::Delegate,
        session_ids: vec![],
        locale: "tk".into(),
        consent: true,
    };
    let manage_token = match dialogue::app::registrations::register(
        state,
        dialogue::app::principal::Audience::Public,
        "security-meeting",
        request,
        None,
    )
    .await
    .expect("a registration")
    {
        dialogue::app::registrations::Registration::Created {
            manage_token, row, ..
        } => {
            assert_eq!(row.registration.status.as_str(), "pending");
            manage_token
        }
        _ => panic!("a new registration"),
    };
    client
        .goto(&format!(
            "{base}/admin/events/security-meeting/registrations?status=pending&lang=en"
        ))
        .await
        .expect("registrations");
    accessible(client, "registrations").await;
    screenshot(client, "console-registrations-360").await;
    click(client, "input[name=ids]").await;
    follow(client, "button[name=action][value=approve]").await;
    let done = page_text(client).await;
    assert!(done.contains("Approved: 1"), "{done}");
    client
        .goto(&format!(
            "{base}/admin/events/security-meeting/registrations?lang=en"
        ))
        .await
        .expect("every registration");
    follow(client, "table.registrations a").await;
    let page = page_text(client).await;
    assert!(
        page.contains("Gülşat Ňazowa") && page.contains("Confirmed"),
        "{page}"
    );
    accessible(client, "delegate's page in the console").await;
    client
        .goto(&format!("{base}/r/{manage_token}"))
        .await
        .expect("the delegate's link");
    // This browser holds another registration already: the link asks before replacing it.
    if client
        .find(Locator::Css("button[value=linked]"))
        .await
        .is_ok()
    {
        accessible(client, "the question before replacing a registration").await;
        follow(client, "button[value=linked]").await;
    }
    let status = client
        .find(Locator::Css("[data-status]"))
        .await
        .expect("status");
    assert_eq!(
        status.attr("data-status").await.expect("attr").as_deref(),
        Some("confirmed")
    );

    // A scanner token: its QR, read off the page, pairs the scanner.
    client
        .goto(&format!(
            "{base}/admin/events/security-meeting/doors?lang=en"
        ))
        .await
        .expect("doors");
    accessible(client, "doors").await;
    type_into(client, "#field-label", "Main entrance").await;
    follow(client, "form[action$='/doors'] button[type=submit]").await;
    accessible(client, "doors with a pairing QR").await;
    screenshot(client, "console-pairing-360").await;
    let svg = script(
        client,
        "return document.querySelector('svg.pairing-qr').outerHTML;",
    )
    .await;
    let link = crate::helpers::decode_qr_svg(svg.as_str().expect("the QR"));
    assert!(
        link.starts_with(base) && link.contains("/scan#token=dlg_chk_"),
        "{link}"
    );
    client.goto(&link).await.expect("the pairing link");
    // This browser was paired with another event before: the scanner asks, and the organizer
    // replaces the pairing on purpose.
    let asked = script(client, "return !document.getElementById('repair').hidden;").await;
    if asked == Value::Bool(true) {
        click(client, "#repair-yes").await;
        for _ in 0..50 {
            let event = script(
                client,
                "const s = JSON.parse(localStorage.getItem('dialogue.scanner') || 'null'); \
                 return s && s.event;",
            )
            .await;
            if event == "security-meeting" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    let paired = script(
        client,
        "const s = JSON.parse(localStorage.getItem('dialogue.scanner') || 'null'); \
         return s && s.event;",
    )
    .await;
    assert_eq!(
        paired,
        Value::from("security-meeting"),
        "the scanner is paired"
    );

    // The remaining console pages pass axe too.
    for page in ["outbox", "print", "sessions/new", "categories"] {
        client
            .goto(&format!(
                "{base}/admin/events/security-meeting/{page}?lang=ru"
            ))
            .await
            .expect(page);
        accessible(client, &format!("console {page} (ru)")).await;
        if page == "categories" {
            screenshot(client, "console-categories-ru-360").await;
        }
    }
    client
        .goto(&format!(
            "{base}/admin/events/security-meeting/programme?lang=tk"
        ))
        .await
        .expect("programme in Turkmen");
    accessible(client, "console programme (tk)").await;

    // Certificates: the console page, a certificate issued by override through its form,
    // and the public verification page of its code.
    client
        .goto(&format!(
            "{base}/admin/events/security-meeting/certificates?lang=ru"
        ))
        .await
        .expect("certificates");
    accessible(client, "console certificates (ru)").await;
    type_into(
        client,
        "form.inline input[name=override_reason]",
        "attended the other group",
    )
    .await;
    follow(client, "form.inline button[type=submit]").await;
    let text = page_text(client).await;
    assert!(text.contains("SECURITY-2026-0001"), "issued: {text}");
    accessible(client, "console certificates after issuing (ru)").await;
    screenshot(client, "console-certificates-360").await;
    let (_, issued) = dialogue::app::certificates::list(state, "security-meeting")
        .await
        .expect("the certificates");
    let code = issued[0].code.clone();
    for lang in ["tk", "ru", "en"] {
        client
            .goto(&format!("{base}/verify/{code}?lang={lang}"))
            .await
            .expect("the verification page");
        accessible(client, &format!("verification page ({lang})")).await;
    }
    screenshot(client, "verify-360").await;
    client
        .goto(&format!("{base}/verify/C1FORGED?lang=en"))
        .await
        .expect("an unknown code");
    assert!(
        page_text(client)
            .await
            .contains("No certificate has this code")
    );
    accessible(client, "verification page, unknown code").await;
}
