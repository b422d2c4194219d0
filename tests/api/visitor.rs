//! A browser as the page tests need it: it keeps the cookies the server sets (and drops the
//! ones it expires), sends them back, posts forms, and reads the hidden fields of a page.

use std::collections::BTreeMap;

use poem::http::Method;

use crate::helpers::{Reply, TestApp, read};

/// One visitor with a cookie jar.
pub struct Visitor<'a> {
    app: &'a TestApp,
    pub cookies: BTreeMap<String, String>,
}

impl<'a> Visitor<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Visitor {
            app,
            cookies: BTreeMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, reply: &Reply) {
        for set in reply.headers.get_all("set-cookie") {
            let set = set.to_str().expect("ascii cookie");
            let (pair, attributes) = set.split_once(';').unwrap_or((set, ""));
            let (name, value) = pair.split_once('=').expect("name=value");
            if attributes.contains("Max-Age=0") || value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let mut request = self.app.client.request(Method::GET, path.to_owned());
        if !self.cookies.is_empty() {
            request = request.header("Cookie", self.cookie_header());
        }
        let reply = read(request.send().await.0).await;
        self.keep(&reply);
        reply
    }

    /// Posts `fields` as `application/x-www-form-urlencoded`.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = fields
            .iter()
            .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
            .collect::<Vec<_>>()
            .join("&");
        let mut request = self
            .app
            .client
            .request(Method::POST, path.to_owned())
            .content_type("application/x-www-form-urlencoded")
            .body(body);
        if !self.cookies.is_empty() {
            request = request.header("Cookie", self.cookie_header());
        }
        let reply = read(request.send().await.0).await;
        self.keep(&reply);
        reply
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The value of the first `<input … name="{name}" … value="…">` of a page.
pub fn field(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}""#);
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no field {name}"));
    let tag_start = html[..at].rfind('<').expect("tag start");
    let tag_end = at + html[at..].find('>').expect("tag end");
    let tag = &html[tag_start..tag_end];
    let value = tag
        .split_once(r#"value=""#)
        .map(|(_, rest)| rest.split('"').next().unwrap_or_default())
        .unwrap_or_default();
    value
        .replace("&#43;", "+")
        .replace("&#61;", "=")
        .replace("&#47;", "/")
}
