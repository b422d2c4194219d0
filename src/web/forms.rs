//! What the pages' forms share: reading a posted form, checking its CSRF token, and turning a
//! refusal of the application layer into errors a reader can act on, in the page's language:
//! one message next to each wrong field and a summary at the top of the form.

use poem::http::StatusCode;
use poem::web::CsrfVerifier;

use super::chrome::query_pairs;
use super::i18n::Messages;
use crate::domain::refusal::Reason;
use crate::error::AppError;

/// The name of the form field that carries the CSRF token.
pub const CSRF_FIELD: &str = "csrf_token";

/// A posted form (`application/x-www-form-urlencoded`), its fields in order; a field may
/// repeat (checkboxes).
pub struct Posted {
    pairs: Vec<(String, String)>,
}

impl Posted {
    pub fn parse(body: &str) -> Self {
        Posted {
            pairs: query_pairs(body),
        }
    }

    /// The first value of `name`, trimmed of nothing (the use case trims).
    pub fn value(&self, name: &str) -> String {
        self.pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    }

    /// Every field, in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// Every value of `name`.
    pub fn values(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .collect()
    }

    /// Whether a checkbox `name` was ticked.
    pub fn ticked(&self, name: &str) -> bool {
        self.values(name)
            .iter()
            .any(|v| matches!(v.as_str(), "true" | "on" | "yes" | "1"))
    }

    /// Whether the form carries a CSRF token this visitor's cookie vouches for.
    pub fn csrf_ok(&self, verifier: &CsrfVerifier) -> bool {
        verifier.is_valid(&self.value(CSRF_FIELD))
    }
}

/// The session ids a form chose (`session_ids` checkboxes), each one read as an id; one that
/// is not is an error on the field.
pub fn session_ids(
    chosen: &[String],
    errors: &mut crate::domain::validation::ValidationErrors,
) -> Vec<uuid::Uuid> {
    chosen
        .iter()
        .filter_map(|id| {
            errors.check(
                "session_ids",
                id.parse()
                    .map_err(|_| format!("{id:?} is not a session id")),
            )
        })
        .collect()
}

/// One option of a `<select>`.
pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The languages of e-mails to choose from, in the page's language, `selected` chosen.
pub fn language_options(messages: &Messages, selected: &str) -> Vec<SelectOption> {
    crate::domain::language::SUPPORTED
        .iter()
        .map(|code| SelectOption {
            value: (*code).to_owned(),
            label: messages.language_name(code),
            selected: selected == *code,
        })
        .collect()
}

/// The countries to choose from, named and sorted in the page's language, after a blank
/// choice; `selected` (a code, or a name typed before) chosen.
pub fn country_options(messages: &Messages, selected: &str) -> Vec<SelectOption> {
    let chosen = crate::domain::country::find(selected).map(|c| c.code);
    std::iter::once(SelectOption {
        value: String::new(),
        label: messages.t("field-country-choose"),
        selected: chosen.is_none(),
    })
    .chain(
        crate::domain::country::choices(&messages.language)
            .iter()
            .map(|&(code, name)| SelectOption {
                value: code.to_owned(),
                label: name.to_owned(),
                selected: chosen == Some(code),
            }),
    )
    .collect()
}

/// One error, in the page's language, and the field it belongs to (none: the whole form).
pub struct FormError {
    pub field: Option<String>,
    pub message: String,
}

/// The errors of a form that was refused, and the status to answer it with.
pub struct FormErrors {
    pub status: StatusCode,
    pub items: Vec<FormError>,
}

impl FormErrors {
    /// No errors (a form shown for the first time).
    pub fn none() -> Self {
        FormErrors {
            status: StatusCode::OK,
            items: Vec::new(),
        }
    }

    /// The form was not sent from our page (no or a stale CSRF token).
    pub fn csrf(messages: &Messages) -> Self {
        FormErrors {
            status: StatusCode::FORBIDDEN,
            items: vec![FormError {
                field: None,
                message: messages.t("error-csrf"),
            }],
        }
    }

    /// The errors of a refusal by the application layer; `None` for failures that are not
    /// the reader's to fix (those get the error page).
    pub fn of(messages: &Messages, err: &AppError) -> Option<Self> {
        let field_error = |field: &str, key: &str| FormError {
            field: Some(field.to_owned()),
            message: messages.t(key),
        };
        match err {
            AppError::Invalid(invalid) => {
                let mut items: Vec<FormError> = Vec::new();
                for error in &invalid.errors {
                    // One message per field, in the reader's language.
                    if items
                        .iter()
                        .any(|i| i.field.as_deref() == Some(&error.field))
                    {
                        continue;
                    }
                    let key = format!("error-field-{}", error.field.replace('_', "-"));
                    let known = Messages::has_own(&messages.language, &key);
                    items.push(FormError {
                        field: Some(error.field.clone()),
                        message: if known {
                            messages.t(&key)
                        } else {
                            format!("{}: {}", error.field, error.message)
                        },
                    });
                }
                Some(FormErrors {
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    items,
                })
            }
            AppError::Refused(refusal) => {
                let item = match refusal.reason {
                    Reason::EmailTaken => field_error("email", "error-email-taken"),
                    Reason::SessionFull => field_error("session_ids", "error-session-full"),
                    Reason::Clash => field_error("session_ids", "error-field-session-ids"),
                    Reason::RegistrationClosed => FormError {
                        field: None,
                        message: messages.t("error-registration-closed"),
                    },
                    Reason::EventFull => FormError {
                        field: None,
                        message: messages.t("error-event-full"),
                    },
                    Reason::RegistrationEnded => FormError {
                        field: None,
                        message: messages.t("error-registration-ended"),
                    },
                    Reason::Other => FormError {
                        field: None,
                        message: refusal.detail.clone(),
                    },
                };
                Some(FormErrors {
                    status: StatusCode::CONFLICT,
                    items: vec![item],
                })
            }
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The message for `field`, if it is wrong.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|item| item.field.as_deref() == Some(field))
            .map(|item| item.message.as_str())
    }

    /// Whether `field` is wrong (for `aria-invalid`).
    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }
}
