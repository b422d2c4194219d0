//! The pages' static files (`static/`: styles, icons), embedded in the binary and served at
//! content-hashed URLs (`/static/{hash}/{name}`) with a year-long, immutable cache: a
//! changed file gets a new URL. Nothing is loaded from another host.

use std::sync::OnceLock;

use poem::http::StatusCode;
use poem::web::Path;
use poem::{Response, handler};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Static;

/// The URL of a static file, with its content hash.
pub fn url(name: &str) -> String {
    format!("/static/{}/{name}", hash_of(name))
}

fn hash_of(name: &str) -> &'static str {
    static HASHES: OnceLock<std::collections::HashMap<String, String>> = OnceLock::new();
    HASHES
        .get_or_init(|| {
            Static::iter()
                .filter_map(|file| {
                    let data = Static::get(&file)?;
                    Some((
                        file.to_string(),
                        hex::encode(&data.metadata.sha256_hash()[..8]),
                    ))
                })
                .collect()
        })
        .get(name)
        .map(String::as_str)
        .unwrap_or("0")
}

/// Serves a static file; an old hash still gets the current file, but not for a year.
#[handler]
pub fn serve(Path((hash, name)): Path<(String, String)>) -> Response {
    let Some(file) = Static::get(&name) else {
        return Response::builder().status(StatusCode::NOT_FOUND).finish();
    };
    let current = hash == hash_of(&name);
    let mime = match name.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    };
    Response::builder()
        .content_type(mime)
        .header(
            "Cache-Control",
            if current {
                "public, max-age=31536000, immutable"
            } else {
                "public, no-cache"
            },
        )
        .header("X-Content-Type-Options", "nosniff")
        .body(file.data.into_owned())
}

/// The bytes of a static file, for routes that must serve one at a fixed path.
pub fn file(name: &str) -> Option<Vec<u8>> {
    Static::get(name).map(|file| file.data.into_owned())
}
