//! The delegate's way back to their page: the manage token kept in an `HttpOnly` cookie that
//! only `/me` receives (never in a URL), and the headers of every page that shows a
//! delegate's data (`no-store`, `no-referrer`).

use poem::web::cookie::{Cookie, CookieJar, SameSite};
use poem::{Request, Response};

/// The name of the cookie that holds the manage token.
pub const MANAGE_COOKIE: &str = "dlg_manage";
/// The path the cookie is sent to: the delegate's pages and nothing else.
const COOKIE_PATH: &str = "/me";
/// How long a browser keeps the way back: past any event's end.
const KEPT_FOR: std::time::Duration = std::time::Duration::from_secs(400 * 24 * 3600);

/// The manage token this browser holds, if any.
pub fn token(req: &Request) -> Option<String> {
    req.cookie()
        .get(MANAGE_COOKIE)
        .map(|cookie| cookie.value_str().to_owned())
        .filter(|token| !token.is_empty())
}

/// Keeps `token` in the browser.
pub fn remember(jar: &CookieJar, token: &str, secure: bool) {
    set_for_me(jar, MANAGE_COOKIE, token, KEPT_FOR, secure);
}

/// Makes the browser forget the token.
pub fn forget(jar: &CookieJar, secure: bool) {
    set_for_me(jar, MANAGE_COOKIE, "", std::time::Duration::ZERO, secure);
}

/// Sets cookie `name` for the delegate's pages only (`HttpOnly`, `SameSite=Lax`), kept for
/// `max_age` (zero: removed).
pub fn set_for_me(
    jar: &CookieJar,
    name: &'static str,
    value: &str,
    max_age: std::time::Duration,
    secure: bool,
) {
    let mut cookie = Cookie::new_with_str(name, value);
    cookie.set_path(COOKIE_PATH);
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_secure(secure);
    cookie.set_max_age(max_age);
    jar.add(cookie);
}

/// Marks a response as private: never stored by a cache, never named in a `Referer`.
pub fn private(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        "Cache-Control",
        poem::http::HeaderValue::from_static("no-store"),
    );
    headers.insert(
        "Referrer-Policy",
        poem::http::HeaderValue::from_static("no-referrer"),
    );
    response
}

/// A `303 See Other` to `location`, private.
pub fn see_other(location: &str) -> Response {
    private(
        Response::builder()
            .status(poem::http::StatusCode::SEE_OTHER)
            .header("Location", location)
            .finish(),
    )
}
