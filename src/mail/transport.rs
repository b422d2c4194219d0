//! Where messages go: an SMTP server (`SMTP_URL`: `smtp://` with STARTTLS required,
//! `smtps://` with TLS from the start, `?tls=none` for a local relay; credentials in the URL;
//! pooled connections) or, without one, `.eml` files in a directory.

use std::path::PathBuf;

use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::MailConfig;

/// How one attempt to send ended, when it did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Worth another attempt later: a 4xx reply, a network or TLS error.
    #[error("{0}")]
    Transient(String),
    /// Never worth another attempt: a 5xx reply.
    #[error("{0}")]
    Permanent(String),
}

/// A configured way to send.
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

/// Why the mail settings cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("mail settings: {0}")]
pub struct BadSettings(pub String);

impl Transport {
    /// The transport the settings name; `None` when mail is off.
    pub fn from_config(config: &MailConfig) -> Result<Option<Transport>, BadSettings> {
        if let Some(url) = &config.smtp_url {
            return smtp(url, config).map(|t| Some(Transport::Smtp(t)));
        }
        Ok(config.files_dir.clone().map(Transport::Files))
    }

    /// Sends one message; `name` names its file when writing files.
    pub async fn send(&self, message: Message, name: &str) -> Result<(), SendError> {
        match self {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|err| {
                let text = describe(&err);
                if err.is_permanent() {
                    SendError::Permanent(text)
                } else {
                    SendError::Transient(text)
                }
            }),
            Transport::Files(dir) => {
                let write = async {
                    tokio::fs::create_dir_all(dir).await?;
                    let tmp = dir.join(format!("{name}.eml.tmp"));
                    tokio::fs::write(&tmp, message.formatted()).await?;
                    tokio::fs::rename(&tmp, dir.join(format!("{name}.eml"))).await
                };
                write
                    .await
                    .map_err(|err| SendError::Transient(format!("writing the message: {err}")))
            }
        }
    }
}

/// An SMTP error as organizers read it: the server's reply when there is one.
fn describe(err: &lettre::transport::smtp::Error) -> String {
    match err.status() {
        Some(code) => format!("{code} {err}"),
        None => err.to_string(),
    }
}

fn smtp(url: &str, config: &MailConfig) -> Result<AsyncSmtpTransport<Tokio1Executor>, BadSettings> {
    let bad = |what: &str| BadSettings(format!("SMTP_URL: {what}"));
    let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("no scheme"))?;
    let (authority, query) = rest.split_once('?').unwrap_or((rest, ""));
    let authority = authority.trim_end_matches('/');
    let (credentials, host_port) = match authority.rsplit_once('@') {
        Some((credentials, host_port)) => (Some(credentials), host_port),
        None => (None, authority),
    };
    let (host, port) = match host_port.rsplit_once(':') {
        Some((host, port)) => (
            host,
            Some(
                port.parse::<u16>()
                    .map_err(|_| bad("the port is not a number"))?,
            ),
        ),
        None => (host_port, None),
    };
    if host.is_empty() {
        return Err(bad("no host"));
    }
    let no_tls = query.split('&').any(|pair| pair == "tls=none");
    let tls_parameters = || {
        let mut builder = TlsParameters::builder(host.to_owned());
        if let Some(path) = &config.ca_file {
            let pem = std::fs::read(path)
                .map_err(|err| BadSettings(format!("SMTP_CA_FILE {}: {err}", path.display())))?;
            let certificate = Certificate::from_pem(&pem)
                .map_err(|err| BadSettings(format!("SMTP_CA_FILE {}: {err}", path.display())))?;
            builder = builder.add_root_certificate(certificate);
        }
        builder
            .build_rustls()
            .map_err(|err| BadSettings(format!("TLS: {err}")))
    };
    let (tls, default_port) = match (scheme, no_tls) {
        ("smtps", _) => (Tls::Wrapper(tls_parameters()?), 465),
        ("smtp", true) => (Tls::None, 25),
        ("smtp", false) => (Tls::Required(tls_parameters()?), 587),
        _ => return Err(bad("the scheme must be smtp or smtps")),
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(port.unwrap_or(default_port))
        .tls(tls)
        .timeout(Some(std::time::Duration::from_secs(30)))
        .pool_config(PoolConfig::new().max_size(4));
    if let Some(credentials) = credentials {
        let (user, password) = credentials.split_once(':').unwrap_or((credentials, ""));
        builder = builder.credentials(Credentials::new(decode(user), decode(password)));
    }
    Ok(builder.build())
}

/// Percent-decodes a URL's user or password.
fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: &str) -> MailConfig {
        MailConfig {
            smtp_url: Some(url.into()),
            ..MailConfig::off()
        }
    }

    #[tokio::test]
    async fn smtp_urls_are_read() {
        for url in [
            "smtp://user:p%40ss@mail.example.org:587",
            "smtps://user:pass@mail.example.org",
            "smtp://127.0.0.1:2525?tls=none",
        ] {
            assert!(Transport::from_config(&config(url)).is_ok(), "{url}");
        }
        for url in [
            "mail.example.org",
            "http://x",
            "smtp://:25",
            "smtp://host:port",
        ] {
            assert!(Transport::from_config(&config(url)).is_err(), "{url}");
        }
        assert_eq!(decode("p%40ss"), "p@ss");
    }
}
