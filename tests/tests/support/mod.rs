//! Harness for the end-to-end tests: one app instance per test, driven over
//! W3C WebDriver through `tauri-driver` and `WebKitWebDriver`.
//!
//! Each test gets its own empty data directory, its own X display (an
//! `Xvfb` started here when `DISPLAY` is unset) and its own `tauri-driver` on
//! free ports. Everything started here is stopped again by pid when the test
//! ends, whether it passed or failed (see [`Processes`], a drop guard).
//!
//! Screenshots go to `<workspace>/tests/artifacts/<test>/NN-step.png`, one per
//! [`App::step`], plus `NN-failure.png` when a test fails; the driver's and
//! the app's output go to `driver.log` in the same folder.

#![allow(dead_code)] // each test binary uses its own subset of the helpers

pub mod flows;
pub mod procs;

use std::fs;
use std::future::Future;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use procs::Processes;

/// How long a single wait (an element, a text) may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// Signing in runs Argon2id; give it more room on a busy 2-core machine.
pub const SLOW_TIMEOUT: Duration = Duration::from_secs(30);
/// A whole test.
const TEST_TIMEOUT: Duration = Duration::from_secs(600);
const POLL: Duration = Duration::from_millis(100);

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Held for as long as a test has a window (and its X display) open, so
/// that `cargo test --workspace` can run these binaries with the default
/// test threads: the end-to-end tests of one binary then take turns, as
/// the X display numbers and one WebKit at a time on a 2-core machine
/// need, while the core and shell tests in the same run keep their threads.
/// (tokio's lock, as it is held across awaits; a test that failed while
/// holding it leaves nothing behind, its processes are stopped by then.)
static WINDOW: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Waits for the turn to open a window; see [`WINDOW`].
pub async fn one_window_at_a_time() -> tokio::sync::MutexGuard<'static, ()> {
    WINDOW.lock().await
}

/// [`one_window_at_a_time`] for a test that is not async.
pub fn one_window_at_a_time_blocking() -> tokio::sync::MutexGuard<'static, ()> {
    WINDOW.blocking_lock()
}

/// The app under test: `$TILLID_APP`, else `<workspace>/target/debug/tillid`.
pub fn app_binary() -> PathBuf {
    let path = match std::env::var_os("TILLID_APP") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => workspace_root().join("target/debug/tillid"),
    };
    assert!(
        path.is_file(),
        "the app binary {} does not exist: run `cargo build -p tillid` first \
         (or point TILLID_APP at a built binary)",
        path.display()
    );
    path.canonicalize()
        .expect("canonical path of the app binary")
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// `$TAURI_DRIVER`, else `tauri-driver` on PATH or in cargo's bin folder.
fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|home| home.join("bin/tauri-driver"));
    on_path("tauri-driver")
        .or(cargo_bin.filter(|p| p.is_file()))
        .expect(
            "tauri-driver is not installed: run `bash scripts/install-deps.sh --test` \
             (or `cargo install tauri-driver --version '^2' --locked`)",
        )
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port")
        .port()
}

/// Start an `Xvfb` on a free display number unless `DISPLAY` is set.
pub fn display(procs: &mut Processes, log: &Path) -> String {
    if let Some(d) = std::env::var("DISPLAY").ok().filter(|d| !d.is_empty()) {
        return d;
    }
    for n in 90..190 {
        let lock = PathBuf::from(format!("/tmp/.X{n}-lock"));
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        if lock.exists() || socket.exists() {
            continue;
        }
        let child = procs::end_with_parent(&mut Command::new("Xvfb"))
            .arg(format!(":{n}"))
            .args([
                "-screen",
                "0",
                "1280x1024x24",
                "-nolisten",
                "tcp",
                "-noreset",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(procs::log_file(log))
            .spawn()
            .expect("Xvfb (package xvfb) could not be started: run `bash scripts/install-deps.sh --test`");
        let pid = procs.adopt("Xvfb", child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if !procs.is_running(pid) {
                break; // probably lost a race for this display number
            }
            if socket.exists() {
                return format!(":{n}");
            }
            std::thread::sleep(POLL);
        }
        procs.stop(pid);
    }
    panic!("no free X display number found for Xvfb in :90..:189");
}

/// Turn "a b" into the CSS selector `[data-testid="a"] [data-testid="b"]`:
/// a testid, or a testid inside another. `css:...` is taken as CSS as it is.
pub fn tid(path: &str) -> String {
    if let Some(css) = path.strip_prefix("css:") {
        return css.to_owned();
    }
    path.split_whitespace()
        .map(|id| format!("[data-testid=\"{id}\"]"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Run one end-to-end test: start the drivers and the app on a fresh data
/// directory, run `body`, save a screenshot if it fails, and tear it all
/// down (the test fails with the body's own panic message).
pub async fn run<F, Fut>(test: &str, body: F)
where
    F: FnOnce(App) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_with(test, &[], body).await
}

/// Like [`run`], with extra command-line arguments for the app.
pub async fn run_with<F, Fut>(test: &str, app_args: &[&str], body: F)
where
    F: FnOnce(App) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_prepared(test, |_| {}, app_args, body).await
}

/// Like [`run_with`], with `prepare` filling the data folder before the app
/// starts (a seeded workplace, a file edited by a script).
pub async fn run_prepared<F, Fut>(
    test: &str,
    prepare: impl FnOnce(&Path),
    app_args: &[&str],
    body: F,
) where
    F: FnOnce(App) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    // Taken first, so it is released last, after everything below stopped.
    let _turn = one_window_at_a_time().await;
    let app_path = app_binary();
    let driver_path = tauri_driver();
    let artifacts = workspace_root().join("tests/artifacts").join(test);
    let _ = fs::remove_dir_all(&artifacts);
    fs::create_dir_all(&artifacts).expect("create the artifacts folder");
    let log = artifacts.join("driver.log");
    let data = tempfile::Builder::new()
        .prefix("tillid-e2e-")
        .tempdir()
        .expect("a temporary data directory");
    prepare(data.path());

    // Declared after `data`, so it is dropped (processes stopped) first.
    let mut procs = Processes::default();
    let display = display(&mut procs, &log);

    let port = free_port();
    let native_port = loop {
        let p = free_port();
        if p != port {
            break p;
        }
    };
    let driver = procs::end_with_parent(&mut Command::new(&driver_path))
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .env("DISPLAY", &display)
        .stdin(Stdio::null())
        .stdout(procs::log_file(&log))
        .stderr(procs::log_file(&log))
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {}: {e}", driver_path.display()));
    let driver_pid = procs.adopt("tauri-driver", driver);
    procs.set_tree_root(driver_pid);
    for p in [port, native_port] {
        let deadline = Instant::now() + TIMEOUT;
        while TcpStream::connect(("127.0.0.1", p)).is_err() {
            assert!(
                procs.is_running(driver_pid),
                "tauri-driver exited early; see {}",
                log.display()
            );
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not listen on port {p}; see {}",
                log.display()
            );
            tokio::time::sleep(POLL).await;
        }
    }

    // tauri-driver turns `tauri:options` into WebKitWebDriver's
    // `webkitgtk:browserOptions`. No `webSocketUrl`: WebKitWebDriver refuses it.
    let mut args = vec![json!("--data-dir"), json!(data.path())];
    args.extend(app_args.iter().map(|a| json!(a)));
    let caps = json!({
        "tauri:options": {
            "application": app_path,
            "args": args,
        }
    });
    let caps = match caps {
        Value::Object(map) => map,
        _ => unreachable!(),
    };
    let client = ClientBuilder::native()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|e| panic!("no WebDriver session: {e}; see {}", log.display()));

    let app = App {
        client: client.clone(),
        artifacts: Arc::new(artifacts),
        step: Arc::new(AtomicUsize::new(0)),
    };
    let started = Instant::now();
    let task = tokio::spawn(body(app.clone()));
    let abort = task.abort_handle();
    let outcome = tokio::time::timeout(TEST_TIMEOUT, task).await;
    let failure = match outcome {
        Ok(Ok(())) => None,
        Ok(Err(join)) if join.is_panic() => Some(join.into_panic()),
        Ok(Err(join)) => Some(Box::new(format!("test task failed: {join}")) as _),
        Err(_) => {
            abort.abort();
            Some(Box::new(format!("test timed out after {TEST_TIMEOUT:?}")) as _)
        }
    };
    if failure.is_some() {
        app.screenshot_best_effort("failure").await;
    }
    eprintln!(
        "{test}: {} after {:.1}s; artifacts in {}",
        if failure.is_some() {
            "failed"
        } else {
            "passed"
        },
        started.elapsed().as_secs_f64(),
        app.artifacts.display()
    );
    // Ending the session closes the app; `procs` then stops the drivers and
    // anything left of the process tree, by pid.
    let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
    drop(procs);
    drop(data);
    if let Some(panic) = failure {
        std::panic::resume_unwind(panic);
    }
}

/// The running app as the test sees it. Selectors are testid paths (see
/// [`tid`]); every helper waits (polls) up to [`TIMEOUT`] and panics with
/// what it was waiting for and what it saw last.
#[derive(Clone)]
pub struct App {
    pub client: Client,
    artifacts: Arc<PathBuf>,
    step: Arc<AtomicUsize>,
}

/// Visible texts of the elements matching a selector.
const VISIBLE_TEXTS: &str = r#"
    const visible = (e) => e.getClientRects().length > 0
        && getComputedStyle(e).visibility !== 'hidden';
    return Array.from(document.querySelectorAll(arguments[0]))
        .filter(visible)
        .map((e) => e.innerText.trim());
"#;

/// Set a form control's value as a script and fire the events a user's
/// input would (`input`, `change`).
const SET_VALUE: &str = r#"
    const [el, value] = arguments;
    const proto = Object.getPrototypeOf(el);
    Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
    return el.value;
"#;

impl App {
    /// Poll `f` until it returns `Ok`, or panic after `timeout` with
    /// `what` and the last `Err` it returned.
    pub async fn poll<T, F, Fut>(&self, what: &str, timeout: Duration, mut f: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, String>>,
    {
        let deadline = Instant::now() + timeout;
        loop {
            let last = match f().await {
                Ok(v) => return v,
                Err(e) => e,
            };
            if Instant::now() >= deadline {
                let at = self.location().await;
                panic!(
                    "timed out after {timeout:?} waiting for {what}; last seen: {last}; page: {at}"
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Poll `f` until it returns `Ok`; after `timeout`, its last `Err`.
    pub async fn try_poll<T, F, Fut>(&self, timeout: Duration, mut f: F) -> Result<T, String>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, String>>,
    {
        let deadline = Instant::now() + timeout;
        loop {
            match f().await {
                Ok(v) => return Ok(v),
                Err(e) if Instant::now() >= deadline => return Err(e),
                Err(_) => tokio::time::sleep(POLL).await,
            }
        }
    }

    /// The current route (`#/...`) and page heading, for error messages.
    pub async fn location(&self) -> String {
        self.client
            .execute(
                "const h = document.querySelector('h1'); \
                 return location.hash + ' \u{2013} ' + (h ? h.innerText : '(no heading)');",
                vec![],
            )
            .await
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .unwrap_or_else(|e| format!("(unknown: {e})"))
    }

    /// Save `NN-name.png` in this test's artifacts folder.
    pub async fn step(&self, name: &str) {
        let n = self.step.fetch_add(1, Ordering::SeqCst) + 1;
        self.next_frames().await;
        let png = self
            .client
            .screenshot()
            .await
            .unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
        self.write_png(n, name, &png);
    }

    /// Scroll the element at `path` to the middle of the window, then [`App::step`].
    pub async fn step_at(&self, path: &str, name: &str) {
        self.wait_for(path).await;
        // Looked up again as the script runs: a redraw since the wait must
        // not leave a stale element to scroll to.
        self.client
            .execute(
                "const e = document.querySelector(arguments[0]);
                 if (e) e.scrollIntoView({ block: 'center' });
                 return Boolean(e);",
                vec![json!(tid(path))],
            )
            .await
            .unwrap_or_else(|err| panic!("scroll to {path}: {err}"));
        self.step(name).await;
    }

    /// Wait two animation frames, so a screenshot shows the latest scroll
    /// and redraw (WebKit's snapshot is otherwise the last painted frame).
    async fn next_frames(&self) {
        let frames = self.client.execute_async(
            "const done = arguments[arguments.length - 1]; \
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            vec![],
        );
        let _ = tokio::time::timeout(Duration::from_secs(2), frames).await;
    }

    async fn screenshot_best_effort(&self, name: &str) {
        let n = self.step.fetch_add(1, Ordering::SeqCst) + 1;
        match tokio::time::timeout(Duration::from_secs(10), self.client.screenshot()).await {
            Ok(Ok(png)) => self.write_png(n, name, &png),
            Ok(Err(e)) => eprintln!("no failure screenshot: {e}"),
            Err(_) => eprintln!("no failure screenshot: timed out"),
        }
    }

    fn write_png(&self, n: usize, name: &str, png: &[u8]) {
        let path = self.artifacts.join(format!("{n:02}-{name}.png"));
        let tmp = path.with_extension("png.tmp");
        fs::write(&tmp, png)
            .and_then(|()| fs::rename(&tmp, &path))
            .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// The visible texts of all elements matching a testid path, in page order.
    pub async fn texts(&self, path: &str) -> Vec<String> {
        self.js_texts(&tid(path))
            .await
            .unwrap_or_else(|e| panic!("texts of {path}: {e}"))
    }

    async fn js_texts(&self, css: &str) -> Result<Vec<String>, String> {
        let v = self
            .client
            .execute(VISIBLE_TEXTS, vec![json!(css)])
            .await
            .map_err(|e| e.to_string())?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// The text of the one visible element matching a testid path.
    pub async fn text_of(&self, path: &str) -> String {
        self.poll(&format!("exactly one visible {path}"), TIMEOUT, || async {
            let texts = self.js_texts(&tid(path)).await?;
            match texts.as_slice() {
                [one] => Ok(one.clone()),
                _ => Err(format!("{texts:?}")),
            }
        })
        .await
    }

    /// Wait until an element matching the testid path is displayed.
    pub async fn wait_for(&self, path: &str) -> Element {
        self.wait_for_within(path, TIMEOUT).await
    }

    pub async fn wait_for_within(&self, path: &str, timeout: Duration) -> Element {
        let css = tid(path);
        self.poll(&format!("{path} to be displayed"), timeout, || async {
            for e in self
                .client
                .find_all(Locator::Css(&css))
                .await
                .map_err(|e| e.to_string())?
            {
                if e.is_displayed().await.unwrap_or(false) {
                    return Ok(e);
                }
            }
            Err("not displayed".to_owned())
        })
        .await
    }

    /// All elements matching a testid path (present now; no wait).
    pub async fn all(&self, path: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(&tid(path)))
            .await
            .unwrap_or_else(|e| panic!("find {path}: {e}"))
    }

    /// Wait until an element matching `path` shows a text containing `needle`;
    /// returns that element's whole text.
    pub async fn wait_text(&self, path: &str, needle: &str) -> String {
        self.wait_text_within(path, needle, TIMEOUT).await
    }

    pub async fn wait_text_within(&self, path: &str, needle: &str, timeout: Duration) -> String {
        self.poll(&format!("{path} showing {needle:?}"), timeout, || async {
            let texts = self.js_texts(&tid(path)).await?;
            texts
                .iter()
                .find(|t| t.contains(needle))
                .cloned()
                .ok_or_else(|| format!("{texts:?}"))
        })
        .await
    }

    /// Wait until exactly `n` visible elements match `path`; returns their texts.
    pub async fn wait_count(&self, path: &str, n: usize) -> Vec<String> {
        self.poll(&format!("{n} visible {path}"), TIMEOUT, || async {
            let texts = self.js_texts(&tid(path)).await?;
            if texts.len() == n {
                Ok(texts)
            } else {
                Err(format!("{} visible: {texts:?}", texts.len()))
            }
        })
        .await
    }

    /// Click the first displayed, enabled element matching the testid path.
    pub async fn click(&self, path: &str) {
        let css = tid(path);
        self.poll(&format!("{path} to be clickable"), TIMEOUT, || async {
            for e in self
                .client
                .find_all(Locator::Css(&css))
                .await
                .map_err(|e| e.to_string())?
            {
                if e.is_displayed().await.unwrap_or(false) && e.is_enabled().await.unwrap_or(false)
                {
                    return e.click().await.map_err(|e| e.to_string());
                }
            }
            Err("no displayed and enabled match".to_owned())
        })
        .await
    }

    /// Click the displayed element matching `path` whose text is exactly `text`.
    pub async fn click_text(&self, path: &str, text: &str) {
        let css = tid(path);
        self.poll(&format!("{path} with text {text:?}"), TIMEOUT, || async {
            let mut seen = Vec::new();
            for e in self
                .client
                .find_all(Locator::Css(&css))
                .await
                .map_err(|e| e.to_string())?
            {
                let t = e.text().await.map_err(|e| e.to_string())?;
                if t.trim() == text && e.is_displayed().await.unwrap_or(false) {
                    return e.click().await.map_err(|e| e.to_string());
                }
                seen.push(t);
            }
            Err(format!("{seen:?}"))
        })
        .await
    }

    /// Type into a text field (cleared first), as keystrokes.
    pub async fn type_into(&self, path: &str, text: &str) {
        let e = self.wait_for(path).await;
        e.clear()
            .await
            .unwrap_or_else(|err| panic!("clear {path}: {err}"));
        e.send_keys(text)
            .await
            .unwrap_or_else(|err| panic!("type into {path}: {err}"));
        let value = e
            .prop("value")
            .await
            .unwrap_or_else(|err| panic!("value of {path}: {err}"));
        assert_eq!(
            value.as_deref(),
            Some(text),
            "{path} does not hold what was typed"
        );
    }

    /// The current value of a form control.
    pub async fn value_of(&self, path: &str) -> String {
        let e = self.wait_for(path).await;
        e.prop("value")
            .await
            .unwrap_or_else(|err| panic!("value of {path}: {err}"))
            .unwrap_or_default()
    }

    /// Choose an option of a `<select>` by its value, the way a user does
    /// (clicking the option); falls back to a script when the driver's
    /// option click leaves the value unchanged. The select is found again
    /// afterwards: a change may redraw the screen (the language select does).
    pub async fn select(&self, path: &str, value: &str) {
        let select = self.wait_for(path).await;
        let clicked = select.select_by_value(value).await;
        let css = tid(path);
        let took = self
            .try_poll(Duration::from_secs(3), || async {
                let e = self
                    .client
                    .find(Locator::Css(&css))
                    .await
                    .map_err(|e| e.to_string())?;
                let now = e.prop("value").await.map_err(|e| e.to_string())?;
                if now.as_deref() == Some(value) {
                    Ok(())
                } else {
                    Err(format!("{now:?}"))
                }
            })
            .await;
        if let Err(now) = took {
            eprintln!("select {path}={value}: option click gave {clicked:?}, value {now}; setting it by script");
            let fresh = self.wait_for(path).await;
            self.set_by_script(path, &fresh, value).await;
        }
    }

    /// Choose an option of a `<select>` by its visible label.
    pub async fn select_label(&self, path: &str, label: &str) {
        let select = self.wait_for(path).await;
        let found = self
            .client
            .execute(
                "const o = Array.from(arguments[0].options).find((o) => o.text.trim() === arguments[1]); \
                 return o ? o.value : null;",
                vec![json!(select), json!(label)],
            )
            .await
            .unwrap_or_else(|e| panic!("options of {path}: {e}"));
        let value = found
            .as_str()
            .unwrap_or_else(|| panic!("{path} has no option labelled {label:?}"))
            .to_owned();
        self.select(path, &value).await;
    }

    /// The label of the selected option of a `<select>`.
    pub async fn selected_label(&self, select: &Element) -> String {
        self.client
            .execute(
                "const s = arguments[0]; return s.selectedIndex < 0 ? '' : s.options[s.selectedIndex].text.trim();",
                vec![json!(select)],
            )
            .await
            .unwrap_or_else(|e| panic!("selected option: {e}"))
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Set a date (`YYYY-MM-DD`) or time (`HH:MM`) input. Typing is tried
    /// first; WebKitGTK's date and time fields may not take typed keys, so
    /// when the value does not stick it is set by script with `input` and
    /// `change` events.
    pub async fn set_date(&self, path: &str, value: &str) {
        let e = self.wait_for(path).await;
        let typed = async {
            e.clear().await?;
            e.send_keys(value).await
        }
        .await;
        let now = e.prop("value").await.ok().flatten();
        if typed.is_ok() && now.as_deref() == Some(value) {
            return;
        }
        eprintln!("set {path}={value}: typing gave {typed:?}, value {now:?}; setting it by script");
        self.set_by_script(path, &e, value).await;
    }

    async fn set_by_script(&self, path: &str, e: &Element, value: &str) {
        let got = self
            .client
            .execute(SET_VALUE, vec![json!(e), json!(value)])
            .await
            .unwrap_or_else(|err| panic!("set {path} by script: {err}"));
        assert_eq!(
            got.as_str(),
            Some(value),
            "{path} did not take the value {value:?}"
        );
    }

    /// Evaluate a script (a function body: use `return`).
    pub async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// A local calendar date `days` from today in the app, as `YYYY-MM-DD`.
    pub async fn local_date_in(&self, days: i64) -> String {
        let v = self
            .client
            .execute(
                "const d = new Date(); d.setDate(d.getDate() + arguments[0]); \
                 const p = (n) => String(n).padStart(2, '0'); \
                 return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;",
                vec![json!(days)],
            )
            .await
            .unwrap_or_else(|e| panic!("local date: {e}"));
        v.as_str().expect("a date string").to_owned()
    }

    /// The page's DOM as the driver serialises it.
    pub async fn source(&self) -> String {
        self.client
            .source()
            .await
            .unwrap_or_else(|e| panic!("page source: {e}"))
    }

    /// The visible text of the page heading.
    pub async fn heading(&self) -> String {
        let texts = self.js_texts("main h1").await.unwrap_or_default();
        texts.into_iter().next().unwrap_or_default()
    }

    /// Wait until the page heading is exactly `text`.
    pub async fn wait_heading(&self, text: &str) {
        self.wait_heading_within(text, TIMEOUT).await;
    }

    pub async fn wait_heading_within(&self, text: &str, timeout: Duration) {
        self.poll(&format!("the heading {text:?}"), timeout, || async {
            let h = self.js_texts("main h1").await?;
            if h.first().map(String::as_str) == Some(text) {
                Ok(())
            } else {
                Err(format!("{h:?}"))
            }
        })
        .await;
    }
}
