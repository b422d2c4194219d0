//! One message from its outbox row: in the delegate's language (their `locale`), a subject and
//! a `multipart/alternative` body (text and HTML, both from the same words), the link to
//! `/r/{manage_token}`, and attachments: the badge (PNG) and the delegate's sessions (`.ics`,
//! the feeds' UIDs) with a confirmation, the changed session's `.ics` with a change notice.
//! No other person's data and no token but the delegate's own link.

use askama::Template;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use lettre::Message;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use uuid::Uuid;

use entities::{events, outbox};

use crate::app::feeds;
use crate::application::AppState;
use crate::calendar::{self, CalendarMeta};
use crate::domain::enums::{MailKind, RegistrationStatus};
use crate::domain::language::Texts;
use crate::domain::token::{self, TokenKind};
use crate::error::AppError;
use crate::i18n::Messages;
use crate::store;
use crate::store::registrations::RegistrationRow;

/// `Auto-Submitted: auto-generated` (RFC 3834): no vacation replies to these.
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// One line of a change notice: what, before, now.
struct Change {
    label: String,
    was: String,
    now: String,
}

#[derive(Template)]
#[template(path = "mail/message.txt", escape = "none")]
struct TextBody<'a> {
    greeting: &'a str,
    paragraphs: &'a [String],
    changes: &'a [Change],
    link_intro: &'a str,
    link: &'a str,
    footer: &'a str,
}

#[derive(Template)]
#[template(path = "mail/message.html")]
struct HtmlBody<'a> {
    lang: &'a str,
    subject: &'a str,
    event_title: &'a str,
    greeting: &'a str,
    paragraphs: &'a [String],
    changes: &'a [Change],
    was_label: &'a str,
    now_label: &'a str,
    link_intro: &'a str,
    link_label: &'a str,
    link: &'a str,
    footer: &'a str,
}

/// A message ready to send, and where it goes.
pub struct Composed {
    pub to: String,
    pub message: Message,
}

/// Why a row cannot become a message (never worth a retry).
#[derive(Debug, thiserror::Error)]
pub enum Unsendable {
    #[error("the registration no longer exists")]
    NoRegistration,
    #[error("the address or the sender is not valid: {0}")]
    Address(String),
    #[error("the message could not be built: {0}")]
    Build(String),
}

/// The message of `row`, or why there is none.
pub async fn compose(
    state: &AppState,
    row: &outbox::Model,
    message_id: &str,
) -> Result<Result<Composed, Unsendable>, AppError> {
    let Some(registration) = store::registrations::find(&state.db, row.registration_id)
        .await?
        .filter(|found| found.registration.erased_at.is_none())
    else {
        return Ok(Err(Unsendable::NoRegistration));
    };
    let Some(event) = store::events::find(&state.db, &row.event_id.to_string()).await? else {
        return Ok(Err(Unsendable::NoRegistration));
    };
    let words = Words::of(state, row, &registration, &event).await?;
    let attachments = attachments(state, row, &registration, &event).await?;
    Ok(build(state, &registration, &words, attachments, message_id))
}

/// A test message through the configured transport (`dialogue mail test`).
pub fn test_message(state: &AppState, to: &str, message_id: &str) -> Result<Message, Unsendable> {
    let m = Messages::new("en");
    let subject = m.t("mail-subject-test");
    let paragraphs = vec![m.t("mail-body-test")];
    let link = state.config.public_url.clone();
    let text = TextBody {
        greeting: &m.t("mail-greeting-anonymous"),
        paragraphs: &paragraphs,
        changes: &[],
        link_intro: &m.t("mail-link-intro"),
        link: &link,
        footer: &m.t("mail-footer"),
    };
    let html = HtmlBody {
        lang: "en",
        subject: &subject,
        event_title: &m.t("site-name"),
        greeting: &m.t("mail-greeting-anonymous"),
        paragraphs: &paragraphs,
        changes: &[],
        was_label: "",
        now_label: "",
        link_intro: &m.t("mail-link-intro"),
        link_label: &m.t("site-name"),
        link: &link,
        footer: &m.t("mail-footer"),
    };
    let (text, html) = match (text.render(), html.render()) {
        (Ok(text), Ok(html)) => (text, html),
        (Err(err), _) | (_, Err(err)) => return Err(Unsendable::Build(err.to_string())),
    };
    envelope(state, to, None, &subject, message_id)?
        .multipart(MultiPart::alternative_plain_html(text, html))
        .map_err(|err| Unsendable::Build(err.to_string()))
}

/// The words of one message in the delegate's language.
struct Words {
    language: String,
    subject: String,
    event_title: String,
    greeting: String,
    paragraphs: Vec<String>,
    changes: Vec<Change>,
    messages: Messages,
}

impl Words {
    async fn of(
        state: &AppState,
        row: &outbox::Model,
        registration: &RegistrationRow,
        event: &events::Model,
    ) -> Result<Words, AppError> {
        let r = &registration.registration;
        let messages = Messages::new(&r.locale);
        let language = crate::app::events::reader_language(event, Some(&r.locale), None);
        let event_title = Texts::new(&event.translations, &language)
            .text("title", &event.title)
            .to_owned();
        let tz: Tz =
            crate::domain::event::parse_timezone(&event.timezone).unwrap_or(chrono_tz::UTC);
        let session = match row.details.session_id {
            Some(id) => SessionWords::of(state, event, id, &language, &messages, tz).await?,
            None => None,
        };
        let session_title = session
            .as_ref()
            .map(|s| s.title.clone())
            .unwrap_or_default();
        let args = |extra: &[(&'static str, String)]| {
            let mut all = vec![
                ("event", event_title.clone()),
                ("session", session_title.clone()),
            ];
            all.extend_from_slice(extra);
            all
        };
        let kind = row.kind.as_str().replace('_', "-");
        let subject = messages.t_with(&format!("mail-subject-{kind}"), &args(&[]));
        let mut paragraphs = vec![messages.t_with(&format!("mail-body-{kind}"), &args(&[]))];
        let mut changes = Vec::new();
        if let Some(session) = &session {
            paragraphs.push(session.when.clone());
            match row.kind {
                MailKind::SessionMoved => {
                    if let (Some(was_starts), Some(was_ends)) =
                        (row.details.was_starts_at, row.details.was_ends_at)
                    {
                        changes.push(Change {
                            label: messages.t("mail-time"),
                            was: span(&messages, tz, was_starts, was_ends),
                            now: session.span.clone(),
                        });
                    }
                }
                MailKind::SessionReroomed => {
                    let was = match row.details.was_room_id {
                        Some(id) => room_name(state, event.id, id, &language).await?,
                        None => None,
                    };
                    changes.push(Change {
                        label: messages.t("mail-room"),
                        was: was.unwrap_or_else(|| "—".to_owned()),
                        now: session.room.clone().unwrap_or_else(|| "—".to_owned()),
                    });
                }
                _ => {}
            }
        }
        if matches!(
            row.kind,
            MailKind::Confirmed | MailKind::Promoted | MailKind::Approved
        ) && r.status == RegistrationStatus::Confirmed
        {
            paragraphs.push(messages.t("mail-attached-badge"));
        }
        Ok(Words {
            greeting: messages.t_with("mail-greeting", &[("name", r.full_name.clone())]),
            language: messages.language.clone(),
            subject,
            event_title,
            paragraphs,
            changes,
            messages,
        })
    }
}

/// The session a message is about, as the delegate reads it.
struct SessionWords {
    title: String,
    /// "Title — Thursday, 31 December 2026, 14:00–17:00, Hall A".
    when: String,
    span: String,
    room: Option<String>,
}

impl SessionWords {
    async fn of(
        state: &AppState,
        event: &events::Model,
        id: Uuid,
        language: &str,
        messages: &Messages,
        tz: Tz,
    ) -> Result<Option<SessionWords>, AppError> {
        if let Some(row) = store::sessions::find(&state.db, event.id, id).await? {
            let s = &row.session;
            let title = Texts::new(&s.translations, language)
                .text("title", &s.title)
                .to_owned();
            let room = match s.room_id {
                Some(room) => room_name(state, event.id, room, language).await?,
                None => None,
            };
            let span = span(messages, tz, s.starts_at, s.ends_at);
            let when = match &room {
                Some(room) => format!("{title} — {span}, {room}"),
                None => format!("{title} — {span}"),
            };
            return Ok(Some(SessionWords {
                title,
                when,
                span,
                room,
            }));
        }
        let tombstone = store::sessions::tombstones(&state.db, event.id)
            .await?
            .into_iter()
            .find(|t| t.id == id);
        Ok(tombstone.map(|t| {
            let span = span(messages, tz, t.starts_at, t.ends_at);
            SessionWords {
                when: format!("{} — {span}", t.title),
                title: t.title,
                span,
                room: None,
            }
        }))
    }
}

async fn room_name(
    state: &AppState,
    event_id: Uuid,
    id: Uuid,
    language: &str,
) -> Result<Option<String>, AppError> {
    Ok(store::programme::find_room(&state.db, event_id, id)
        .await?
        .map(|room| {
            Texts::new(&room.translations, language)
                .text("name", &room.name)
                .to_owned()
        }))
}

/// "Thursday, 31 December 2026, 14:00–17:00" in the event's zone.
fn span(messages: &Messages, tz: Tz, starts: DateTime<Utc>, ends: DateTime<Utc>) -> String {
    let starts = starts.with_timezone(&tz);
    let ends = ends.with_timezone(&tz);
    format!(
        "{}, {}–{}",
        messages.date_long(starts.date_naive()),
        starts.format("%H:%M"),
        ends.format("%H:%M")
    )
}

/// A file attached to a message.
struct File {
    name: String,
    content_type: &'static str,
    bytes: Vec<u8>,
}

async fn attachments(
    state: &AppState,
    row: &outbox::Model,
    registration: &RegistrationRow,
    event: &events::Model,
) -> Result<Vec<File>, AppError> {
    let r = &registration.registration;
    let mut files = Vec::new();
    let confirms = matches!(
        row.kind,
        MailKind::Confirmed | MailKind::Promoted | MailKind::Approved | MailKind::SessionSeatGiven
    );
    if confirms && r.status == RegistrationStatus::Confirmed {
        if matches!(
            row.kind,
            MailKind::Confirmed | MailKind::Promoted | MailKind::Approved
        ) {
            files.push(File {
                name: "badge.png".into(),
                content_type: "image/png",
                bytes: badge_png(state, registration, event).await?,
            });
        }
        let calendar_token = token::derive(
            &state.token_secret,
            TokenKind::Calendar,
            r.id,
            r.calendar_generation,
        );
        let (_, _, entries) =
            feeds::personal_entries(state, r.id, Some(&calendar_token), None).await?;
        files.push(ics(state, event, &r.locale, &entries));
    }
    if row.kind == MailKind::CertificateIssued {
        match crate::app::certificates::my_pdf(state, r.id).await {
            Ok(pdf) => files.push(File {
                name: "certificate.pdf".into(),
                content_type: "application/pdf",
                bytes: pdf.to_vec(),
            }),
            // Revoked before the message left: it goes without the certificate.
            Err(AppError::Refused(_)) => {}
            Err(err) => return Err(err),
        }
    }
    if let (Some(session), true) = (
        row.details.session_id,
        matches!(
            row.kind,
            MailKind::SessionMoved | MailKind::SessionReroomed | MailKind::SessionCancelled
        ),
    ) {
        match feeds::session_entries(state, &event.id.to_string(), session, Some(&r.locale)).await {
            Ok((_, entries)) => files.push(ics(state, event, &r.locale, &entries)),
            Err(AppError::NotFound(_)) => {}
            Err(err) => return Err(err),
        }
    }
    Ok(files)
}

/// The badge drawn off the request threads at the lowest priority (drawing a PNG takes
/// milliseconds of CPU, and nobody waits for an e-mail).
async fn badge_png(
    state: &AppState,
    registration: &RegistrationRow,
    event: &events::Model,
) -> Result<Vec<u8>, AppError> {
    Ok(crate::app::badges::png_for_mail(state, registration, event)
        .await?
        .to_vec())
}

fn ics(
    state: &AppState,
    event: &events::Model,
    locale: &str,
    entries: &[crate::calendar::CalendarEvent],
) -> File {
    let language = crate::app::events::reader_language(event, Some(locale), None);
    let title = Texts::new(&event.translations, &language)
        .text("title", &event.title)
        .to_owned();
    let body = calendar::render(
        &CalendarMeta {
            name: &title,
            description: None,
            refresh_minutes: 60,
        },
        &state.config.uid_host,
        entries,
    );
    File {
        name: "sessions.ics".into(),
        content_type: "text/calendar; charset=utf-8; method=PUBLISH",
        bytes: body.into_bytes(),
    }
}

/// The message's headers: from, to, subject, a stable `Message-ID`, `Auto-Submitted`.
fn envelope(
    state: &AppState,
    to: &str,
    name: Option<&str>,
    subject: &str,
    message_id: &str,
) -> Result<lettre::message::MessageBuilder, Unsendable> {
    let from: Mailbox = state
        .config
        .mail
        .from
        .parse()
        .map_err(|err| Unsendable::Address(format!("MAIL_FROM: {err}")))?;
    let address = to
        .parse()
        .map_err(|err| Unsendable::Address(format!("{err}")))?;
    Ok(Message::builder()
        .from(from)
        .to(Mailbox::new(name.map(str::to_owned), address))
        .subject(subject)
        .message_id(Some(message_id.to_owned()))
        .header(AutoSubmitted))
}

fn build(
    state: &AppState,
    registration: &RegistrationRow,
    words: &Words,
    attachments: Vec<File>,
    message_id: &str,
) -> Result<Composed, Unsendable> {
    let r = &registration.registration;
    let m = &words.messages;
    let manage = token::derive(
        &state.token_secret,
        TokenKind::Manage,
        r.id,
        r.manage_generation,
    );
    let link = format!("{}/r/{manage}", state.config.public_url);
    let text = TextBody {
        greeting: &words.greeting,
        paragraphs: &words.paragraphs,
        changes: &words.changes,
        link_intro: &m.t("mail-link-intro"),
        link: &link,
        footer: &m.t("mail-footer"),
    };
    let html = HtmlBody {
        lang: &words.language,
        subject: &words.subject,
        event_title: &words.event_title,
        greeting: &words.greeting,
        paragraphs: &words.paragraphs,
        changes: &words.changes,
        was_label: &m.t("mail-was"),
        now_label: &m.t("mail-now"),
        link_intro: &m.t("mail-link-intro"),
        link_label: &m.t("mail-link-label"),
        link: &link,
        footer: &m.t("mail-footer"),
    };
    let (text, html) = match (text.render(), html.render()) {
        (Ok(text), Ok(html)) => (text, html),
        (Err(err), _) | (_, Err(err)) => return Err(Unsendable::Build(err.to_string())),
    };
    let body = MultiPart::alternative_plain_html(text, html);
    let builder = envelope(
        state,
        &r.email,
        Some(&r.full_name),
        &words.subject,
        message_id,
    )?;
    let message = if attachments.is_empty() {
        builder.multipart(body)
    } else {
        let mut mixed = MultiPart::mixed().multipart(body);
        for file in attachments {
            let content_type = ContentType::parse(file.content_type)
                .map_err(|err| Unsendable::Build(err.to_string()))?;
            let part: SinglePart = Attachment::new(file.name).body(file.bytes, content_type);
            mixed = mixed.singlepart(part);
        }
        builder.multipart(mixed)
    };
    message
        .map(|message| Composed {
            to: r.email.clone(),
            message,
        })
        .map_err(|err| Unsendable::Build(err.to_string()))
}
