//! The Content Security Policy of `/docs` (Swagger UI): its inline scripts run because their
//! SHA-256 hashes are listed, nothing else runs, and it may fetch from this origin only. The
//! page shares its origin with the scanner, whose token is kept in the browser, so an
//! injected script must not run there.

use data_encoding::BASE64;
use sha2::{Digest, Sha256};

/// The policy for `html`: every inline `<script>` of it allowed by hash.
pub fn for_page(html: &str) -> String {
    let hashes: Vec<String> = inline_scripts(html)
        .map(|script| {
            format!(
                "'sha256-{}'",
                BASE64.encode(&Sha256::digest(script.as_bytes()))
            )
        })
        .collect();
    format!(
        "default-src 'none'; script-src {}; style-src 'unsafe-inline'; img-src 'self' data:; \
         font-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
         frame-ancestors 'none'",
        if hashes.is_empty() {
            "'none'".to_owned()
        } else {
            hashes.join(" ")
        }
    )
}

/// The text of each inline `<script>` element (those without `src`).
pub fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    let mut rest = html;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find("<script")?;
            let after_tag = rest[start..].find('>')? + start;
            let tag = &rest[start..after_tag];
            let end = rest[after_tag..].find("</script>")? + after_tag;
            let body = &rest[after_tag + 1..end];
            rest = &rest[end + "</script>".len()..];
            if !tag.contains("src=") {
                return Some(body);
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_left_out() {
        let html = "<script src=\"x.js\"></script><p>hi</p><script>alert(1)</script>\
                    <script type=\"module\">go()</script>";
        let scripts: Vec<&str> = inline_scripts(html).collect();
        assert_eq!(scripts, vec!["alert(1)", "go()"]);
        let policy = for_page(html);
        assert_eq!(policy.matches("'sha256-").count(), 2);
        assert!(!policy.contains("script-src 'unsafe-inline'"));
    }
}
