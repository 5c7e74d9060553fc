//! Issue 9, flow and access: recording an agreement in a new dialogue takes
//! at most 8 actions from the sign-in screen, and an agreement can be
//! recorded with the keyboard alone (Tab, Enter and typing; no mouse).
//!
//! Both start from a seeded demo workplace (`tillid seed`), where everyone's
//! passphrase is the demo passphrase.

mod support;

use std::path::Path;
use std::sync::{Arc, Mutex};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::Locator;
use support::flows::*;
use support::{run_prepared, tid, App, SLOW_TIMEOUT};

const DEMO_PASSPHRASE: &str = "tillid-demo"; // seed::DEMO_PASSPHRASE
const TAB: &str = "\u{e004}";
const ENTER: &str = "\u{e007}";
const ARROW_DOWN: &str = "\u{e015}";
/// Shift down, Tab, all keys up.
const SHIFT_TAB: &str = "\u{e008}\u{e004}\u{e000}";

#[derive(Default, Clone)]
struct Seeded {
    manager: String,
    employee: String,
    employee_id: i64,
}

/// A demo workplace; the manager with the most employees and one of them.
fn seed(dir: &Path) -> Seeded {
    let out = std::process::Command::new(support::app_binary())
        .arg("--data-dir")
        .arg(dir)
        .args(["seed", "--people", "8", "--dialogues", "20"])
        .output()
        .expect("tillid seed runs");
    assert!(out.status.success(), "seed failed: {out:?}");
    let conn = rusqlite::Connection::open(dir.join("tillid.sqlite3")).expect("open the file");
    conn.query_row(
        "SELECT m.name, e.name, e.id FROM person e JOIN person m ON m.id = e.manager_id
         WHERE m.is_admin = 0
         ORDER BY (SELECT count(*) FROM person x WHERE x.manager_id = m.id) DESC, e.id LIMIT 1",
        [],
        |r| {
            Ok(Seeded {
                manager: r.get(0)?,
                employee: r.get(1)?,
                employee_id: r.get(2)?,
            })
        },
    )
    .expect("a manager with an employee")
}

async fn seeded<F, Fut>(test: &str, body: F)
where
    F: FnOnce(App, Seeded) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let slot = Arc::new(Mutex::new(Seeded::default()));
    let fill = slot.clone();
    run_prepared(
        test,
        move |dir| *fill.lock().expect("slot") = seed(dir),
        &[],
        move |app| async move {
            let ids = slot.lock().expect("slot").clone();
            body(app, ids).await
        },
    )
    .await;
}

/// The data-testid of the focused element ("" when it has none).
async fn focused(app: &App) -> String {
    app.js(
        "const e = document.activeElement; return e ? (e.getAttribute('data-testid') || '') : '';",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

async fn focused_text(app: &App) -> String {
    app.js(
        "const e = document.activeElement; return e ? (e.innerText || e.value || '').trim() : '';",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

/// Press keys on whatever has focus, as a keyboard user does (WebDriver
/// actions: nothing is focused or clicked first). Shift (`\u{e008}`) is
/// held until the end of `text`.
async fn keys(app: &App, text: &str) {
    let mut seq = KeyActions::new("keyboard".to_owned());
    let mut held = Vec::new();
    for c in text.chars() {
        if c == '\u{e008}' {
            seq = seq.then(KeyAction::Down { value: c });
            held.push(c);
        } else if c == '\u{e000}' {
            for h in held.drain(..) {
                seq = seq.then(KeyAction::Up { value: h });
            }
        } else {
            seq = seq
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
    }
    for h in held {
        seq = seq.then(KeyAction::Up { value: h });
    }
    app.client
        .perform_actions(seq)
        .await
        .unwrap_or_else(|err| panic!("keys {text:?}: {err}"));
}

/// Press Tab until the focused element has the testid (and, if given, the
/// text); panics after `max` presses.
async fn tab_to(app: &App, testid: &str, text: Option<&str>, max: usize) -> usize {
    tab_until(app, TAB, testid, text, max).await
}

/// Shift+Tab, backwards (from the page's heading up to the menu).
async fn tab_back_to(app: &App, testid: &str, max: usize) -> usize {
    tab_until(app, SHIFT_TAB, testid, None, max).await
}

async fn tab_until(app: &App, key: &str, testid: &str, text: Option<&str>, max: usize) -> usize {
    let mut seen = Vec::new();
    for n in 1..=max {
        keys(app, key).await;
        let now = focused(app).await;
        seen.push(format!(
            "{now}:{}",
            app.js("const e = document.activeElement; return e ? e.tagName : '';")
                .await
                .as_str()
                .unwrap_or_default()
        ));
        if now == testid {
            match text {
                Some(want) if focused_text(app).await != want => {}
                _ => return n,
            }
        }
    }
    panic!("{testid} ({text:?}) was not reached with {max} presses of Tab: {seen:?}");
}

/// The testid the page's focus should land on after `what`, polled.
async fn wait_focus(app: &App, testid: &str, what: &str) {
    app.poll(
        &format!("focus on {testid} after {what}"),
        SLOW_TIMEOUT,
        || async {
            let now = focused(app).await;
            if now == testid {
                Ok(())
            } else {
                Err(now)
            }
        },
    )
    .await;
}

#[tokio::test]
async fn a_new_dialogue_and_its_first_agreement_take_at_most_eight_actions() {
    seeded("eight_actions", |app, who| async move {
        let agreement = unique("Fast fredagsmøde om opgaver");
        let mut actions: Vec<&str> = Vec::new();
        app.wait_for("signin-person").await;
        app.step("signin").await;

        app.click_text("signin-person", &who.manager).await;
        actions.push("click your name");
        wait_focus(&app, "signin-passphrase", "choosing a name").await;
        keys(&app, &format!("{DEMO_PASSPHRASE}{ENTER}")).await;
        actions.push("type the passphrase, Enter");
        app.wait_text_within("whoami", &who.manager, SLOW_TIMEOUT)
            .await;

        app.click("nav-plan").await;
        actions.push("Plan a dialogue");
        app.select("plan-with", &format!("person:{}", who.employee_id))
            .await;
        actions.push("choose the employee");
        app.step("plan").await;
        app.click("plan-submit").await;
        actions.push("Plan");
        app.wait_for("dialogue-view").await;

        app.click("agreement-jump").await;
        actions.push("Add an agreement (top of the dialogue)");
        wait_focus(&app, "agreement-text", "Add an agreement").await;
        keys(&app, &agreement).await;
        actions.push("type the agreement");
        // The owner is pre-set to the employee.
        let owner = app
            .client
            .find(Locator::Css(&tid("agreement-owner")))
            .await
            .expect("the owner select");
        assert_eq!(
            app.selected_label(&owner).await,
            who.employee,
            "the owner is pre-set to the employee"
        );
        app.step("agreement-typed").await;
        app.click("agreement-add").await;
        actions.push("Add");
        let item = app.wait_text("agreement-item", &agreement).await;
        assert!(
            item.contains(&who.employee),
            "the agreement is the employee's: {item:?}"
        );
        app.step("agreement-recorded").await;

        // A removed agenda point comes back with "Undo"; "held" is asked once.
        app.type_into("agenda-input", "Arbejdstider").await;
        app.click("agenda-add").await;
        app.wait_text("agenda-text", "Arbejdstider").await;
        app.click("agenda-remove").await;
        app.wait_for("agenda-undo").await;
        assert!(
            app.texts("agenda-text").await.is_empty(),
            "the point is removed"
        );
        app.click("agenda-undo").await;
        app.wait_text("agenda-text", "Arbejdstider").await;
        let planned = app.text_of("dialogue-state").await;
        app.click("mark-held").await;
        app.click("mark-held-cancel").await;
        app.wait_for("mark-held").await;
        assert_eq!(
            app.text_of("dialogue-state").await,
            planned,
            "not yet held after 'Not yet'"
        );
        app.click("mark-held").await;
        app.click("mark-held-confirm").await;
        app.wait_for("confirm-summary").await;
        assert_ne!(
            app.text_of("dialogue-state").await,
            planned,
            "held after Yes"
        );

        eprintln!(
            "{} actions from the sign-in screen: {}",
            actions.len(),
            actions.join(" → ")
        );
        assert!(actions.len() <= 8, "{} actions: {actions:?}", actions.len());
    })
    .await;
}

#[tokio::test]
async fn an_agreement_is_recorded_with_the_keyboard_alone() {
    seeded("keyboard_only", |app, who| async move {
        let agreement = unique("Aftale skrevet uden mus");
        app.wait_for("signin-person").await;
        // From the top of the sign-in screen: Tab to one's name, Enter.
        tab_to(&app, "signin-person", Some(&who.manager), 60).await;
        keys(&app, ENTER).await;
        wait_focus(&app, "signin-passphrase", "Enter on a name").await;
        keys(&app, &format!("{DEMO_PASSPHRASE}{ENTER}")).await;
        app.wait_text_within("whoami", &who.manager, SLOW_TIMEOUT)
            .await;
        app.wait_heading(&home_title_any(&app).await).await;
        app.step("home").await;

        // Plan a dialogue: the menu link, the form's fields, Enter.
        tab_back_to(&app, "nav-plan", 30).await;
        keys(&app, ENTER).await;
        app.wait_for("plan-with").await;
        tab_to(&app, "plan-with", None, 30).await;
        // A closed select takes the first letters of an option's label;
        // the arrow keys step through the options otherwise.
        let first = who.employee.split(' ').next().unwrap_or_default();
        keys(&app, first).await;
        let want = format!("person:{}", who.employee_id);
        for _ in 0..40 {
            if app.value_of("plan-with").await == want {
                break;
            }
            keys(&app, ARROW_DOWN).await;
        }
        let chosen = app.value_of("plan-with").await;
        assert_eq!(
            chosen,
            format!("person:{}", who.employee_id),
            "typing the name chose the employee"
        );
        tab_to(&app, "plan-submit", None, 30).await;
        keys(&app, ENTER).await;
        app.wait_for("dialogue-view").await;
        app.step("dialogue").await;

        // The dialogue: Tab to "Add an agreement", Enter, type, Tab to Add, Enter.
        let presses = tab_to(&app, "agreement-jump", None, 40).await;
        eprintln!("Add an agreement is {presses} Tab presses from the heading");
        keys(&app, ENTER).await;
        wait_focus(&app, "agreement-text", "Enter on Add an agreement").await;
        keys(&app, &agreement).await;
        tab_to(&app, "agreement-add", None, 10).await;
        keys(&app, ENTER).await;
        app.wait_text("agreement-item", &agreement).await;
        app.step("agreement-recorded").await;
        // The status is said through the live region that was there before.
        let said = app
            .poll("the live region to say it", SLOW_TIMEOUT, || async {
                let t = app
                    .js("return document.getElementById('live-status').textContent;")
                    .await;
                match t.as_str() {
                    Some(s) if !s.is_empty() => Ok(s.to_owned()),
                    other => Err(format!("{other:?}")),
                }
            })
            .await;
        assert!(!said.is_empty());
    })
    .await;
}

/// The heading of home, whatever the language the seeded person has.
async fn home_title_any(app: &App) -> String {
    // The name in the header is set before home is drawn, so the heading
    // read too early is still the sign-in screen's: wait for home's own parts.
    app.poll("the home heading", SLOW_TIMEOUT, || async {
        let drawn = app
            .js("return location.hash.startsWith('#/home') \
                 && document.querySelector('[data-testid^=\"home-\"]') !== null;")
            .await;
        let h = app.heading().await;
        if drawn.as_bool() == Some(true) && !h.is_empty() {
            Ok(h)
        } else {
            Err(format!("not home yet: {h:?}"))
        }
    })
    .await
}
