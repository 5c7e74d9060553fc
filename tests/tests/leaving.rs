//! Someone leaves: the administrator marks them on the People page (asked
//! once, with what it means), they vanish from the sign-in list and come
//! back with »Back again«.

mod support;

use support::flows::*;
use support::run;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn someone_who_left_disappears_from_sign_in_and_can_come_back() {
    run("someone_who_left", |app| async move {
        set_up_workplace(&app).await;
        app.click("nav-people").await;
        app.wait_heading(PEOPLE_TITLE).await;
        add_person(&app, EMPLOYEE, Some(ADMIN), None).await;

        // Asked once; Cancel changes nothing.
        app.click("person-left").await;
        app.wait_for("person-left-panel").await;
        app.click("person-left-cancel").await;
        assert!(app.all("person-left-panel").await.is_empty());

        // Erik has not even chosen a passphrase yet: he can still be marked.
        app.click("person-left").await;
        app.wait_text(
            "person-left-panel",
            &format!("{EMPLOYEE} disappears from the list"),
        )
        .await; // people.leftGone
        app.step_at("person-left-panel", "asked-once").await;
        app.click("person-left-confirm").await;
        app.wait_text("person-gone", EMPLOYEE).await;
        app.step_at("person-gone", "former-colleagues").await;
        assert!(
            !app.texts("person-name").await.iter().any(|n| n == EMPLOYEE),
            "still in the table of people here"
        );

        sign_out(&app).await;
        let names = app.texts("signin-person").await;
        assert!(!names.iter().any(|n| n.contains(EMPLOYEE)), "{names:?}");
        assert!(names.iter().any(|n| n.contains(ADMIN)), "{names:?}");
        app.step("sign-in-without-them").await;

        sign_in(&app, ADMIN, ADMIN_PASS).await;
        app.click("nav-people").await;
        app.click("person-returned").await;
        app.wait_text("person-name", EMPLOYEE).await;
        sign_out(&app).await;
        app.wait_text("signin-person", EMPLOYEE).await;
    })
    .await;
}

/// After they left, an administrator can delete their data: the panel says
/// what goes and what stays before anything is deleted, and afterwards they
/// cannot be brought back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_data_of_someone_who_left_can_be_deleted_after_a_preview() {
    run("deleting_someone_who_left", |app| async move {
        set_up_workplace(&app).await;
        app.click("nav-people").await;
        app.wait_heading(PEOPLE_TITLE).await;
        add_person(&app, EMPLOYEE, Some(ADMIN), None).await;
        app.wait_for("nav-plan").await;
        plan_dialogue(&app, EMPLOYEE).await;
        app.click("nav-people").await;
        app.wait_heading(PEOPLE_TITLE).await;
        app.click("person-left").await;
        app.click("person-left-confirm").await;
        app.wait_text("person-gone", EMPLOYEE).await;

        app.click("person-delete").await;
        app.wait_text(
            "person-delete-panel",
            &format!("Dialogues between {EMPLOYEE} and a manager are deleted in full, with agenda, notes and agreements (1)"),
        )
        .await; // personDeletion.dialogues
        app.wait_text("person-delete-panel", "This cannot be undone")
            .await;
        app.step_at("person-delete-panel", "what-goes").await;
        // Cancel changes nothing; then delete for real.
        app.click("person-delete-cancel").await;
        assert!(app.all("person-delete-panel").await.is_empty());
        app.click("person-delete").await;
        app.click("person-delete-confirm").await;
        app.wait_text("person-gone", "Data deleted").await; // personDeletion.deleted
        assert!(app.all("person-returned").await.is_empty());
        app.step_at("person-gone", "deleted").await;

        // The dialogue with him is gone from Inge's history too.
        app.click("nav-home").await;
        app.wait_heading(&home_title(ADMIN)).await;
        assert!(app.all("home-upcoming dialogue-link").await.is_empty());
    })
    .await;
}
