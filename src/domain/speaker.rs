//! What valid speakers, tracks and rooms are: the people and places an agenda refers to.

use super::language::{Translations, check_translations};
use super::validation::{self, LONG_TEXT, MEDIUM_TEXT, SHORT_TEXT, ValidationErrors};

/// Every field of a speaker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerFields {
    pub full_name: String,
    pub position: Option<String>,
    pub organization: Option<String>,
    pub country: Option<String>,
    pub bio: Option<String>,
    pub photo_url: Option<String>,
    pub email: Option<String>,
    pub translations: Translations,
}

/// The text fields of a speaker that can be translated (names stay as written).
pub const SPEAKER_TRANSLATABLE: [(&str, usize); 3] = [
    ("position", MEDIUM_TEXT),
    ("organization", MEDIUM_TEXT),
    ("bio", LONG_TEXT),
];

/// The text fields of a track or a room that can be translated.
pub const PLACE_TRANSLATABLE: [(&str, usize); 2] =
    [("name", SHORT_TEXT), ("description", LONG_TEXT)];

impl SpeakerFields {
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        self.check(None)
    }

    /// Checks a change of `before`: a country kept as stored passes even when it is not a
    /// code (a row from before codes).
    pub fn validate_change(&self, before: &SpeakerFields) -> Result<(), ValidationErrors> {
        self.check(Some(before))
    }

    fn check(&self, before: Option<&SpeakerFields>) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        errors.required_text("full_name", &self.full_name, SHORT_TEXT);
        errors.optional_text("position", self.position.as_deref(), MEDIUM_TEXT);
        errors.optional_text("organization", self.organization.as_deref(), MEDIUM_TEXT);
        super::country::check(
            &mut errors,
            self.country.as_deref(),
            before.is_some_and(|b| b.country == self.country),
        );
        errors.optional_text("bio", self.bio.as_deref(), LONG_TEXT);
        if let Some(url) = &self.photo_url {
            errors.check("photo_url", validation::http_url(url));
        }
        if let Some(email) = &self.email {
            errors.check("email", validation::email(email));
        }
        check_translations(&mut errors, &self.translations, &SPEAKER_TRANSLATABLE);
        errors.into_result(())
    }
}

/// Every field of a track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackFields {
    pub name: String,
    pub color: Option<String>,
    pub description: Option<String>,
    pub translations: Translations,
}

impl TrackFields {
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        errors.required_text("name", &self.name, SHORT_TEXT);
        if let Some(color) = &self.color {
            errors.check("color", validation::hex_color(color));
        }
        errors.optional_text("description", self.description.as_deref(), LONG_TEXT);
        check_translations(&mut errors, &self.translations, &PLACE_TRANSLATABLE);
        errors.into_result(())
    }
}

/// Every field of a room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomFields {
    pub name: String,
    pub capacity: Option<i32>,
    pub description: Option<String>,
    /// Where the room is listed (lowest first); `None` puts a new room after the others and
    /// keeps a room's place when it is replaced.
    pub position: Option<i32>,
    pub translations: Translations,
}

/// The highest room position.
pub const MAX_ROOM_POSITION: i32 = 9999;

impl RoomFields {
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        errors.required_text("name", &self.name, SHORT_TEXT);
        errors.capacity("capacity", self.capacity);
        if let Some(position) = self.position
            && !(0..=MAX_ROOM_POSITION).contains(&position)
        {
            errors.add(
                "position",
                format!("must be between 0 and {MAX_ROOM_POSITION}"),
            );
        }
        errors.optional_text("description", self.description.as_deref(), LONG_TEXT);
        check_translations(&mut errors, &self.translations, &PLACE_TRANSLATABLE);
        errors.into_result(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speaker_email_and_photo_are_checked() {
        let speaker = SpeakerFields {
            full_name: "Aýna Berdiýewa".into(),
            position: None,
            organization: None,
            country: None,
            bio: None,
            photo_url: Some("ftp://x".into()),
            email: Some("not-an-email".into()),
            translations: Translations::default(),
        };
        assert_eq!(speaker.validate().unwrap_err().errors.len(), 2);
    }
}
