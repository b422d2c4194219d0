//! A real SMTP server for the mail tests: `tests/mail/smtp_server.py` (aiosmtpd, installed by
//! `.ci/ensure-smtp` into `target/smtp-venv`) on a free local port, with STARTTLS under a
//! certificate made for the test (rcgen). It keeps every message it accepts as a file, and
//! answers the replies a test scripts (`451 …`, `550 …`) before accepting. Without the venv
//! the mail tests skip locally with a note and fail when `CI=true`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One message as the server received it.
pub struct Received {
    pub raw: Vec<u8>,
    /// `{"mail_from", "rcpt_tos", "tls", "authenticated"}`.
    pub envelope: serde_json::Value,
}

pub struct SmtpServer {
    pub port: u16,
    pub dir: PathBuf,
    pub ca_file: PathBuf,
    child: Option<Child>,
    python: PathBuf,
    /// The one user the server lets in, when it asks for authentication.
    pub auth: Option<(String, String)>,
    /// TLS from the first byte (`smtps://`) instead of STARTTLS.
    pub implicit_tls: bool,
}

fn venv_python() -> Option<PathBuf> {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/smtp-venv/bin/python");
    if python.is_file() {
        return Some(python);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true and the SMTP test server is missing: run bash .ci/ensure-smtp");
    }
    eprintln!("note: skipping a mail test: run bash .ci/ensure-smtp for its SMTP server");
    None
}

impl SmtpServer {
    /// Starts a server, or `None` outside CI when aiosmtpd is not installed.
    pub fn start() -> Option<SmtpServer> {
        Self::start_with(None, false)
    }

    /// Starts a server that asks for `auth` and speaks TLS from the start when `implicit_tls`.
    pub fn start_with(auth: Option<(&str, &str)>, implicit_tls: bool) -> Option<SmtpServer> {
        let python = venv_python()?;
        let dir = std::env::temp_dir().join(format!("dialogue-smtp-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("server directory");
        let key = rcgen::KeyPair::generate().expect("a key");
        let params = rcgen::CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()])
            .expect("certificate parameters");
        let cert = params.self_signed(&key).expect("a self-signed certificate");
        let ca_file = dir.join("cert.pem");
        std::fs::write(&ca_file, cert.pem()).expect("write cert");
        std::fs::write(dir.join("key.pem"), key.serialize_pem()).expect("write key");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut server = SmtpServer {
            port,
            dir,
            ca_file,
            child: None,
            python,
            auth: auth.map(|(u, p)| (u.to_owned(), p.to_owned())),
            implicit_tls,
        };
        server.resume();
        Some(server)
    }

    /// Starts (again) on the same port and directory.
    pub fn resume(&mut self) {
        let _ = std::fs::remove_file(self.dir.join("ready"));
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mail/smtp_server.py");
        let mut command = Command::new(&self.python);
        command.arg(script);
        if let Some((user, password)) = &self.auth {
            command
                .arg("--user")
                .arg(user)
                .arg("--password")
                .arg(password);
        }
        if self.implicit_tls {
            command.arg("--implicit");
        }
        let child = command
            .arg("--port")
            .arg(self.port.to_string())
            .arg("--dir")
            .arg(&self.dir)
            .arg("--cert")
            .arg(&self.ca_file)
            .arg("--key")
            .arg(self.dir.join("key.pem"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the SMTP server");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.dir.join("ready").exists() {
            assert!(Instant::now() < deadline, "the SMTP server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server (connections are refused until [`resume`](Self::resume)).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The replies the server gives to the next messages instead of accepting them.
    pub fn answer(&self, replies: &[&str]) {
        std::fs::write(
            self.dir.join("answers.json"),
            serde_json::to_string(replies).expect("json"),
        )
        .expect("write answers");
    }

    /// Every message received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .expect("read server directory")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|path| Received {
                raw: std::fs::read(&path).expect("read message"),
                envelope: serde_json::from_slice(
                    &std::fs::read(path.with_extension("json")).expect("read envelope"),
                )
                .expect("envelope json"),
            })
            .collect()
    }

    /// Waits until `count` messages arrived (at most `within`), and answers them.
    pub async fn wait_for(&self, count: usize, within: Duration) -> Vec<Received> {
        let deadline = Instant::now() + within;
        loop {
            let received = self.received();
            if received.len() >= count || Instant::now() > deadline {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The mail settings that send through this server.
    pub fn configure(&self, config: &mut dialogue::Config) {
        let scheme = if self.implicit_tls { "smtps" } else { "smtp" };
        let credentials = self
            .auth
            .as_ref()
            .map(|(user, password)| format!("{user}:{password}@"))
            .unwrap_or_default();
        config.mail.smtp_url = Some(format!("{scheme}://{credentials}127.0.0.1:{}", self.port));
        config.mail.ca_file = Some(self.ca_file.clone());
        config.mail.retry_base = Duration::from_millis(100);
        config.mail.retry_cap = Duration::from_millis(400);
        config.mail.poll = Duration::from_millis(100);
        config.mail.lease = Duration::from_secs(2);
        config.public_url = "http://dialogue.test".into();
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
