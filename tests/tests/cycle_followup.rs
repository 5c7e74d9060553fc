//! End to end: the development plan travels. (a) A follow-up with an
//! employee opens with the open agreements of their earlier, confirmed MUS
//! and one is updated from the "since last time" section; (b) a GRUS with
//! three members whose group agreement appears on each member's home.
//!
//! Run: `cargo build -p tillid`, then
//! `cargo test -p tillid-e2e --test cycle_followup`.

mod support;

use support::flows::*;
use support::run;

const GROUP: &str = "Team Nord";
const FRIDA: &str = "Frida Fællesskab";
const GUSTAV: &str = "Gustav Gruppe";
const FRIDA_PASS: &str = "frida long passphrase";
const GUSTAV_PASS: &str = "gustav long passphrase";

/// On the plan form: with whom, which kind, when; ends on the new dialogue.
async fn plan_kind(app: &support::App, with: &str, kind: &str, days_from_now: i64) {
    app.click("nav-plan").await;
    app.wait_heading(PLAN_TITLE).await;
    app.select_label("plan-with", with).await;
    app.select("plan-kind", kind).await;
    let date = app.local_date_in(days_from_now).await;
    app.set_date("plan-date", &date).await;
    app.set_date("plan-time", "10:00").await;
    app.click("plan-submit").await;
    app.wait_for("dialogue-view").await;
}

async fn add_agreement(
    app: &support::App,
    text: &str,
    owner_label: Option<&str>,
    owner_value: Option<&str>,
) {
    app.type_into("agreement-text", text).await;
    if let Some(label) = owner_label {
        app.select_label("agreement-owner", label).await;
    }
    if let Some(value) = owner_value {
        app.select("agreement-owner", value).await;
    }
    app.click("agreement-add").await;
    app.wait_text("agreement-item", text).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_up_opens_with_the_open_agreements_of_the_confirmed_mus() {
    run(
        "a_follow_up_opens_with_the_open_agreements_of_the_confirmed_mus",
        |app| async move {
            let eriks = unique("Erik takes the plain-language course");
            let monas = unique("Mona finds a mentor for Erik");
            let comment = "Booked for March";

            set_up_workplace(&app).await;
            app.click("nav-people").await;
            app.wait_heading(PEOPLE_TITLE).await;
            let mona_code = add_person(&app, MANAGER, None, None).await;
            let erik_code = add_person(&app, EMPLOYEE, Some(MANAGER), Some(&mona_code)).await;
            sign_out(&app).await;
            app.select("lang-select", "en").await;
            first_sign_in(&app, MANAGER, &mona_code, MANAGER_PASS).await;

            // (1) A MUS yesterday: its time has passed and it is not marked
            // held yet, so it says so instead of "upcoming".
            plan_kind(&app, EMPLOYEE, "mus", -1).await;
            app.wait_heading(&format!("MUS with {EMPLOYEE}")).await;
            app.wait_for("not-marked-held").await;
            app.step("mus-not-marked-held").await;
            app.click("mark-held").await;
            app.click("mark-held-confirm").await; // issue 9: asked once
            app.wait_text("dialogue-state", HELD).await;
            add_agreement(&app, &eriks, Some(EMPLOYEE), None).await;
            add_agreement(&app, &monas, Some(&format!("{MANAGER} (you)")), None).await;
            app.click("confirm-summary").await;
            app.wait_text(
                "confirmation-status",
                &format!("{MANAGER} (manager): Confirmed on"),
            )
            .await;
            app.step("mus-agreements").await;

            // (2) Erik confirms: the MUS is his confirmed development plan.
            sign_out(&app).await;
            first_sign_in(&app, EMPLOYEE, &erik_code, EMPLOYEE_PASS).await;
            app.click("home-to-confirm dialogue-link").await;
            app.wait_for("dialogue-view").await;
            app.click("confirm-summary").await;
            app.wait_text("dialogue-state", CONFIRMED).await;
            app.step("mus-confirmed").await;

            // (3) Mona's overview: the MUS held, both sides' open agreements,
            // and one action plans the follow-up it suggests.
            sign_out(&app).await;
            sign_in(&app, MANAGER, MANAGER_PASS).await;
            app.click("nav-overview").await;
            app.wait_heading("Overview").await; // cycle.overview.title
            let row = app.wait_text("overview-row", EMPLOYEE).await;
            assert!(row.contains("MUS"), "the last MUS held is shown: {row:?}");
            assert_eq!(app.text_of("overview-open-theirs").await, "1");
            assert_eq!(app.text_of("overview-open-mine").await, "1");
            app.step("overview").await;
            app.click("overview-plan").await;
            app.wait_heading(PLAN_TITLE).await;
            assert_eq!(app.value_of("plan-kind").await, "follow_up");
            assert!(
                app.value_of("plan-with").await.starts_with("person:"),
                "the employee is chosen"
            );
            app.step("plan-prefilled").await;
            app.click("plan-submit").await;
            app.wait_for("dialogue-view").await;
            app.wait_heading(&dialogue_title(EMPLOYEE)).await;
            let since = app.wait_count("since-item-text", 2).await;
            assert_eq!(since, [eriks.clone(), monas.clone()], "since last time");
            app.step_at("since-list", "follow-up-since-last-time").await;

            // (4) Erik opens the follow-up and updates his agreement from the
            // section: first a comment alone, then done.
            sign_out(&app).await;
            sign_in(&app, EMPLOYEE, EMPLOYEE_PASS).await;
            open_dialogue_from_home(&app, "home-upcoming", MANAGER).await;
            app.wait_count("since-item-text", 2).await;
            app.type_into("since-item agreement-comment", comment).await;
            app.click("since-item agreement-state-save").await;
            app.wait_text("since-item", "History (1)").await; // dialogue.agreements.history
            app.click(r#"css:[data-testid="since-item"] details.history > summary"#)
                .await;
            let history = app.wait_text("since-item", comment).await;
            assert!(
                history.contains(&format!("{EMPLOYEE} added a comment")),
                "a comment alone: {history:?}"
            );
            assert_eq!(app.texts("since-item-state").await[0], OPEN);
            app.step_at("since-list", "erik-commented").await;
            app.select("since-item agreement-state-select", "done")
                .await;
            app.click("since-item agreement-state-save").await;
            let left = app.wait_count("since-item-text", 1).await;
            assert_eq!(left, [monas], "the done one leaves the section");
            app.step_at("since-list", "erik-done").await;
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grus_group_agreement_appears_on_each_members_home() {
    run(
        "a_grus_group_agreement_appears_on_each_members_home",
        |app| async move {
            let agreement = unique("The group shares the phone rota");

            set_up_workplace(&app).await;
            app.click("nav-people").await;
            app.wait_heading(PEOPLE_TITLE).await;
            let mona = add_person(&app, MANAGER, None, None).await;
            let erik = add_person(&app, EMPLOYEE, Some(MANAGER), Some(&mona)).await;
            let frida = add_person(&app, FRIDA, Some(MANAGER), Some(&erik)).await;
            let gustav = add_person(&app, GUSTAV, Some(MANAGER), Some(&frida)).await;
            app.click("nav-groups").await;
            app.wait_for("group-name").await;
            app.type_into("group-name", GROUP).await;
            app.select_label("group-leader", MANAGER).await;
            for member in [EMPLOYEE, FRIDA, GUSTAV] {
                app.click_text("css:.check-grid label", member).await;
            }
            app.step("group-filled").await;
            app.click("group-submit").await;
            app.wait_text("group-row", GROUP).await;
            sign_out(&app).await;
            app.select("lang-select", "en").await;

            // Mona holds a GRUS with the three and records a group agreement.
            first_sign_in(&app, MANAGER, &mona, MANAGER_PASS).await;
            plan_kind(&app, GROUP, "grus", 1).await;
            app.wait_heading(&format!("GRUS with {GROUP}")).await;
            assert_eq!(
                app.texts("since-item").await.len(),
                0,
                "nothing open from before"
            );
            app.click("mark-held").await;
            app.click("mark-held-confirm").await; // issue 9: asked once
            app.wait_text("dialogue-state", HELD).await;
            add_agreement(&app, &agreement, None, Some("group")).await;
            app.step_at("agreement-item", "grus-agreement").await;
            // The group's commitment is owed to its leader.
            app.click("nav-home").await;
            app.wait_text("home-owed agreement-brief-text", &agreement)
                .await;
            app.step("mona-home").await;

            for (name, code, pass) in [
                (EMPLOYEE, &erik, EMPLOYEE_PASS),
                (FRIDA, &frida, FRIDA_PASS),
                (GUSTAV, &gustav, GUSTAV_PASS),
            ] {
                sign_out(&app).await;
                first_sign_in(&app, name, code, pass).await;
                let item = app
                    .wait_text("home-responsibilities agreement-brief", &agreement)
                    .await;
                assert!(
                    item.contains(&format!("The group ({GROUP})")),
                    "the group owns it: {item:?}"
                );
                app.step(&format!("home-{}", name.split(' ').next().unwrap_or(name)))
                    .await;
            }
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_employee_asks_for_a_talk_and_a_cancelled_dialogue_stays_in_history() {
    run(
        "an_employee_asks_for_a_talk_and_a_cancelled_dialogue_stays_in_history",
        |app| async move {
            let reason = unique("The workload since the summer");
            let answer = "Let us take it in your MUS next week";
            let cancel_reason = "Erik is on a course that day";

            set_up_workplace(&app).await;
            app.click("nav-people").await;
            app.wait_heading(PEOPLE_TITLE).await;
            let mona_code = add_person(&app, MANAGER, None, None).await;
            let erik_code = add_person(&app, EMPLOYEE, Some(MANAGER), Some(&mona_code)).await;
            sign_out(&app).await;
            app.select("lang-select", "en").await;

            // Erik asks his manager for a well-being talk, with a line on why.
            first_sign_in(&app, EMPLOYEE, &erik_code, EMPLOYEE_PASS).await;
            app.click("request-toggle").await;
            app.select("request-kind", "wellbeing").await;
            app.type_into("request-reason", &reason).await;
            app.step_at("request-details", "erik-asks").await;
            app.click("request-submit").await;
            app.wait_text("my-request-status", "Waiting for an answer")
                .await; // cycle.request.status.open
            app.step_at("home-my-requests", "erik-waits").await;

            // Mona sees it on her home and answers it briefly.
            sign_out(&app).await;
            first_sign_in(&app, MANAGER, &mona_code, MANAGER_PASS).await;
            app.wait_text("request-to-me", &reason).await;
            app.step_at("home-requests", "mona-sees-request").await;
            app.type_into("request-answer-input", answer).await;
            app.click("request-answer-submit").await;
            app.wait_heading(&home_title(MANAGER)).await;
            app.poll(
                "the request to leave her home",
                support::SLOW_TIMEOUT,
                || async {
                    let left = app.texts("request-to-me").await;
                    if left.is_empty() {
                        Ok(())
                    } else {
                        Err(format!("{left:?}"))
                    }
                },
            )
            .await;

            // She plans a follow-up and cancels it, with a reason.
            plan_kind(&app, EMPLOYEE, "follow_up", 2).await;
            app.click("cancel-toggle").await;
            app.type_into("cancel-reason-input", cancel_reason).await;
            app.click("cancel-submit").await;
            app.wait_text("dialogue-state", "Cancelled").await; // cycle.state.cancelled
            app.wait_text("dialogue-cancelled", cancel_reason).await;
            assert!(
                app.texts("confirmation-status").await.is_empty(),
                "nothing to confirm in a cancelled dialogue"
            );
            app.step_at("dialogue-cancelled", "cancelled").await;
            app.click("nav-history").await;
            app.click_text("relationship-link", EMPLOYEE).await;
            let entry = app.wait_text("history-dialogue", "Cancelled").await;
            assert!(entry.contains("Follow-up dialogue"), "{entry:?}");
            app.step("history-cancelled").await;

            // Erik reads the answer; the cancelled dialogue is not upcoming.
            sign_out(&app).await;
            sign_in(&app, EMPLOYEE, EMPLOYEE_PASS).await;
            app.wait_text("my-request-status", "Answered").await;
            app.wait_text("my-request-answer", answer).await;
            assert!(
                app.texts("home-upcoming dialogue-link").await.is_empty(),
                "a cancelled dialogue is not upcoming"
            );
            app.step_at("home-my-requests", "erik-reads-answer").await;
        },
    )
    .await;
}
