//! End to end (issue 8): the workplace's retention rule. An administrator
//! finds "nothing is deleted on its own", saves five years as the rule
//! (nothing is deleted by saving), and finds it there again after signing
//! out and in.
//!
//! Run: `cargo build -p tillid`, then
//! `cargo test -p tillid-e2e --test retention`.

mod support;

use support::flows::*;
use support::run;

// English catalog texts (key in ui/js/i18n/en.js).
const NONE: &str = "nothing is deleted on its own"; // retentionSetting.none
const SAVED: &str = "The rule is saved. Nothing has been deleted yet."; // retentionSetting.saved
const FIVE_YEARS: &str = "dialogues are deleted 5 years after"; // retentionSetting.currentYears

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_retention_rule_is_saved_as_the_workplaces_and_deletes_nothing() {
    run("retention_rule", |app| async move {
        set_up_workplace(&app).await;
        app.click("nav-settings").await;
        app.wait_text("retention-current", NONE).await;
        app.type_into("retention-years", "5").await;
        app.click("retention-save").await;
        app.wait_text("settings-retention form-status", SAVED).await;
        app.wait_text("retention-current", FIVE_YEARS).await;
        app.step_at("settings-retention", "rule-saved").await;

        sign_out(&app).await;
        sign_in(&app, ADMIN, ADMIN_PASS).await;
        app.click("nav-settings").await;
        app.wait_text("retention-current", FIVE_YEARS).await;
        assert_eq!(app.value_of("retention-years").await, "5");
    })
    .await;
}
