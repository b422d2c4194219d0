//! Values parsed once at the edge and trusted afterwards: a type that exists only when its
//! text passed its rule. Each `parse` answers the same message as the field checks of
//! `validation`, so a front end can put it next to its field.

use std::fmt;

use super::token::LABEL_MAX;
use super::validation;

macro_rules! parsed_text {
    ($(#[$doc:meta])* $name:ident, trim: $trim:literal, $rule:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// The value, if `text` passes the rule; otherwise why not.
            pub fn parse(text: &str) -> Result<Self, String> {
                let text = if $trim { text.trim() } else { text };
                let rule: fn(&str) -> Result<(), String> = $rule;
                rule(text).map(|()| $name(text.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

parsed_text!(
    /// An e-mail address (compared case-insensitively: see [`Email::normalized`]).
    Email,
    trim: true,
    validation::email
);

impl Email {
    /// The form registrations are compared by: lowercase.
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

parsed_text!(
    /// An event's URL name: lowercase letters, digits and single hyphens, not a UUID.
    Slug,
    trim: true,
    validation::slug
);

parsed_text!(
    /// A BCP 47 language tag such as `tk`, `ru`, `en-GB`.
    Language,
    trim: true,
    validation::language_tag
);

parsed_text!(
    /// Who or which device holds a token: one line of at most 100 characters.
    Label,
    trim: true,
    |text| {
        let mut errors = validation::ValidationErrors::new();
        errors.required_line("label", text, LABEL_MAX);
        match errors.errors.into_iter().next() {
            Some(error) => Err(error.message),
            None => Ok(()),
        }
    }
);

parsed_text!(
    /// An `Idempotency-Key`: 1–200 visible ASCII characters.
    IdempotencyKey,
    trim: false,
    |text| {
        // At least 16 characters: a key must be hard to guess and unlikely to repeat (a
        // random UUID has 36).
        if (16..=200).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_graphic()) {
            Ok(())
        } else {
            Err("must be 16 to 200 visible ASCII characters (a random UUID, say)".into())
        }
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_exist_only_when_their_rule_passes() {
        assert_eq!(
            Email::parse(" Aylar@Example.ORG ").map(|e| e.normalized()),
            Ok("aylar@example.org".to_owned())
        );
        assert!(Email::parse("no-at-sign").is_err());
        assert!(Slug::parse("dialogue-2026").is_ok());
        assert!(Slug::parse("Dialogue 2026").is_err());
        assert!(Language::parse("tk").is_ok());
        assert!(Language::parse("turkmen language").is_err());
        assert_eq!(
            Label::parse("  Main entrance, scanner 2 ").map(Label::into_string),
            Ok("Main entrance, scanner 2".to_owned())
        );
        assert!(Label::parse("two\nlines").is_err());
        assert!(Label::parse(&"x".repeat(101)).is_err());
        assert!(IdempotencyKey::parse("3f1c-retry-0b5e-41d2").is_ok());
        assert!(IdempotencyKey::parse("3f1c-retry").is_err());
        assert!(IdempotencyKey::parse("has space").is_err());
    }
}
