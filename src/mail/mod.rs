//! E-mail to delegates. Messages are rows of the outbox (`store::outbox`), written in the
//! transaction of the change that causes them; a sender in every instance claims due rows,
//! composes each in the delegate's language and sends it.
//!
//! - [`transport`]: SMTP (`SMTP_URL`, lettre over rustls) or `.eml` files.
//! - [`compose`]: a message from its row: subject and text and HTML parts from the Fluent
//!   messages, the link to `/r/{token}`, the badge and `.ics` attachments.
//! - [`sender`]: the worker: claim with a lease, send, retry with backoff, record; purge.

pub mod compose;
pub mod sender;
pub mod transport;

use std::sync::LazyLock;

use tokio::sync::Notify;

/// Wakes the senders of this process when a change wrote messages.
static WAKE: LazyLock<Notify> = LazyLock::new(Notify::new);

/// Tells the senders of this process that messages wait (after a commit).
pub fn wake() {
    WAKE.notify_waiters();
}

/// Waits until [`wake`] is called.
pub(crate) async fn woken() {
    WAKE.notified().await;
}
