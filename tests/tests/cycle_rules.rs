//! End to end (issue 7, scenario 4): an employee reports a pointless rule
//! anonymously, the manager sees it without a name, takes it onto the
//! agenda of a planned GRUS with their group, and the point is there;
//! from that GRUS she writes up a good example and shares it.

mod support;

use support::flows::*;
use support::run;

const GROUPS_TITLE: &str = "Groups"; // groups.title
const RULES_TITLE: &str = "Rules that get in the way"; // rules.title
const WITHOUT_NAME: &str = "Without a name"; // rules.fromAnonymous
const NEW: &str = "New"; // rules.status.new
const TAKEN_UP: &str = "Taken up"; // rules.status.taken_up
const TEAM: &str = "Team Nord";
const CASES_TITLE: &str = "Good examples"; // cases.title
const SHARED: &str = "Shared"; // cases.sharedBadge

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_rule_report_goes_onto_a_grus_agenda() {
    run(
        "an_anonymous_rule_report_goes_onto_a_grus_agenda",
        |app| async move {
            let rule = unique("The driving log must be filled in three times");

            // (1) Setup: Mona manages Erik and leads a group with him.
            set_up_workplace(&app).await;
            app.click("nav-people").await;
            app.wait_heading(PEOPLE_TITLE).await;
            let mona_code = add_person(&app, MANAGER, None, None).await;
            let erik_code = add_person(&app, EMPLOYEE, Some(MANAGER), Some(&mona_code)).await;
            app.click("nav-groups").await;
            app.wait_heading(GROUPS_TITLE).await;
            app.type_into("group-name", TEAM).await;
            app.select_label("group-leader", MANAGER).await;
            app.click_text("css:.check-grid label", EMPLOYEE).await;
            app.click("group-submit").await;
            app.wait_text("group-row-name", TEAM).await;
            app.step("group-made").await;
            sign_out(&app).await;

            // (2) Erik reports the rule without his name; the page says what
            // that means where he chooses it.
            first_sign_in(&app, EMPLOYEE, &erik_code, EMPLOYEE_PASS).await;
            app.click("nav-rules").await;
            app.wait_heading(RULES_TITLE).await;
            app.type_into("rule-text", &rule).await;
            app.click("rule-anonymous").await;
            let explained = app.text_of("rule-who").await;
            assert!(
                explained.contains("Tillid does not store who you are"),
                "the anonymous choice is explained: {explained:?}"
            );
            app.step("erik-reports-anonymously").await;
            app.click("rule-submit").await;
            app.wait_text("rule-report-text", &rule).await;
            assert_eq!(app.text_of("rule-report-from").await, WITHOUT_NAME);
            assert_eq!(app.text_of("rule-report-status").await, NEW);
            assert!(
                app.texts("rule-status-save").await.is_empty(),
                "an employee sets no status"
            );
            app.step("erik-sees-his-report-without-name").await;
            sign_out(&app).await;

            // (3) Mona plans a GRUS with the group.
            first_sign_in(&app, MANAGER, &mona_code, MANAGER_PASS).await;
            app.click("nav-plan").await;
            app.wait_heading(PLAN_TITLE).await;
            app.select_label("plan-with", TEAM).await;
            app.select("plan-kind", "grus").await;
            let date = app.local_date_in(7).await;
            app.set_date("plan-date", &date).await;
            app.set_date("plan-time", "13:00").await;
            app.click("plan-submit").await;
            app.wait_for("dialogue-view").await;
            app.wait_heading(&format!("GRUS with {TEAM}")).await; // dialogue.title, kinds.grus
            app.step("mona-plans-grus").await;

            // (4) Mona sees the report, with no name, and takes it up.
            app.click("nav-rules").await;
            app.wait_heading(RULES_TITLE).await;
            app.wait_text("rule-report-text", &rule).await;
            assert_eq!(app.text_of("rule-report-from").await, WITHOUT_NAME);
            assert!(
                !app.source().await.contains(EMPLOYEE),
                "Erik's name is nowhere on the page"
            );
            app.wait_for("rule-grus-select").await;
            app.step("mona-sees-the-report").await;
            app.click("rule-take-to-grus").await;
            app.wait_text("rule-report-status", TAKEN_UP).await;
            let taken = app.text_of("rule-report-taken-to").await;
            assert!(taken.contains(TEAM), "shows where it was taken: {taken:?}");
            app.step("mona-took-it-up").await;

            // (5) The point is on the GRUS agenda.
            app.click("rule-report-taken-to").await;
            app.wait_for("dialogue-view").await;
            app.wait_heading(&format!("GRUS with {TEAM}")).await;
            app.wait_text("agenda-text", &rule).await;
            app.step("the-point-on-the-grus-agenda").await;

            // (6) From the GRUS, Mona writes up a good example, shares it
            // with the workplace, and a search finds it.
            let example = unique("Swapped the phone rota on the board");
            app.click("dialogue-write-case").await;
            app.wait_heading(CASES_TITLE).await;
            app.type_into("case-title-input", "The rota board").await;
            app.type_into("case-text-input", &example).await;
            app.click("case-shared").await;
            app.click("case-submit").await;
            app.wait_text("case-text", &example).await;
            assert_eq!(app.text_of("case-visibility").await, SHARED);
            app.type_into("case-search", "phone rota").await;
            app.click("case-search-submit").await;
            app.wait_count("case-row", 1).await;
            app.step("mona-shares-a-good-example").await;
        },
    )
    .await;
}
