//! Data rights in the window: "Your data" in Settings, and on the overview
//! a manager's export about an employee that shows the warning about their
//! own private notes and refuses to start before it is confirmed. (The save
//! dialog itself cannot be driven by WebDriver; the file's bytes are tested
//! in the core and through `tillid export`.)

mod support;

use support::flows::*;
use support::run;

const WARNING: &str = "Your private notes from your dialogues with them go into the file."; // export.about.warning
const DEADLINE: &str = "within a month"; // export.about.deadline
const CONFIRM_FIRST: &str = "First tick the box"; // export.about.confirmFirst

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn your_data_and_an_access_request_are_offered_with_the_warning() {
    run("export_offered", |app| async move {
        admin_plans_with_erik(&app).await;

        app.click("nav-settings").await;
        app.wait_for("settings-my-data").await;
        app.wait_text("settings-my-data", "Your data").await; // export.mine.title
        app.wait_for("export-mine").await;
        app.step_at("settings-my-data", "settings-your-data").await;

        app.click("nav-overview").await;
        app.wait_heading("Overview").await; // cycle.overview.title
        app.wait_text("export-about-warning", WARNING).await;
        app.wait_text("export-about-warning", DEADLINE).await;
        let people = app
            .js("return [...document.querySelectorAll('[data-testid=\"export-about-person\"] option')].map((o) => o.textContent);")
            .await;
        assert_eq!(people, serde_json::json!([EMPLOYEE]));
        // "Stop" shows only while an export runs.
        assert!(app.texts("export-about-cancel").await.is_empty());
        app.click("export-about").await;
        app.wait_text(
            r#"css:[data-testid="overview-export"] [data-testid="form-error"]"#,
            CONFIRM_FIRST,
        )
        .await;
        app.step_at("overview-export", "access-request-needs-confirmation")
            .await;
    })
    .await;
}
