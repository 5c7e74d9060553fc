//! End to end (issue 7, scenario 1): a MUS from both sides' preparation to
//! a confirmed development plan. Mona plans a MUS with Erik; the plan form
//! offers the MUS template; each of them answers their own preparation
//! questions privately and shares one answer as an agenda point (Erik's
//! comes first); neither sees the other's unshared answer; Mona marks the
//! talk held and records the agreements; both confirm.
//!
//! Run: `cargo build -p tillid`, then
//! `cargo test -p tillid-e2e --test cycle_mus`.
//! Screenshots: `tests/artifacts/mus_from_preparation_to_confirmed_plan/`.

mod support;

use support::flows::*;
use support::run;

// English catalog texts (key in ui/js/i18n/en.js).
const TEMPLATES_TITLE: &str = "Templates"; // templates.title
const MUS_TEMPLATE: &str = "MUS (employee development talk)"; // core templates::builtin, en name
const GUIDE_NOT_PAY: &str = "It is not a pay talk"; // core built-in MUS guide
const ANSWER_SAVED: &str = "Answer saved. Only you can read it."; // prep.saved
const SHARED: &str = "Shared on the agenda"; // prep.shared
const MANAGER_PREPARES: &str = "The manager prepares"; // prep.side.manager
const TEMPLATE_SAVED: &str = "Template saved."; // templates.saved
const ADAPTED: &str = "Built in, adapted"; // templates.builtinEdited
const OUR_FIRST_QUESTION: &str = "Looking back at the year: what are you proud of?";

fn mus_title(counterpart: &str) -> String {
    format!("MUS with {counterpart}") // dialogue.title, kinds.mus
}

/// The form of the n-th question (1-based) in my preparation.
fn question(n: usize) -> String {
    format!(
        r#"css:section[aria-labelledby="h-prep"] li[data-testid="prep-question"]:nth-child({n}) form"#
    )
}

/// Answer the n-th question of the first preparation section and wait
/// until it is saved.
async fn answer(app: &support::App, n: usize, text: &str) {
    let form = question(n);
    app.type_into(&format!("{form} [data-testid=\"prep-answer-input\"]"), text)
        .await;
    app.click(&format!("{form} [data-testid=\"prep-save\"]"))
        .await;
    app.wait_text(
        &format!("{form} [data-testid=\"form-status\"]"),
        ANSWER_SAVED,
    )
    .await;
}

/// Share the n-th answer; it appears on the agenda and is marked shared.
async fn share(app: &support::App, n: usize, text: &str) {
    let form = question(n);
    app.click(&format!("{form} [data-testid=\"prep-share\"]"))
        .await;
    app.wait_text("agenda-text", text).await;
    app.wait_text(&format!("{form} [data-testid=\"prep-shared\"]"), SHARED)
        .await;
}

/// Everything the page shows or holds: its source and every field's value
/// (a typed answer lives in the textarea's value, not in the source).
async fn content(app: &support::App) -> String {
    let values = app
        .js("return [...document.querySelectorAll('textarea, input')].map((e) => e.value).join('\\n');")
        .await;
    format!(
        "{}\n{}",
        app.source().await,
        values.as_str().unwrap_or_default()
    )
}

async fn open_mus_from_home(app: &support::App, section: &str, counterpart: &str) {
    let link = format!("{section} dialogue-link");
    let texts = app.wait_count(&link, 1).await;
    assert_eq!(
        texts,
        [mus_title(counterpart)],
        "the MUS listed under {section}"
    );
    app.click(&link).await;
    app.wait_for("dialogue-view").await;
    app.wait_heading(&mus_title(counterpart)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mus_from_preparation_to_confirmed_plan() {
    run("mus_from_preparation_to_confirmed_plan", |app| async move {
        let mona_shared = unique("Mona: the new case system takes time from the core task");
        let mona_private = unique("MONA-PRIVATE-PREP");
        let erik_shared = unique("Erik: I would like to train new colleagues");
        let erik_private = unique("ERIK-PRIVATE-PREP");
        let erik_goal = unique("Erik trains two new colleagues in the case system");
        let mona_goal = unique("Mona frees four hours a month for Erik's training");

        // (1) Setup: Mona manages Erik. The administrator sees the templates.
        set_up_workplace(&app).await;
        app.click("nav-people").await;
        app.wait_heading(PEOPLE_TITLE).await;
        let mona_code = add_person(&app, MANAGER, None, None).await;
        let erik_code = add_person(&app, EMPLOYEE, Some(MANAGER), Some(&mona_code)).await;
        app.click("nav-templates").await;
        app.wait_heading(TEMPLATES_TITLE).await;
        let listed = app.texts("template-item").await;
        assert_eq!(listed.len(), 5, "the five built-in templates: {listed:?}");
        assert!(
            listed.iter().any(|t| t.contains(MUS_TEMPLATE)),
            "{listed:?}"
        );
        app.click(r#"css:[data-testid="template-edit"][data-key="mus"]"#)
            .await;
        app.wait_for("template-editor").await;
        assert_eq!(app.value_of("tpl-name-en").await, MUS_TEMPLATE);
        // The workplace words its first question its own way.
        app.type_into("tpl-question-en", OUR_FIRST_QUESTION).await;
        app.step_at("tpl-question-en", "admin-edits-the-mus-template")
            .await;
        app.click("tpl-save").await;
        app.wait_text("templates-view form-status", TEMPLATE_SAVED)
            .await;
        let listed = app.texts("template-item").await;
        assert!(
            listed
                .iter()
                .any(|t| t.contains(MUS_TEMPLATE) && t.contains(ADAPTED)),
            "the MUS is marked adapted: {listed:?}"
        );

        // (2) Mona plans a MUS: the kind brings its template.
        sign_out(&app).await;
        first_sign_in(&app, MANAGER, &mona_code, MANAGER_PASS).await;
        app.click("nav-plan").await;
        app.wait_heading(PLAN_TITLE).await;
        app.select_label("plan-with", EMPLOYEE).await;
        app.select("plan-kind", "mus").await;
        let template = app.wait_for("plan-template").await;
        assert_eq!(app.selected_label(&template).await, MUS_TEMPLATE);
        let date = app.local_date_in(3).await;
        app.set_date("plan-date", &date).await;
        app.step("mona-plans-a-mus").await;
        app.click("plan-submit").await;
        app.wait_for("dialogue-view").await;
        app.wait_heading(&mus_title(EMPLOYEE)).await;
        assert_eq!(app.text_of("dialogue-state").await, PLANNED);
        app.wait_text("template-guide", GUIDE_NOT_PAY).await;
        app.wait_text("preparation", MANAGER_PREPARES).await;
        app.wait_text("preparation", OUR_FIRST_QUESTION).await;
        app.step_at("template-guide", "mona-sees-guide-and-preparation")
            .await;

        // (3) Mona prepares: one answer shared, one kept.
        answer(&app, 1, &mona_shared).await;
        share(&app, 1, &mona_shared).await;
        answer(&app, 2, &mona_private).await;
        app.step_at(&question(1), "mona-prepared").await;

        // (4) Erik prepares on his side; his shared point comes first.
        sign_out(&app).await;
        first_sign_in(&app, EMPLOYEE, &erik_code, EMPLOYEE_PASS).await;
        open_mus_from_home(&app, "home-upcoming", MANAGER).await;
        app.wait_text("template-guide", GUIDE_NOT_PAY).await;
        assert_eq!(
            app.texts("agenda-text").await,
            [mona_shared.as_str()],
            "Erik sees the point Mona shared"
        );
        answer(&app, 1, &erik_shared).await;
        share(&app, 1, &erik_shared).await;
        answer(&app, 2, &erik_private).await;
        assert_eq!(
            app.texts("agenda-text").await,
            [erik_shared.clone(), mona_shared.clone()],
            "the employee's points come first"
        );
        let source = content(&app).await;
        assert!(
            !source.contains(&mona_private),
            "Mona's unshared answer is in Erik's page"
        );
        assert!(
            source.contains(&erik_private),
            "the check sees answers at all"
        );
        app.step_at(&question(1), "erik-prepared").await;
        app.step_at("agenda-item", "erik-sees-both-points").await;

        // (5) Mona holds the talk and writes the development plan.
        sign_out(&app).await;
        sign_in(&app, MANAGER, MANAGER_PASS).await;
        open_mus_from_home(&app, "home-upcoming", EMPLOYEE).await;
        assert_eq!(
            app.texts("agenda-text").await,
            [erik_shared.clone(), mona_shared.clone()]
        );
        let source = content(&app).await;
        assert!(
            !source.contains(&erik_private),
            "Erik's unshared answer is in Mona's page"
        );
        assert!(
            source.contains(&mona_private),
            "her own answer is hers to read"
        );
        app.click("mark-held").await;
        app.click("mark-held-confirm").await; // issue 9: asked once
        app.wait_text("dialogue-state", HELD).await;
        let follow_up = app.local_date_in(180).await;
        let mona_herself = format!("{MANAGER} (you)"); // agreement.ownerYou
        for (goal, owner) in [(&erik_goal, EMPLOYEE), (&mona_goal, mona_herself.as_str())] {
            app.type_into("agreement-text", goal).await;
            app.select_label("agreement-owner", owner).await;
            app.set_date("agreement-follow-up", &follow_up).await;
            app.click("agreement-add").await;
            app.wait_text("agreement-item", goal).await;
        }
        assert_eq!(app.texts("agreement-item").await.len(), 2);
        app.step_at("agreement-item", "mona-records-the-plan").await;
        app.click("confirm-summary").await;
        app.wait_text(
            "confirmation-status",
            &format!("{EMPLOYEE} (employee): {NOT_CONFIRMED}"),
        )
        .await;
        app.step_at("confirmation-status", "mona-confirmed").await;

        // (6) Erik confirms: the development plan is confirmed by both.
        sign_out(&app).await;
        sign_in(&app, EMPLOYEE, EMPLOYEE_PASS).await;
        app.wait_text("home-responsibilities agreement-brief-text", &erik_goal)
            .await;
        open_mus_from_home(&app, "home-to-confirm", MANAGER).await;
        app.wait_text("agreement-item", &erik_goal).await;
        app.wait_text("agreement-item", &mona_goal).await;
        app.click("confirm-summary").await;
        app.wait_text("dialogue-state", CONFIRMED).await;
        app.wait_text("css:main section p", EVERYONE_CONFIRMED)
            .await;
        app.step_at("confirmation-status", "erik-confirmed-the-plan")
            .await;
    })
    .await;
}
