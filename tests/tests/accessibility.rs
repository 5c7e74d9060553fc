//! Issue 9, access: axe-core (from npm, `node_modules/axe-core/axe.min.js`,
//! pinned in package.json) is injected through WebDriver into every screen
//! of a seeded demo workplace, in the light and the dark theme, and must
//! find no violation of the WCAG 2.1 A and AA rules.
//!
//! The dark theme follows the system (`prefers-color-scheme: dark`); the
//! test cannot switch the system setting of the web view, so it turns the
//! stylesheet's dark `@media` rules on through the CSSOM, which is the same
//! CSS the system setting would apply.
//!
//! With `TILLID_SCREENS=1` the screenshots of every screen in both themes
//! are also written to `docs/screens/<screen>-<theme>.png` (README shows
//! them); otherwise they go to the test's artifacts only.

mod support;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use support::{run, run_prepared, tid, workspace_root, App, SLOW_TIMEOUT};

const DEMO_ADMIN: &str = "Admin Andersen"; // seed::DEMO_ADMIN
const DEMO_PASSPHRASE: &str = "tillid-demo"; // seed::DEMO_PASSPHRASE

/// The WCAG 2.1 A and AA rules of axe-core.
const RUN_AXE: &str = r#"
    const done = arguments[arguments.length - 1];
    axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        resultTypes: ['violations'],
    }).then((r) => done(JSON.stringify(r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    })))), (e) => done(JSON.stringify([{ id: 'axe-error', help: String(e), nodes: [] }])));
"#;

/// Turn the stylesheet's `prefers-color-scheme: dark` rules on (or back off).
const DARK: &str = r#"
    const dark = arguments[0];
    let n = 0;
    for (const sheet of document.styleSheets) {
        for (const rule of sheet.cssRules) {
            if (!(rule instanceof CSSMediaRule)) continue;
            const text = rule.media.mediaText;
            if (dark && text.includes('prefers-color-scheme: dark')) {
                rule.__tillidMedia = text;
                rule.media.mediaText = 'all';
                n += 1;
            } else if (!dark && rule.__tillidMedia) {
                rule.media.mediaText = rule.__tillidMedia;
                delete rule.__tillidMedia;
                n += 1;
            }
        }
    }
    return n;
"#;

/// Two checks of issue 9 that axe does not make by default: a repeated
/// button says which item it acts on (no two visible buttons share a name),
/// and a button's or link's visible text is part of its name (2.5.3).
const NAMES: &str = r#"
    const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
    const flat = (s) => String(s || '').replace(/\s+/g, ' ').trim();
    const name = (e) => {
        if (e.getAttribute('aria-labelledby')) {
            return flat(e.getAttribute('aria-labelledby').split(' ')
                .map((id) => (document.getElementById(id) || {}).textContent || '').join(' '));
        }
        return flat(e.getAttribute('aria-label') || e.innerText || e.value);
    };
    const out = [];
    const counts = new Map();
    for (const e of document.querySelectorAll('button, a[href], summary, [role=button]')) {
        if (!visible(e)) continue;
        const text = flat(e.innerText);
        if (!text && !e.getAttribute('aria-label')) continue; // not rendered (e.g. in a closed <details>)
        const n = name(e);
        if (text && !n.toLowerCase().includes(text.toLowerCase())) {
            out.push(`label-in-name: visible "${text}" is not in the name "${n}"`);
        }
        if (!n) out.push(`no-name: ${e.outerHTML.slice(0, 160)}`);
        if (n && (e.tagName === 'BUTTON' || e.getAttribute('role') === 'button')) {
            counts.set(n, (counts.get(n) || 0) + 1);
        }
    }
    for (const [n, c] of counts) if (c > 1) out.push(`repeated-name: ${c} buttons are all called "${n}"`);
    return out;
"#;

fn axe_source() -> String {
    let path = workspace_root().join("node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} is missing ({e}): run `npm ci` (scripts/install-deps.sh --test does)",
            path.display()
        )
    })
}

struct Checker {
    axe: String,
    /// `docs/screens/` when TILLID_SCREENS=1.
    screens: Option<PathBuf>,
    /// Every violation found, as "screen/theme: rule – help (targets)".
    found: Vec<String>,
    /// Screens checked, for the summary line.
    checked: Vec<String>,
}

impl Checker {
    fn new() -> Self {
        let screens = std::env::var("TILLID_SCREENS")
            .ok()
            .filter(|v| v == "1")
            .map(|_| workspace_root().join("docs/screens"));
        if let Some(dir) = &screens {
            std::fs::create_dir_all(dir).expect("docs/screens");
        }
        Checker {
            axe: axe_source(),
            screens,
            found: Vec::new(),
            checked: Vec::new(),
        }
    }

    async fn inject(&self, app: &App) {
        let present = app
            .js("return typeof window.axe !== 'undefined';")
            .await
            .as_bool()
            .unwrap_or(false);
        if !present {
            app.client
                .execute(&format!("{}\nreturn true;", self.axe), vec![])
                .await
                .unwrap_or_else(|e| panic!("axe-core could not be injected: {e}"));
        }
    }

    async fn axe(&self, app: &App) -> Vec<Value> {
        self.inject(app).await;
        let out = tokio::time::timeout(
            Duration::from_secs(120),
            app.client.execute_async(RUN_AXE, vec![]),
        )
        .await
        .expect("axe finished within two minutes")
        .unwrap_or_else(|e| panic!("axe.run: {e}"));
        let text = out.as_str().expect("axe returns JSON text");
        serde_json::from_str::<Vec<Value>>(text).expect("axe's violations as JSON")
    }

    /// Check the current screen in both themes and keep the screenshots.
    async fn check(&mut self, app: &App, screen: &str) {
        self.check_at(app, screen, None).await;
    }

    /// Like [`Checker::check`], with the screenshot showing the element at
    /// `path` (a testid path) instead of the top of the page.
    async fn check_at(&mut self, app: &App, screen: &str, path: Option<&str>) {
        // The screen has finished drawing: nothing is busy, a heading is shown.
        app.poll(
            &format!("{screen} to finish drawing"),
            SLOW_TIMEOUT,
            || async {
                let ready = app
                    .js("return !document.querySelector('[aria-busy=\"true\"]') && !!document.querySelector('main h1');")
                    .await;
                if ready.as_bool() == Some(true) {
                    Ok(())
                } else {
                    Err("still drawing".to_owned())
                }
            },
        )
        .await;
        app.js("window.scrollTo(0, 0); if (document.activeElement) document.activeElement.blur(); return true;")
            .await;
        if let Some(path) = path {
            app.client
                .execute(
                    "const e = document.querySelector(arguments[0]); if (e) e.scrollIntoView({ block: 'center' }); return true;",
                    vec![json!(tid(path))],
                )
                .await
                .expect("scroll to the element");
        }
        for theme in ["light", "dark"] {
            let switched = app
                .client
                .execute(DARK, vec![json!(theme == "dark")])
                .await
                .expect("switch the theme");
            if theme == "dark" {
                assert!(
                    switched.as_u64().unwrap_or(0) > 0,
                    "the stylesheet has no prefers-color-scheme: dark rules"
                );
            }
            let name = format!("{screen}-{theme}");
            app.step(&name).await;
            if let Some(dir) = &self.screens {
                save_screenshot(app, &dir.join(format!("{name}.png"))).await;
            }
            for v in self.axe(app).await {
                let targets: Vec<String> = v["nodes"]
                    .as_array()
                    .map(|ns| {
                        ns.iter()
                            .map(|n| {
                                format!(
                                    "{} [{}]",
                                    n["target"].as_str().unwrap_or(""),
                                    n["summary"].as_str().unwrap_or("").replace('\n', " ")
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                self.found.push(format!(
                    "{name}: {} ({}) – {}: {}",
                    v["id"].as_str().unwrap_or("?"),
                    v["impact"].as_str().unwrap_or("?"),
                    v["help"].as_str().unwrap_or("?"),
                    targets.join(" | ")
                ));
            }
            if theme == "light" {
                let names = app.js(NAMES).await;
                for problem in names.as_array().into_iter().flatten() {
                    self.found
                        .push(format!("{name}: {}", problem.as_str().unwrap_or("?")));
                }
            }
            self.checked.push(name);
        }
        app.client
            .execute(DARK, vec![json!(false)])
            .await
            .expect("back to the light theme");
    }

    fn finish(self) {
        eprintln!(
            "axe (WCAG 2.1 A/AA) checked {} screen×theme pairs: {}",
            self.checked.len(),
            self.checked.join(", ")
        );
        assert!(
            self.found.is_empty(),
            "axe found {} violation(s):\n{}",
            self.found.len(),
            self.found.join("\n")
        );
    }
}

async fn save_screenshot(app: &App, path: &Path) {
    let png = app
        .client
        .screenshot()
        .await
        .unwrap_or_else(|e| panic!("screenshot: {e}"));
    std::fs::write(path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

async fn sign_in_demo(app: &App, name: &str) {
    app.click_text("signin-person", name).await;
    app.type_into("signin-passphrase", DEMO_PASSPHRASE).await;
    app.click("signin-submit").await;
    app.wait_text_within("whoami", name, SLOW_TIMEOUT).await;
}

async fn go(app: &App, hash: &str) {
    app.js(&format!("location.hash = '{hash}'; return true;"))
        .await;
    // The router redraws on hashchange; give it the turn before waiting.
    tokio::time::sleep(Duration::from_millis(300)).await;
}

#[derive(Default, Clone)]
struct Seeded {
    /// The manager with the most held dialogues (the demo admin heads
    /// managers and meets them less often).
    manager: String,
    /// The employee of `held`, who signs in last.
    employee_name: String,
    /// A group dialogue of the manager, when the seed made one.
    group: Option<i64>,
    held: i64,
    planned: i64,
    employee: i64,
}

fn seed(dir: &Path) -> Seeded {
    let out = std::process::Command::new(support::app_binary())
        .arg("--data-dir")
        .arg(dir)
        .args(["seed", "--people", "12", "--dialogues", "60"])
        .output()
        .expect("tillid seed runs");
    assert!(out.status.success(), "seed failed: {out:?}");
    let conn = rusqlite::Connection::open(dir.join("tillid.sqlite3")).expect("open the file");
    let (manager_id, manager): (i64, String) = conn
        .query_row(
            "SELECT p.id, p.name FROM dialogue d JOIN person p ON p.id = d.manager_id
             WHERE d.state IN ('held', 'confirmed') AND d.employee_id IS NOT NULL
               AND EXISTS (SELECT 1 FROM agreement a WHERE a.dialogue_id = d.id)
             GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a manager with held dialogues");
    let one = |sql: &str| -> Option<i64> { conn.query_row(sql, [manager_id], |r| r.get(0)).ok() };
    let held = one(
        "SELECT d.id FROM dialogue d WHERE d.manager_id = ?1 AND d.state IN ('held', 'confirmed')
           AND d.employee_id IS NOT NULL AND EXISTS (SELECT 1 FROM agreement a WHERE a.dialogue_id = d.id)
         ORDER BY d.state = 'held' DESC, d.id DESC LIMIT 1",
    )
    .expect("a held dialogue");
    let (employee, employee_name): (i64, String) = conn
        .query_row(
            "SELECT p.id, p.name FROM dialogue d JOIN person p ON p.id = d.employee_id WHERE d.id = ?1",
            [held],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the held dialogue's employee");
    let group = one(
        "SELECT d.id FROM dialogue d WHERE d.manager_id = ?1 AND d.team_id IS NOT NULL ORDER BY d.id DESC LIMIT 1",
    );
    let planned = one(
        "SELECT d.id FROM dialogue d WHERE d.manager_id = ?1 AND d.state = 'planned' ORDER BY d.id LIMIT 1",
    )
    .unwrap_or(held);
    Seeded {
        manager,
        employee_name,
        group,
        held,
        planned,
        employee,
    }
}

#[tokio::test]
async fn every_screen_of_a_demo_workplace_passes_axe_in_both_themes() {
    let slot = Arc::new(Mutex::new(Seeded::default()));
    let fill = slot.clone();
    run_prepared(
        "accessibility",
        move |dir| {
            *fill.lock().expect("slot") = seed(dir);
        },
        &[],
        |app| async move {
            let ids = slot.lock().expect("slot").clone();
            let mut axe = Checker::new();
            // Danish, the product's first language, as a new user meets it.
            app.wait_for("signin-person").await;
            app.select("lang-select", "da").await;
            app.wait_for("signin-person").await;
            axe.check(&app, "signin").await;
            // The administrator's own screens.
            sign_in_demo(&app, DEMO_ADMIN).await;
            for (name, hash) in [
                ("people", "#/people"),
                ("groups", "#/groups"),
                ("templates", "#/templates"),
                ("settings", "#/settings"),
            ] {
                go(&app, hash).await;
                axe.check(&app, name).await;
            }
            // Choosing another manager in People saves nothing by itself.
            go(&app, "#/people").await;
            app.wait_for("person-manager-save").await;
            let changed = app
                .js("const s = document.querySelectorAll('[data-testid=person-manager]')[1]; \
                     const before = s.value; \
                     const other = Array.from(s.options).find((o) => o.value && o.value !== before); \
                     s.value = other.value; s.dispatchEvent(new Event('change', { bubbles: true })); \
                     const save = s.closest('tr').querySelector('[data-testid=person-manager-save]'); \
                     return [before, save.disabled];")
                .await;
            let before = changed[0].as_str().unwrap_or_default().to_owned();
            assert_eq!(
                changed[1].as_bool(),
                Some(false),
                "a changed manager can be saved with its button"
            );
            go(&app, "#/home").await;
            go(&app, "#/people").await;
            app.wait_for("person-manager-save").await;
            let after = app
                .js("return document.querySelectorAll('[data-testid=person-manager]')[1].value;")
                .await;
            assert_eq!(
                after.as_str(),
                Some(before.as_str()),
                "the manager changed without pressing Save"
            );
            // A manager's screens, with dialogues of every state.
            app.click("nav-signout").await;
            app.wait_for("signin-person").await;
            app.click_text("signin-person", &ids.manager).await;
            app.wait_for("signin-passphrase").await;
            axe.check(&app, "signin-passphrase").await;
            app.type_into("signin-passphrase", DEMO_PASSPHRASE).await;
            app.click("signin-submit").await;
            app.wait_text_within("whoami", &ids.manager, SLOW_TIMEOUT)
                .await;
            let screens = [
                ("home", "#/home".to_owned()),
                ("dialogue-held", format!("#/dialogue/{}", ids.held)),
                ("dialogue-planned", format!("#/dialogue/{}", ids.planned)),
                ("print", format!("#/dialogue/{}/print", ids.held)),
                ("plan", "#/plan".to_owned()),
                ("overview", "#/overview".to_owned()),
                ("history", "#/history".to_owned()),
                (
                    "history-person",
                    format!("#/history/person/{}", ids.employee),
                ),
                ("rules", "#/rules".to_owned()),
                ("cases", "#/cases".to_owned()),
                ("search", "#/search?q=a".to_owned()),
            ];
            for (name, hash) in &screens {
                go(&app, hash).await;
                axe.check(&app, name).await;
            }
            if let Some(group) = ids.group {
                go(&app, &format!("#/dialogue/{group}")).await;
                axe.check(&app, "dialogue-group").await;
            }
            // States a screen passes through: an error on a field, the
            // question before "held", a removed point that can come back.
            go(&app, "#/plan").await;
            app.click("plan-submit").await;
            app.wait_for("form-error").await;
            axe.check_at(&app, "plan-error", Some("form-error")).await;
            go(&app, &format!("#/dialogue/{}", ids.planned)).await;
            app.wait_for("agenda-input").await;
            axe.check_at(&app, "dialogue-planned-notes", Some("note-input"))
                .await;
            // Everything folded away, unfolded: preparation, moving, cancelling.
            app.js("document.querySelectorAll('main details').forEach((d) => { d.open = true; }); return true;")
                .await;
            axe.check_at(&app, "dialogue-planned-unfolded", Some("prep-question"))
                .await;
            go(&app, &format!("#/dialogue/{}", ids.held)).await;
            axe.check_at(&app, "dialogue-held-agreements", Some("agreement-text"))
                .await;
            go(&app, &format!("#/dialogue/{}", ids.planned)).await;
            app.wait_for("agenda-input").await;
            app.type_into("agenda-input", "Arbejdstider").await;
            app.click("agenda-add").await;
            app.wait_text("agenda-text", "Arbejdstider").await;
            app.click("css:[data-testid=agenda-remove][aria-label*=Arbejdstider]")
                .await;
            app.wait_for("agenda-undo").await;
            axe.check_at(&app, "dialogue-agenda-undo", Some("agenda-undo-panel"))
                .await;
            app.click("mark-held").await;
            app.wait_for("mark-held-confirm").await;
            axe.check_at(&app, "dialogue-held-question", Some("mark-held-question"))
                .await;
            app.click("mark-held-cancel").await;
            // The employee's side.
            app.click("nav-signout").await;
            app.wait_for("signin-person").await;
            sign_in_demo(&app, &ids.employee_name).await;
            go(&app, "#/home").await;
            axe.check(&app, "home-employee").await;
            go(&app, &format!("#/dialogue/{}", ids.held)).await;
            axe.check(&app, "dialogue-employee").await;
            axe.finish();
        },
    )
    .await;
}

#[tokio::test]
async fn the_setup_screen_passes_axe_in_both_themes() {
    run("accessibility_setup", |app| async move {
        let mut axe = Checker::new();
        app.wait_for("setup-workplace-name").await;
        app.select("lang-select", "da").await;
        app.wait_for("setup-workplace-name").await;
        // The checker itself finds a violation when there is one.
        app.js("const i = document.createElement('img'); i.id = 'axe-probe'; i.src = 'data:,'; document.getElementById('main').appendChild(i); return true;")
            .await;
        let probe: Vec<String> = axe
            .axe(&app)
            .await
            .iter()
            .map(|v| v["id"].as_str().unwrap_or("").to_owned())
            .collect();
        assert!(
            probe.iter().any(|id| id == "image-alt"),
            "axe did not see an image without alt text: {probe:?}"
        );
        app.js("document.getElementById('axe-probe').remove(); return true;")
            .await;
        axe.check(&app, "setup").await;
        // An error shown on the form is checked too (tied to its field).
        app.click("setup-submit").await;
        app.wait_for("form-error").await;
        let described = app
            .js("const e = document.activeElement; const ids = (e.getAttribute('aria-describedby') || '').split(' '); \
                 return ids.some((id) => { const d = document.getElementById(id); return d && d.getAttribute('data-testid') === 'form-error' && d.textContent.trim() !== ''; });")
            .await;
        assert_eq!(
            described.as_bool(),
            Some(true),
            "the error is tied to the field it is about (aria-describedby)"
        );
        axe.check_at(&app, "setup-error", Some("form-error")).await;
        axe.finish();
    })
    .await;
}
