//! What every page shares: its language, the site's name, the stylesheet, the language
//! switch (links that keep the page and change `?lang=`), the security headers and the
//! cookie that remembers a chosen language.

use poem::http::{HeaderMap, StatusCode};
use poem::{Request, Response};

use super::assets;
use super::i18n::{Asked, LANGUAGE_COOKIE, Messages};
use crate::domain::language::SUPPORTED;

/// One entry of the language switch.
pub struct LanguageLink {
    pub code: &'static str,
    pub name: String,
    pub href: String,
    pub current: bool,
}

/// The parts of the layout every page fills.
pub struct Chrome {
    pub lang: String,
    pub site_name: String,
    pub skip: String,
    pub language_switch: String,
    pub css: String,
    pub languages: Vec<LanguageLink>,
}

impl Chrome {
    /// The layout for `path` (the page's own path and query, without `lang`) in `messages`.
    pub fn new(messages: &Messages, path: &str, query: &[(String, String)]) -> Self {
        let languages = SUPPORTED
            .iter()
            .map(|code| {
                let mut pairs: Vec<(String, String)> = query
                    .iter()
                    .filter(|(name, _)| name != "lang")
                    .cloned()
                    .collect();
                pairs.push(("lang".to_owned(), (*code).to_owned()));
                LanguageLink {
                    code,
                    name: messages.t(&format!("lang-{code}")),
                    href: format!("{path}?{}", query_string(&pairs)),
                    current: *code == messages.language,
                }
            })
            .collect();
        Chrome {
            lang: messages.language.clone(),
            site_name: messages.t("site-name"),
            skip: messages.t("skip-to-content"),
            language_switch: messages.t("language-switch"),
            css: assets::url("site.css"),
            languages,
        }
    }
}

/// A query string of `pairs`, percent-encoded.
pub fn query_string(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The characters a query component keeps as they are (RFC 3986 unreserved).
const QUERY_COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes a query component.
pub fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, QUERY_COMPONENT).to_string()
}

/// What the request says about the language.
pub fn asked(req: &Request) -> Asked {
    let query = req
        .uri()
        .query()
        .and_then(|q| query_pairs(q).into_iter().find(|(name, _)| name == "lang"))
        .map(|(_, value)| value);
    Asked {
        query,
        cookie: cookie(req.headers(), &format!("__Host-{LANGUAGE_COOKIE}"))
            .or_else(|| cookie(req.headers(), LANGUAGE_COOKIE)),
        accept_language: req
            .headers()
            .get("accept-language")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    }
}

/// The decoded pairs of a query string (or of a posted form).
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

/// A cookie's value from the request headers.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// A page: HTML with the headers every page carries, and the language cookie when the
/// visitor chose a language with `?lang=`.
pub fn page(status: StatusCode, html: String, asked: &Asked, secure: bool) -> Response {
    let mut response = Response::builder()
        .status(status)
        .content_type("text/html; charset=utf-8")
        .header(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        )
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "strict-origin-when-cross-origin")
        .header("Vary", "Accept-Language, Cookie")
        .header("Cache-Control", "no-cache")
        .body(html);
    if let Some(language) = asked.to_remember() {
        // Over https the cookie is `__Host-` (this host only, `Path=/`, `Secure`).
        let (prefix, secure) = if secure {
            ("__Host-", "; Secure")
        } else {
            ("", "")
        };
        let value = format!(
            "{prefix}{LANGUAGE_COOKIE}={language}; Path=/; Max-Age=31536000; HttpOnly; \
             SameSite=Lax{secure}"
        );
        if let Ok(value) = value.parse() {
            response.headers_mut().insert("Set-Cookie", value);
        }
    }
    response
}
