//! Certificates of attendance: rules, eligibility from the check-ins, issuing (with overrides
//! kept), the list and revocation, the PDFs, the counts a programme reports, and
//! verification of a code by anyone (holder's name, event, dates and hours only) with the
//! public keys for offline checks.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use poem_openapi::param::Path;
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};
use uuid::Uuid;

use super::ApiTags;
use super::auth::{DelegateAuth, OrganizerAuth};
use crate::api_errors;
use crate::app::certificates::{self as app, IssueRequest, Rules};
use crate::application::AppState;
use crate::domain::certificate::Measure;
use crate::domain::validation::ValidationErrors;

/// How the attendance of a session is measured.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "snake_case")]
pub enum AttendanceMeasure {
    /// At the session's door when that door was scanned at all, else at the venue.
    Auto,
    /// Only entries at the session's door count.
    Door,
    /// Admission to the venue on every local day of the session counts.
    Venue,
}

impl From<AttendanceMeasure> for Measure {
    fn from(a: AttendanceMeasure) -> Measure {
        match a {
            AttendanceMeasure::Auto => Measure::Auto,
            AttendanceMeasure::Door => Measure::Door,
            AttendanceMeasure::Venue => Measure::Venue,
        }
    }
}

impl From<Measure> for AttendanceMeasure {
    fn from(m: Measure) -> AttendanceMeasure {
        match m {
            Measure::Auto => AttendanceMeasure::Auto,
            Measure::Door => AttendanceMeasure::Door,
            Measure::Venue => AttendanceMeasure::Venue,
        }
    }
}

/// What earns the event's certificate.
#[derive(Object, Debug, Clone)]
pub struct CertificateRules {
    /// The sessions that count; `null`: the event's training and workshop sessions.
    pub session_ids: Option<Vec<Uuid>>,
    /// The share of the counted sessions to attend, 0–1 (default 0.8; exactly met qualifies).
    pub min_share: f64,
    /// Hours credited per session id; a session not named credits its length.
    #[oai(default)]
    pub hours: BTreeMap<String, f64>,
    /// How attendance is measured (left out: `auto`).
    pub attendance: Option<AttendanceMeasure>,
    /// Partner organizations named on the certificate (at most 8).
    #[oai(default)]
    pub partners: Vec<String>,
}

impl CertificateRules {
    fn of(rules: &Rules) -> Self {
        CertificateRules {
            session_ids: rules.session_ids.clone(),
            min_share: rules.min_share,
            hours: rules
                .hours
                .iter()
                .map(|(id, h)| (id.to_string(), *h))
                .collect(),
            attendance: Some(rules.measure.into()),
            partners: rules.partners.clone(),
        }
    }

    fn rules(self) -> Result<Rules, ValidationErrors> {
        let mut hours = BTreeMap::new();
        for (id, h) in self.hours {
            let id = id
                .parse::<Uuid>()
                .map_err(|_| ValidationErrors::single("hours", "keys must be session ids"))?;
            hours.insert(id, h);
        }
        Ok(Rules {
            session_ids: self.session_ids,
            min_share: self.min_share,
            hours,
            measure: self.attendance.unwrap_or(AttendanceMeasure::Auto).into(),
            partners: self.partners,
        })
    }
}

/// One confirmed registration against the rules.
#[derive(Object, Debug)]
pub struct EligibilityItem {
    pub registration_id: Uuid,
    pub full_name: String,
    pub organization: Option<String>,
    pub category: String,
    /// The counted sessions attended.
    pub attended: Vec<Uuid>,
    /// How many sessions count.
    pub counted: u32,
    /// How many must be attended.
    pub required: u32,
    /// Attended / counted.
    pub share: f64,
    /// Hours credited by the sessions attended.
    pub hours: f64,
    pub qualifies: bool,
    /// Sessions still missing to qualify.
    pub missing: u32,
    /// The certificate's number, if one was issued.
    pub certificate_number: Option<String>,
}

/// Everyone confirmed, measured.
#[derive(Object, Debug)]
pub struct Eligibility {
    pub rules: CertificateRules,
    pub items: Vec<EligibilityItem>,
}

/// Whom to issue certificates to.
#[derive(Object, Debug, Default)]
pub struct IssueBody {
    /// Only these registrations (they may miss the bar when `override_reason` is given);
    /// left out: everyone who qualifies and has no certificate yet.
    pub registration_ids: Option<Vec<Uuid>>,
    /// Why certificates go to named delegates who miss the bar (kept on the certificate;
    /// at most 500 characters).
    pub override_reason: Option<String>,
}

/// A certificate issued.
#[derive(Object, Debug)]
pub struct Certificate {
    pub number: String,
    pub registration_id: Uuid,
    pub hours: f64,
    /// The signed verification code (the QR code carries `/verify/{code}`).
    pub code: String,
    pub sessions: Vec<Uuid>,
    pub issued_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub override_reason: Option<String>,
    pub revoke_reason: Option<String>,
}

impl From<entities::certificates::Model> for Certificate {
    fn from(c: entities::certificates::Model) -> Self {
        Certificate {
            number: c.number,
            registration_id: c.registration_id,
            hours: f64::from(c.minutes) / 60.0,
            sessions: serde_json::from_value(c.sessions).unwrap_or_default(),
            code: c.code,
            issued_at: c.issued_at,
            revoked_at: c.revoked_at,
            override_reason: c.override_reason,
            revoke_reason: c.revoke_reason.filter(|r| !r.is_empty()),
        }
    }
}

/// Certificates.
#[derive(Object, Debug)]
pub struct CertificateList {
    pub items: Vec<Certificate>,
}

/// Why a certificate is revoked.
#[derive(Object, Debug, Default)]
pub struct RevokeBody {
    /// At most 500 characters.
    pub reason: Option<String>,
}

/// What a verification says; nothing else about the holder.
#[derive(Object, Debug)]
pub struct Verification {
    /// Genuine and not revoked.
    pub valid: bool,
    pub revoked: bool,
    /// The holder's personal data was erased (the certificate was revoked with it);
    /// `full_name` is then empty.
    pub erased: bool,
    pub full_name: String,
    pub event_title: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub hours: f64,
}

/// A public key that signs certificates.
#[derive(Object, Debug)]
pub struct CertificateKey {
    pub kid: u8,
    /// Ed25519, 32 bytes, hex.
    pub public_key: String,
}

/// The keys and the format, for checking a code offline.
#[derive(Object, Debug)]
pub struct CertificateKeys {
    pub keys: Vec<CertificateKey>,
    /// How a code is built (see docs/certificates.md).
    pub format: String,
}

/// Counts for a programme's report.
#[derive(Object, Debug, Clone)]
pub struct Counts {
    pub registered: u64,
    pub attended: u64,
    pub certified: u64,
    pub hours: f64,
}

impl From<&app::Counts> for Counts {
    fn from(c: &app::Counts) -> Self {
        Counts {
            registered: c.registered,
            attended: c.attended,
            certified: c.certified,
            hours: c.minutes as f64 / 60.0,
        }
    }
}

/// The numbers a programme reports.
#[derive(Object, Debug)]
pub struct CertificateStats {
    pub total: Counts,
    pub by_organization: BTreeMap<String, Counts>,
    pub by_category: BTreeMap<String, Counts>,
}

#[derive(ApiResponse)]
enum Pdf {
    /// The PDF (A4 landscape, fonts embedded, text searchable).
    #[oai(status = 200, content_type = "application/pdf")]
    Pdf(
        Binary<bytes::Bytes>,
        #[oai(header = "Cache-Control")] String,
        #[oai(header = "Content-Disposition")] String,
    ),
}

api_errors!(
    enum ManageError {
        /// No or an unknown token.
        Unauthorized = 401,
        /// The token may not do this.
        Forbidden = 403,
        /// No such event or certificate.
        NotFound = 404,
        /// Nothing to print.
        Conflict = 409,
        /// Invalid rules or choices.
        UnprocessableEntity = 422,
    }
);

api_errors!(
    enum VerifyError {
        /// No certificate has this code: mistyped, altered or forged.
        NotFound = 404,
    }
);

/// Certificate operations.
pub struct CertificatesApi {
    pub state: AppState,
}

fn no_store() -> String {
    "private, no-store".into()
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Certificates")]
impl CertificatesApi {
    /// Read the certificate rules
    #[oai(
        path = "/events/:event/certificates/rules",
        method = "get",
        operation_id = "get_certificate_rules"
    )]
    async fn get_rules(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
    ) -> Result<Json<CertificateRules>, ManageError> {
        let (_, rules) = app::rules(&self.state, &event.0).await?;
        Ok(Json(CertificateRules::of(&rules)))
    }

    /// Set the certificate rules
    #[oai(
        path = "/events/:event/certificates/rules",
        method = "put",
        operation_id = "put_certificate_rules"
    )]
    async fn put_rules(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        body: Json<CertificateRules>,
    ) -> Result<Json<CertificateRules>, ManageError> {
        let rules = body.0.rules()?;
        let (_, rules) = app::save_rules(&self.state, &event.0, rules).await?;
        Ok(Json(CertificateRules::of(&rules)))
    }

    /// Who qualifies
    ///
    /// Every confirmed registration measured against the rules from the check-ins: the
    /// counted sessions attended, the share, the hours, whether it qualifies and how many
    /// sessions it misses.
    #[oai(
        path = "/events/:event/certificates/eligibility",
        method = "get",
        operation_id = "certificate_eligibility"
    )]
    async fn eligibility(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
    ) -> Result<Json<Eligibility>, ManageError> {
        let (_, rules, list) = app::eligibility(&self.state, &event.0).await?;
        Ok(Json(Eligibility {
            rules: CertificateRules::of(&rules),
            items: list
                .into_iter()
                .map(|e| EligibilityItem {
                    registration_id: e.registration.registration.id,
                    full_name: e.registration.registration.full_name.clone(),
                    organization: e.registration.registration.organization.clone(),
                    category: e.registration.registration.category.as_str().to_owned(),
                    counted: e.standing.counted as u32,
                    required: e.standing.required as u32,
                    share: e.standing.share(),
                    hours: f64::from(e.standing.minutes) / 60.0,
                    qualifies: e.standing.qualifies(),
                    missing: e.standing.missing() as u32,
                    certificate_number: e.certificate.map(|c| c.number),
                    attended: e.standing.attended,
                })
                .collect(),
        }))
    }

    /// Issue certificates
    ///
    /// To everyone who qualifies and has none yet, or to the registrations named (one who
    /// misses the bar needs `override_reason`, kept on the certificate). Issuing twice issues
    /// nothing new. Answers the certificates issued now.
    #[oai(
        path = "/events/:event/certificates/issue",
        method = "post",
        operation_id = "issue_certificates"
    )]
    async fn issue(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        body: Json<IssueBody>,
    ) -> Result<Json<CertificateList>, ManageError> {
        let request = IssueRequest {
            registration_ids: body.0.registration_ids,
            override_reason: body.0.override_reason,
        };
        let (_, issued) = app::issue(&self.state, &event.0, request).await?;
        Ok(Json(CertificateList {
            items: issued.into_iter().map(Certificate::from).collect(),
        }))
    }

    /// List certificates
    #[oai(
        path = "/events/:event/certificates",
        method = "get",
        operation_id = "list_certificates"
    )]
    async fn list(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
    ) -> Result<Json<CertificateList>, ManageError> {
        let (_, rows) = app::list(&self.state, &event.0).await?;
        Ok(Json(CertificateList {
            items: rows.into_iter().map(Certificate::from).collect(),
        }))
    }

    /// Revoke a certificate
    ///
    /// It then verifies as revoked; revoking twice keeps the first time and reason.
    #[oai(
        path = "/events/:event/certificates/:number/revoke",
        method = "post",
        operation_id = "revoke_certificate"
    )]
    async fn revoke(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
        /// The certificate's number.
        number: Path<String>,
        body: Json<RevokeBody>,
    ) -> Result<Json<Certificate>, ManageError> {
        let row = app::revoke(&self.state, &event.0, &number.0, body.0.reason.as_deref()).await?;
        Ok(Json(Certificate::from(row)))
    }

    /// The event's certificates (PDF)
    ///
    /// Every certificate not revoked, one A4 landscape page each, in its holder's language.
    #[oai(
        path = "/events/:event/certificates.pdf",
        method = "get",
        operation_id = "certificates_pdf"
    )]
    async fn event_pdf(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
    ) -> Result<Pdf, ManageError> {
        let pdf = app::event_pdf(&self.state, &event.0).await?;
        Ok(Pdf::Pdf(
            Binary(pdf),
            no_store(),
            "inline; filename=\"certificates.pdf\"".into(),
        ))
    }

    /// My certificate (PDF)
    #[oai(
        path = "/registrations/me/certificate.pdf",
        method = "get",
        operation_id = "my_certificate_pdf"
    )]
    async fn my_pdf(&self, auth: DelegateAuth) -> Result<Pdf, ManageError> {
        let pdf = app::my_pdf(&self.state, auth.0).await?;
        Ok(Pdf::Pdf(
            Binary(pdf),
            no_store(),
            "inline; filename=\"certificate.pdf\"".into(),
        ))
    }

    /// Certificate counts
    ///
    /// Registered (confirmed), attended (admitted at least once), certified (not revoked)
    /// and the hours their certificates credit: overall, by organization and by category.
    #[oai(
        path = "/events/:event/certificates/stats",
        method = "get",
        operation_id = "certificate_stats"
    )]
    async fn stats(
        &self,
        _auth: OrganizerAuth,
        /// The event's id or slug.
        event: Path<String>,
    ) -> Result<Json<CertificateStats>, ManageError> {
        let (_, stats) = app::stats(&self.state, &event.0).await?;
        Ok(Json(CertificateStats {
            total: Counts::from(&stats.total),
            by_organization: stats
                .by_organization
                .iter()
                .map(|(k, v)| (k.clone(), Counts::from(v)))
                .collect(),
            by_category: stats
                .by_category
                .iter()
                .map(|(k, v)| (k.clone(), Counts::from(v)))
                .collect(),
        }))
    }

    /// Verify a certificate
    ///
    /// Anyone: whether the code is genuine and not revoked, with the holder's name, the
    /// event, its dates and the hours; nothing else about the holder.
    #[oai(
        path = "/certificates/:code",
        method = "get",
        operation_id = "verify_certificate"
    )]
    async fn verify(
        &self,
        /// The verification code (`C1…`).
        code: Path<String>,
    ) -> Result<Json<Verification>, VerifyError> {
        let found = app::verify(&self.state, &code.0).await?;
        Ok(Json(Verification {
            valid: !found.revoked,
            revoked: found.revoked,
            erased: found.erased,
            full_name: found.full_name,
            event_title: found.event.title.clone(),
            starts_on: found.event.starts_on,
            ends_on: found.event.ends_on,
            hours: f64::from(found.minutes) / 60.0,
        }))
    }

    /// Keys for offline verification
    ///
    /// The Ed25519 public keys that sign certificate codes, by key id.
    #[oai(
        path = "/certificate-keys",
        method = "get",
        operation_id = "certificate_keys"
    )]
    async fn keys(&self) -> Result<Json<CertificateKeys>, VerifyError> {
        let keys = app::public_keys(&self.state).await?;
        Ok(Json(CertificateKeys {
            keys: keys
                .into_iter()
                .map(|(kid, public_key)| CertificateKey { kid, public_key })
                .collect(),
            format: "C1 + base32 (RFC 4648, no padding) of version(1)=1 | kid(1) | \
                     event tag(4: SHA-256 of the event id) | certificate id(16) | minutes(2, \
                     big-endian) | Ed25519 signature(64) over \"dialogue-certificate-v1\" + \
                     the first 24 bytes"
                .into(),
        }))
    }
}
