//! End to end (issue 9): the idle lock never loses what someone was typing.
//! Inge starts a note and walks away; a warning comes first, then the lock
//! (nothing of the text left in the page); after she signs in again she is
//! offered the text back and it returns to the same field.
//!
//! Run: `cargo build -p tillid`, then
//! `cargo test -p tillid-e2e --test drafts`.

mod support;

use std::time::Duration;

use support::flows::*;
use support::run_with;

/// Seconds without input before the app locks (the warning comes at half).
const IDLE_LOCK_SECONDS: u64 = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsaved_text_comes_back_after_the_idle_lock() {
    let idle = IDLE_LOCK_SECONDS.to_string();
    run_with(
        "unsaved_text_comes_back_after_the_idle_lock",
        &["--idle-lock-seconds", &idle],
        |app| async move {
            admin_plans_with_erik(&app).await;
            let draft = unique("HALF-WRITTEN-NOTE about the rota");
            app.type_into("note-input", &draft).await;

            // A warning first, then the lock; the text leaves the page.
            app.wait_for_within("idle-warning", Duration::from_secs(20))
                .await;
            app.step("warned").await;
            app.wait_for_within("lock-notice", Duration::from_secs(20))
                .await;
            app.wait_heading(SIGNIN_TITLE).await;
            assert!(
                !app.source().await.contains(&draft),
                "the draft stayed in the page after the lock"
            );

            // Back again: offered once, and it returns to the note field.
            sign_in(&app, ADMIN, ADMIN_PASS).await;
            app.wait_text("draft-excerpt", &draft).await;
            app.step_at("drafts-notice", "offered-back").await;
            app.click("draft-restore").await;
            app.wait_for("dialogue-view").await;
            app.poll(
                "the draft back in the note field",
                Duration::from_secs(10),
                || async {
                    let value = app.value_of("note-input").await;
                    if value == draft {
                        Ok(())
                    } else {
                        Err(value)
                    }
                },
            )
            .await;
            assert!(app.all("drafts-notice").await.is_empty());
            app.step("restored").await;
        },
    )
    .await;
}
