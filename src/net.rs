//! Connections: how many the service holds at once (in all and per client address), and how
//! long a client may take to send a request's head. A slowloris client that opens many
//! connections and dribbles header bytes gets its extra connections closed at accept and each
//! held one closed when its head is late; other clients are served meanwhile. (Idle
//! keep-alive connections are closed by the server's idle timeout; slow bodies by the request
//! timeout around the endpoint.)

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use poem::http::uri::Scheme;
use poem::listener::Acceptor;
use poem::web::{LocalAddr, RemoteAddr};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

/// Limits on the connections an acceptor hands to the server.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Most connections at once; more wait in the kernel's backlog.
    pub max_connections: usize,
    /// Most connections at once from one address (0: no limit, for a reverse proxy in front).
    pub max_per_client: usize,
    /// The time from a request's first byte to the end of its head.
    pub header_timeout: Duration,
}

/// Open connections per client address.
#[derive(Default)]
struct PerClient(Mutex<HashMap<IpAddr, usize>>);

impl PerClient {
    /// Counts one more connection of `ip`, unless it holds `max` already.
    fn enter(self: &Arc<Self>, ip: IpAddr, max: usize) -> Option<ClientSlot> {
        let mut open = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = open.entry(ip).or_insert(0);
        if max > 0 && *count >= max {
            return None;
        }
        *count += 1;
        Some(ClientSlot {
            ip,
            table: self.clone(),
        })
    }
}

/// One connection's place in its client's count, given back when the connection closes.
struct ClientSlot {
    ip: IpAddr,
    table: Arc<PerClient>,
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut open = self
            .table
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = open.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

/// An acceptor that enforces [`ConnectionLimits`] on another.
pub struct GuardedAcceptor<A> {
    inner: A,
    limits: ConnectionLimits,
    slots: Arc<Semaphore>,
    clients: Arc<PerClient>,
}

impl<A> GuardedAcceptor<A> {
    pub fn new(inner: A, limits: ConnectionLimits) -> Self {
        GuardedAcceptor {
            inner,
            limits,
            slots: Arc::new(Semaphore::new(limits.max_connections.max(1))),
            clients: Arc::default(),
        }
    }
}

impl<A: Acceptor> Acceptor for GuardedAcceptor<A> {
    type Io = GuardedIo<A::Io>;

    fn local_addr(&self) -> Vec<LocalAddr> {
        self.inner.local_addr()
    }

    async fn accept(&mut self) -> io::Result<(Self::Io, LocalAddr, RemoteAddr, Scheme)> {
        loop {
            // Wait for a free slot before taking the next connection off the backlog.
            let permit = self
                .slots
                .clone()
                .acquire_owned()
                .await
                .map_err(|_| io::Error::other("the connection limit was closed"))?;
            let (io, local, remote, scheme) = self.inner.accept().await?;
            let ip = remote.as_socket_addr().map(|addr| addr.ip());
            let slot = match ip {
                Some(ip) => match self.clients.enter(ip, self.limits.max_per_client) {
                    Some(slot) => Some(slot),
                    None => {
                        tracing::debug!(%ip, "connection refused: too many from one client");
                        continue;
                    }
                },
                None => None,
            };
            let io = GuardedIo {
                inner: io,
                _permit: permit,
                _slot: slot,
                header_timeout: self.limits.header_timeout,
                head: Head::Idle,
                deadline: Box::pin(tokio::time::sleep(Duration::ZERO)),
                tail: [0; 3],
            };
            return Ok((io, local, remote, scheme));
        }
    }
}

/// Where a connection stands in its current request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Head {
    /// Between requests (the server's idle timeout applies).
    Idle,
    /// Reading a request's head, which must end before the deadline.
    Reading,
    /// The head is complete: the body and the answer are the request timeout's business.
    Done,
}

/// A connection that fails when a request's head takes longer than the header timeout.
pub struct GuardedIo<T> {
    inner: T,
    _permit: OwnedSemaphorePermit,
    _slot: Option<ClientSlot>,
    header_timeout: Duration,
    head: Head,
    deadline: Pin<Box<Sleep>>,
    /// The last bytes read, to find a head's end split across reads.
    tail: [u8; 3],
}

impl<T> GuardedIo<T> {
    /// Follows the request head through the bytes just read.
    fn saw(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        if self.head == Head::Idle {
            self.head = Head::Reading;
            self.deadline
                .as_mut()
                .reset(Instant::now() + self.header_timeout);
            self.tail = [0; 3];
        }
        if self.head == Head::Reading {
            // The end may straddle the previous read: look at its last three bytes too.
            let mut seam = [0u8; 6];
            let lead = bytes.len().min(3);
            seam[..3].copy_from_slice(&self.tail);
            seam[3..3 + lead].copy_from_slice(&bytes[..lead]);
            if seam[..3 + lead].windows(4).any(|w| w == b"\r\n\r\n")
                || bytes.windows(4).any(|w| w == b"\r\n\r\n")
            {
                self.head = Head::Done;
            }
            let keep = bytes.len().min(3);
            self.tail.rotate_left(keep);
            self.tail[3 - keep..].copy_from_slice(&bytes[bytes.len() - keep..]);
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for GuardedIo<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                this.saw(&buf.filled()[before..]);
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(err)) => Poll::Ready(Err(err)),
            Poll::Pending => {
                if this.head == Head::Reading && this.deadline.as_mut().poll(cx).is_ready() {
                    tracing::debug!("connection closed: request head too slow");
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the request head took too long",
                    )));
                }
                Poll::Pending
            }
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for GuardedIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        // An answer is going out: the next bytes read start a new request.
        self.head = Head::Idle;
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.head = Head::Idle;
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
