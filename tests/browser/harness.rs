//! The browser-test harness: it owns the browser processes and the helpers every scenario
//! shares. [`Browser::start`] runs a private `chromedriver` (Debian's headless Chromium) per test
//! and connects a `fantoccini` client to it; [`axe_violations`] checks the loaded page with the
//! vendored axe-core (`vendor/README.md`); [`screenshot`] saves the viewport under
//! `target/screenshots/`.
//!
//! Without chromedriver a test skips (with a note) locally but fails when `CI=true`;
//! `bash .ci/ensure-browser` installs it. Environment: `CHROMEDRIVER` (the driver; default: the
//! first `chromedriver` on `PATH`), `CHROMIUM` (the browser; default `/usr/bin/chromium` when it
//! exists), `CHROMEDRIVER_LOG` (a file for chromedriver's verbose log, when debugging).

// Not every scenario module uses every helper.
#![allow(dead_code)]

use std::ffi::OsString;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Map, Value, json};

/// axe-core 4.14.1, injected into pages under test only.
const AXE_SOURCE: &str = include_str!("vendor/axe.min.js");

/// Runs axe on the whole document with the WCAG 2.0/2.1 A and AA rules and hands back the serious
/// and critical violations, trimmed for test output (WebDriver passes the callback last).
const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
  resultTypes: ['violations'],
}).then((results) => done({
  violations: results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({target: n.target, html: n.html.slice(0, 200)})),
    })),
})).catch((err) => done({error: String((err && err.stack) || err)}));
"#;

/// Debian's Chromium launcher, used when `CHROMIUM` is not set.
const DEBIAN_CHROMIUM: &str = "/usr/bin/chromium";

/// A headless Chromium behind its own chromedriver. Dropping it stops both.
pub struct Browser {
    pub client: Client,
    driver: Child,
    port: u16,
}

impl Browser {
    /// Starts chromedriver and Chromium with a `width` × `height` CSS-pixel viewport. `None` when
    /// chromedriver is missing outside CI (the test should then return early).
    pub async fn start(width: u32, height: u32) -> Option<Browser> {
        Self::start_with(width, height, &[]).await
    }

    /// Like [`start`](Self::start), with more Chromium arguments (e.g. a fake camera).
    pub async fn start_with(width: u32, height: u32, extra: &[String]) -> Option<Browser> {
        let Some(chromedriver) = chromedriver_path() else {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("CI=true and chromedriver is missing: run bash .ci/ensure-browser");
            }
            eprintln!(
                "note: skipping a browser test: chromedriver is not on PATH (or in CHROMEDRIVER); \
                 run bash .ci/ensure-browser"
            );
            return None;
        };
        let port = free_port();
        let mut command = Command::new(&chromedriver);
        command
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(log) = std::env::var_os("CHROMEDRIVER_LOG") {
            let mut log_path = OsString::from("--log-path=");
            log_path.push(log);
            command.arg(log_path).arg("--verbose");
        }
        let mut driver = command
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {}: {err}", chromedriver.display()));
        if let Err(message) = wait_until_listening(&mut driver, port).await {
            stop_driver(&mut driver, port);
            panic!("{message}");
        }
        let connected = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities(width, height, extra))
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        let client = match connected {
            Ok(client) => client,
            Err(err) => {
                stop_driver(&mut driver, port);
                panic!("chromedriver could not start Chromium: {err}");
            }
        };
        let browser = Browser {
            client,
            driver,
            port,
        };
        browser.fit_viewport(width, height).await;
        Some(browser)
    }

    /// Ends the WebDriver session (Chromium quits), then stops chromedriver.
    pub async fn close(self) {
        self.client
            .clone()
            .close()
            .await
            .expect("close the WebDriver session");
        // Dropping `self` stops chromedriver.
    }

    /// `--window-size` sizes the window, and headless Chromium still keeps ~143 px of its height
    /// for browser UI it does not draw (and makes windows at least 500 px wide): grow or shrink
    /// the window by that difference so the viewport itself is `width` × `height`.
    async fn fit_viewport(&self, width: u32, height: u32) {
        let [inner_width, inner_height, outer_width, outer_height] =
            window_sizes(&self.client).await;
        if (inner_width, inner_height) == (width, height) {
            return;
        }
        self.client
            .set_window_size(
                width + outer_width.saturating_sub(inner_width),
                height + outer_height.saturating_sub(inner_height),
            )
            .await
            .expect("resize the browser window");
        let [inner_width, inner_height, ..] = window_sizes(&self.client).await;
        assert_eq!(
            (inner_width, inner_height),
            (width, height),
            "the browser's viewport is {inner_width}×{inner_height}, not the {width}×{height} asked for"
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        stop_driver(&mut self.driver, self.port);
    }
}

/// The serious and critical WCAG 2.0/2.1 A/AA violations axe-core finds on the current page, each
/// as `{id, impact, help, helpUrl, nodes: [{target, html}]}` (`html` cut to 200 characters).
pub async fn axe_violations(client: &Client) -> Vec<Value> {
    let loaded = client
        .execute("return typeof window.axe === 'object';", vec![])
        .await
        .expect("look for axe-core in the page");
    if loaded != Value::Bool(true) {
        client
            .execute(AXE_SOURCE, vec![])
            .await
            .expect("inject axe-core into the page");
    }
    let result = client
        .execute_async(AXE_RUN, vec![])
        .await
        .expect("run axe-core");
    match result.get("violations").and_then(Value::as_array) {
        Some(violations) => violations.clone(),
        None => panic!("axe-core failed: {result}"),
    }
}

/// Saves a PNG of the viewport as `target/screenshots/{name}.png` (under the package directory)
/// and returns its path.
pub async fn screenshot(client: &Client, name: &str) -> PathBuf {
    let png = client.screenshot().await.expect("take a screenshot");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap_or_else(|err| panic!("create {}: {err}", dir.display()));
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png).unwrap_or_else(|err| panic!("write {}: {err}", path.display()));
    path
}

/// `CHROMEDRIVER` when set, else the first `chromedriver` on `PATH`.
fn chromedriver_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMEDRIVER") {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "CHROMEDRIVER={} is not a file",
            path.display()
        );
        return Some(path);
    }
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|dir| dir.join("chromedriver"))
        .find(|path| path.is_file())
}

/// A local port nothing listens on (free when checked; chromedriver takes it right after).
fn free_port() -> u16 {
    let probe = TcpListener::bind("127.0.0.1:0").expect("bind a free local port");
    probe
        .local_addr()
        .expect("the probe's local address")
        .port()
}

fn driver_address(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// Waits (up to 10 s) until chromedriver accepts connections on `port`.
async fn wait_until_listening(driver: &mut Child, port: u16) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if tokio::net::TcpStream::connect(driver_address(port))
            .await
            .is_ok()
        {
            return Ok(());
        }
        if let Ok(Some(status)) = driver.try_wait() {
            return Err(format!(
                "chromedriver exited ({status}) before listening on port {port}"
            ));
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "chromedriver did not listen on port {port} within 10 s"
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The `goog:chromeOptions` for a headless Chromium whose window starts at `width` × `height`.
fn capabilities(width: u32, height: u32, extra: &[String]) -> Map<String, Value> {
    let mut options = json!({
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            format!("--window-size={width},{height}"),
            "--lang=en",
        ],
    });
    if let Some(args) = options["args"].as_array_mut() {
        args.extend(extra.iter().cloned().map(Value::String));
    }
    let binary = match std::env::var("CHROMIUM") {
        Ok(path) => Some(path),
        Err(_) if Path::new(DEBIAN_CHROMIUM).exists() => Some(DEBIAN_CHROMIUM.to_owned()),
        Err(_) => None,
    };
    if let Some(binary) = binary {
        options["binary"] = Value::String(binary);
    }
    let mut capabilities = Map::new();
    capabilities.insert("goog:chromeOptions".to_owned(), options);
    capabilities
}

/// `[innerWidth, innerHeight, outerWidth, outerHeight]` of the current window.
async fn window_sizes(client: &Client) -> [u32; 4] {
    let sizes = client
        .execute(
            "return [innerWidth, innerHeight, outerWidth, outerHeight];",
            vec![],
        )
        .await
        .expect("read the window size");
    [0_usize, 1, 2, 3].map(|i| {
        sizes[i]
            .as_u64()
            .and_then(|size| u32::try_from(size).ok())
            .unwrap_or_else(|| panic!("window sizes should be pixel counts: {sizes}"))
    })
}

/// Asks chromedriver to shut down, which ends its sessions so Chromium quits and its temporary
/// profile is removed (a killed chromedriver leaves Chromium running), then makes sure the
/// process is gone and reaped.
fn stop_driver(driver: &mut Child, port: u16) {
    if let Ok(mut stream) =
        TcpStream::connect_timeout(&driver_address(port), Duration::from_secs(1))
    {
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
        stream.set_write_timeout(Some(Duration::from_secs(1))).ok();
        let request = format!(
            "GET /shutdown HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        );
        if stream.write_all(request.as_bytes()).is_ok() {
            stream.read_to_end(&mut Vec::new()).ok();
        }
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = driver.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    driver.kill().ok();
    driver.wait().ok();
}
