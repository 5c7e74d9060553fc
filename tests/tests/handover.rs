//! End to end (issue 8): a new manager, with the employee's consent. Inge
//! (administrator) manages Erik and records an agreement she owns in their
//! conversation. Erik gets Mona as his new manager. Before Erik decides,
//! Mona has nothing of that history; Erik, at his sign-in, is asked once and
//! shares it; then Mona finds Inge's open agreement among her own and reads
//! the earlier conversation as its new manager.
//!
//! Run: `cargo build -p tillid`, then
//! `cargo test -p tillid-e2e --test handover`.

mod support;

use support::flows::*;
use support::run;

// English catalog texts (key in ui/js/i18n/en.js).
const SHARE: &str = "Share with Mona Manager"; // handover.share
const SHARED: &str = "can now read your earlier dialogues"; // handover.shared

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_consent_the_new_manager_reads_the_history_and_takes_over() {
    run("new_manager_with_consent", |app| async move {
        let inges = unique("INGE-FINDS-A-COURSE");

        // Inge manages Erik; Mona is here too, managing no one yet.
        set_up_workplace(&app).await;
        app.click("nav-people").await;
        app.wait_heading(PEOPLE_TITLE).await;
        let erik_code = add_person(&app, EMPLOYEE, Some(ADMIN), None).await;
        let mona_code = add_person(&app, MANAGER, None, Some(&erik_code)).await;
        app.wait_for("nav-plan").await;
        plan_dialogue(&app, EMPLOYEE).await;
        app.type_into("agreement-text", &inges).await;
        app.select_label("agreement-owner", &format!("{ADMIN} (you)"))
            .await; // agreement.ownerYou
        app.click("agreement-add").await;
        app.wait_text("agreement-item", &inges).await;

        // Erik gets Mona as his new manager.
        app.click("nav-people").await;
        app.wait_heading(PEOPLE_TITLE).await;
        app.select_label(
            &format!(r#"css:select[aria-label="Manager of {EMPLOYEE}"]"#),
            MANAGER,
        )
        .await;
        app.click(&format!(
            r#"css:button[aria-label="Save manager for {EMPLOYEE}"]"#
        ))
        .await; // access.managerSaveFor
        app.wait_text(
            "css:[data-testid=\"form-status\"]",
            &format!("{MANAGER} is now the manager of {EMPLOYEE}."),
        )
        .await; // people.managerSet
        sign_out(&app).await;

        // Mona's first sign-in: nothing of Erik's history with Inge yet.
        first_sign_in(&app, MANAGER, &mona_code, MANAGER_PASS).await;
        let mine = app
            .texts("home-responsibilities agreement-brief-text")
            .await;
        assert!(!mine.iter().any(|t| t == &inges), "{mine:?}");
        sign_out(&app).await;

        // Erik is asked once, and shares.
        first_sign_in(&app, EMPLOYEE, &erik_code, EMPLOYEE_PASS).await;
        app.wait_text(
            "home-handover",
            "The private notes Inge Admin wrote do not come along",
        )
        .await; // handover.private
        app.step_at("home-handover", "asked-once").await;
        app.click_text("handover-share", SHARE).await;
        app.wait_text("handover-done", SHARED).await;
        assert!(app.all("home-handover").await.is_empty());
        sign_out(&app).await;

        // Mona now answers for Inge's open agreement and reads the earlier
        // conversation, as its new manager.
        sign_in(&app, MANAGER, MANAGER_PASS).await;
        app.wait_text("home-responsibilities agreement-brief-text", &inges)
            .await;
        app.step_at("home-responsibilities", "taken-over").await;
        app.click(r#"css:[data-testid="home-responsibilities"] .agreement-brief a"#)
            .await;
        app.wait_for("dialogue-view").await;
        app.wait_text("agreement-item", &inges).await;
        app.wait_heading(&dialogue_title(EMPLOYEE)).await;
        app.wait_text("css:.dialogue-head dl.facts", "new manager")
            .await; // roles.successor
        app.wait_text(
            "dialogue-successor",
            "because Erik Employee shared their history with you",
        )
        .await; // handover.readingAs
        assert!(
            app.all("agreement-add").await.is_empty(),
            "a successor writes nothing"
        );
        app.step("earlier-conversation").await;
    })
    .await;
}
