//! The printed PDFs, checked by independent tools (poppler-utils and qpdf, installed by
//! `.ci/ensure-pdf-tools`): badge sheets (A4, four badges a page), one badge (A6, for the
//! delegate and for organizers) and the agenda (A4, in the language asked). `qpdf --check`
//! passes, `pdfinfo` gives the pages and size, `pdffonts` shows every font embedded,
//! `pdftotext` finds the Turkmen and Cyrillic names and the session titles, and every badge's
//! QR code in a 150 dpi `pdftoppm` rendering decodes to that badge's code. Who may print what,
//! the filters, and refusals are checked over HTTP on both stores.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;

use crate::db_test;
use crate::helpers::{Reply, TestApp};
use crate::registrations::delegate;

/// Whether an external tool can be run; with `CI=true` a missing tool fails the test.
pub(crate) fn tools_present() -> bool {
    let present = ["qpdf", "pdfinfo", "pdffonts", "pdftotext", "pdftoppm"]
        .iter()
        .all(|tool| Command::new(tool).arg("-v").output().is_ok());
    if !present && std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("the PDF checkers are missing: run `bash .ci/ensure-pdf-tools`");
    }
    if !present {
        eprintln!(
            "skipping the PDF checks: poppler-utils or qpdf missing (bash .ci/ensure-pdf-tools)"
        );
    }
    present
}

/// A PDF written to a temporary file for the tools.
pub(crate) struct PdfFile {
    dir: PathBuf,
    path: PathBuf,
}

impl PdfFile {
    pub(crate) fn new(bytes: &[u8]) -> PdfFile {
        let dir =
            std::env::temp_dir().join(format!("dialogue-pdf-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("doc.pdf");
        std::fs::write(&path, bytes).unwrap();
        PdfFile { dir, path }
    }

    fn run(&self, tool: &str, args: &[&str]) -> String {
        let output = Command::new(tool)
            .args(args)
            .arg(&self.path)
            .args(if tool == "pdftotext" {
                vec!["-"]
            } else {
                vec![]
            })
            .output()
            .unwrap_or_else(|err| panic!("{tool}: {err}"));
        assert!(
            output.status.success(),
            "{tool} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// `qpdf --check` passes and `pdffonts` lists only embedded fonts; answers the page count
    /// and size in points.
    pub(crate) fn check(&self) -> (u32, (f64, f64)) {
        self.run("qpdf", &["--check"]);
        let fonts = self.run("pdffonts", &[]);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "no fonts: {fonts}");
        for row in rows {
            // name type encoding emb sub uni object ID: `emb` is the fourth field from the end.
            let fields: Vec<&str> = row.split_whitespace().collect();
            assert_eq!(fields[fields.len() - 5], "yes", "not embedded: {row}");
        }
        let info = self.run("pdfinfo", &[]);
        let pages = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|p| p.trim().parse().ok())
            .expect("page count");
        let size = info
            .lines()
            .find_map(|l| l.strip_prefix("Page size:"))
            .expect("page size");
        let numbers: Vec<f64> = size
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        (pages, (numbers[0], numbers[1]))
    }

    /// The text, its words joined by single spaces (wrapped lines become one).
    pub(crate) fn text(&self) -> String {
        self.run("pdftotext", &["-enc", "UTF-8"])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The QR codes found on every page rendered at 150 dpi.
    pub(crate) fn qr_codes(&self) -> BTreeSet<String> {
        let prefix = self.dir.join("page");
        let status = Command::new("pdftoppm")
            .args(["-r", "150", "-png"])
            .arg(&self.path)
            .arg(&prefix)
            .status()
            .expect("pdftoppm");
        assert!(status.success());
        let mut codes = BTreeSet::new();
        for entry in std::fs::read_dir(&self.dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "png") {
                codes.extend(decode_all(&path));
            }
        }
        codes
    }
}

impl Drop for PdfFile {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

/// The QR codes of a page: each quarter of it (a badge on a sheet) is read on its own, as a
/// scanner would read one badge; a page with one badge is read whole.
fn decode_all(png: &Path) -> Vec<String> {
    let gray = image::open(png).expect("a PNG page").to_luma8();
    let (width, height) = gray.dimensions();
    let mut parts = vec![gray.clone()];
    if width > 1000 {
        for (x, y) in [
            (0, 0),
            (width / 2, 0),
            (0, height / 2),
            (width / 2, height / 2),
        ] {
            parts.push(image::imageops::crop_imm(&gray, x, y, width / 2, height / 2).to_image());
        }
    }
    let decode = |part: image::GrayImage| -> Vec<String> {
        rqrr::PreparedImage::prepare(part)
            .detect_grids()
            .into_iter()
            .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
            .collect()
    };
    let mut parts = parts.into_iter();
    let whole = parts.next().expect("the page");
    let codes: Vec<String> = parts.flat_map(decode).collect();
    // A page with one code across the quarters' edges (a certificate) is read whole.
    if codes.is_empty() {
        decode(whole)
    } else {
        codes
    }
}

fn a4(size: (f64, f64)) -> bool {
    (size.0 - 595.28).abs() < 1.0 && (size.1 - 841.89).abs() < 1.0
}

pub(crate) fn pdf_of(reply: &Reply) -> Vec<u8> {
    reply.expect(200);
    assert_eq!(reply.header("content-type"), Some("application/pdf"));
    reply.raw.to_vec()
}

const NAMES: [&str; 5] = [
    "Аннаев Мурат",
    "Gülşat Ňazowa",
    "Ýazmyrat Çaryýew",
    "Ogulbibi Rejepowa",
    "Сергей Иванов",
];

/// A published event with a session and five confirmed delegates (the last a speaker);
/// answers the event's id, the registration ids and their manage tokens.
async fn printed_event(app: &TestApp) -> (String, Vec<String>, Vec<String>) {
    let event = app
        .published_event(json!({"title": "Sanly hyzmatdaşlyk boýunça maslahat",
            "translations": {"ru": {"title": "Совещание по цифровому сотрудничеству"}}}))
        .await;
    let id = event["id"].as_str().unwrap().to_owned();
    app.create_session(
        &id,
        json!({"title": "Kiberhowpsuzlyk boýunça okuw",
               "translations": {"ru": {"title": "Учебный курс по кибербезопасности"}}}),
    )
    .await
    .expect(201);
    let (mut ids, mut tokens) = (Vec::new(), Vec::new());
    for (i, name) in NAMES.iter().enumerate() {
        let mut body = delegate(&format!("print{i}@example.org"), &[]);
        body["full_name"] = json!(name);
        // A speaker is registered by the organizers (not a public category).
        let by = (i == 4).then(|| {
            body["category"] = json!("speaker");
            app.organizer.as_str()
        });
        let reply = app
            .call(
                poem::http::Method::POST,
                &format!("/api/v1/events/{id}/registrations"),
                by,
                Some(&body),
            )
            .await;
        reply.expect(201);
        ids.push(reply.id());
        tokens.push(reply.body["manage_token"].as_str().unwrap().to_owned());
    }
    (id, ids, tokens)
}

fn code(app: &TestApp, event: &str, registration: &str) -> String {
    dialogue::app::badges::code_for(
        &app.state,
        event.parse().unwrap(),
        registration.parse().unwrap(),
    )
}

db_test!(badge_sheets_pass_the_independent_checks, |app| async move {
    let _heavy = crate::helpers::CPU_HEAVY.lock().await;
    let (event, ids, _) = printed_event(&app).await;
    let path = format!("/api/v1/events/{event}/badges.pdf");
    // Organizers only.
    app.get(&path).await.expect_problem(401);
    let scanner = app.checkin_token(&event).await;
    app.get_as(&path, &scanner).await.expect_problem(403);
    let reply = app.get_as(&path, &app.organizer).await;
    assert_eq!(reply.header("cache-control"), Some("private, no-store"));
    let bytes = pdf_of(&reply);
    assert!(bytes.starts_with(b"%PDF-"));
    if !tools_present() {
        return;
    }
    let pdf = PdfFile::new(&bytes);
    let (pages, size) = pdf.check();
    assert_eq!(pages, 2, "five badges, four a page");
    assert!(a4(size), "{size:?}");
    let text = pdf.text();
    for name in NAMES {
        assert!(text.contains(name), "{name} not in {text}");
    }
    let expected: BTreeSet<String> = ids.iter().map(|id| code(&app, &event, id)).collect();
    assert_eq!(
        pdf.qr_codes(),
        expected,
        "every badge's QR decodes to its code"
    );
    // Filters: a category, and chosen ids.
    let speakers = app
        .get_as(&format!("{path}?category=speaker"), &app.organizer)
        .await;
    let speakers = PdfFile::new(&pdf_of(&speakers));
    assert_eq!(speakers.check().0, 1);
    assert!(speakers.text().contains("Сергей Иванов"));
    assert!(!speakers.text().contains("Аннаев Мурат"));
    let chosen = app
        .get_as(&format!("{path}?ids={},{}", ids[1], ids[2]), &app.organizer)
        .await;
    let chosen = PdfFile::new(&pdf_of(&chosen));
    assert_eq!(
        chosen.qr_codes(),
        [code(&app, &event, &ids[1]), code(&app, &event, &ids[2])]
            .into_iter()
            .collect()
    );
    // Refusals: ids that do not parse, and nothing to print.
    app.get_as(&format!("{path}?ids=nonsense"), &app.organizer)
        .await
        .expect_problem(422);
    app.get_as(&format!("{path}?category=press"), &app.organizer)
        .await
        .expect_problem(409);
});

db_test!(
    one_badge_for_the_delegate_and_for_organizers,
    |app| async move {
        let _heavy = crate::helpers::CPU_HEAVY.lock().await;
        let (event, ids, tokens) = printed_event(&app).await;
        let mine = app
            .get_as("/api/v1/registrations/me/badge.pdf", &tokens[1])
            .await;
        let theirs = app
            .get_as(
                &format!("/api/v1/events/{event}/registrations/{}/badge.pdf", ids[1]),
                &app.organizer,
            )
            .await;
        app.get(&format!(
            "/api/v1/events/{event}/registrations/{}/badge.pdf",
            ids[1]
        ))
        .await
        .expect_problem(401);
        app.get_as(
            &format!("/api/v1/events/{event}/registrations/{}/badge.pdf", ids[1]),
            &tokens[0],
        )
        .await
        .expect_problem(403);
        let mine = pdf_of(&mine);
        let theirs = pdf_of(&theirs);
        // A cancelled registration has no badge.
        app.call(
            poem::http::Method::DELETE,
            "/api/v1/registrations/me",
            Some(&tokens[0]),
            None,
        )
        .await
        .expect(200);
        app.get_as("/api/v1/registrations/me/badge.pdf", &tokens[0])
            .await
            .expect_problem(409);
        if !tools_present() {
            return;
        }
        for bytes in [mine, theirs] {
            let pdf = PdfFile::new(&bytes);
            let (pages, size) = pdf.check();
            assert_eq!(pages, 1);
            assert!(
                (size.0 - 297.64).abs() < 1.0 && (size.1 - 419.53).abs() < 1.0,
                "A6: {size:?}"
            );
            assert!(pdf.text().contains("Gülşat Ňazowa"));
            assert_eq!(
                pdf.qr_codes(),
                [code(&app, &event, &ids[1])].into_iter().collect()
            );
        }
    }
);

db_test!(the_printable_agenda_in_each_language, |app| async move {
    let _heavy = crate::helpers::CPU_HEAVY.lock().await;
    let (event, _, _) = printed_event(&app).await;
    let path = format!("/api/v1/events/{event}/agenda.pdf");
    let ru = app.get(&format!("{path}?lang=ru")).await;
    assert_eq!(ru.header("content-language"), Some("ru"));
    let etag = ru.header("etag").expect("an ETag").to_owned();
    let ru = pdf_of(&ru);
    // Unchanged: 304; a change to the programme: a new document.
    let again = app
        .get_with(&format!("{path}?lang=ru"), &[("If-None-Match", &etag)])
        .await;
    again.expect(304);
    app.create_session(
        &event,
        json!({"title": "Ýapyk mejlis", "starts_at": "2026-11-19T15:00:00+05:00",
               "ends_at": "2026-11-19T16:00:00+05:00"}),
    )
    .await
    .expect(201);
    let changed = app
        .get_with(&format!("{path}?lang=tk"), &[("If-None-Match", &etag)])
        .await;
    let tk = pdf_of(&changed);
    // A draft event's agenda is not public.
    let draft = app.create_event(json!({})).await;
    app.get(&format!(
        "/api/v1/events/{}/agenda.pdf",
        draft["id"].as_str().unwrap()
    ))
    .await
    .expect_problem(404);
    if !tools_present() {
        return;
    }
    let ru = PdfFile::new(&ru);
    let (_, size) = ru.check();
    assert!(a4(size));
    let text = ru.text();
    assert!(
        text.contains("Совещание по цифровому сотрудничеству"),
        "{text}"
    );
    assert!(text.contains("Учебный курс по кибербезопасности"));
    assert!(text.contains("09:00–10:00"));
    assert!(text.contains("ашхабадское время (UTC+5)"), "{text}");
    let tk = PdfFile::new(&tk);
    tk.check();
    let text = tk.text();
    assert!(
        text.contains("Kiberhowpsuzlyk boýunça okuw") && text.contains("Ýapyk mejlis"),
        "{text}"
    );
    assert!(!text.contains("Учебный курс"));
});

db_test!(the_console_prints_with_its_sign_in, |app| async move {
    let _heavy = crate::helpers::CPU_HEAVY.lock().await;
    let (event, ids, _) = printed_event(&app).await;
    let mut v = crate::visitor::Visitor::new(&app);
    crate::console::sign_in(&mut v, &app.organizer)
        .await
        .expect(303);
    let sheets = v
        .get(&format!(
            "/admin/events/{event}/badges.pdf?category=speaker"
        ))
        .await;
    assert_eq!(sheets.header("cache-control"), Some("no-store"));
    let one = v
        .get(&format!(
            "/admin/events/{event}/registrations/{}/badge.pdf",
            ids[0]
        ))
        .await;
    let page = v.get(&format!("/admin/events/{event}/print?lang=en")).await;
    page.expect(200);
    assert!(page.text.contains("agenda.pdf?lang=tk"));
    let none = v
        .get(&format!("/admin/events/{event}/badges.pdf?category=press"))
        .await;
    none.expect(409);
    if !tools_present() {
        return;
    }
    assert_eq!(PdfFile::new(&pdf_of(&sheets)).check().0, 1);
    let one = PdfFile::new(&pdf_of(&one));
    one.check();
    assert!(one.text().contains("Аннаев Мурат"));
});
