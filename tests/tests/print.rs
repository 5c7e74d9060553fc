//! End to end (issue 8): a confirmed MUS's summary opens in the print view.
//! Inge (administrator) manages Erik; they hold a MUS with an agreement, a
//! shared note and Inge's private note, and both confirm. Inge opens
//! "Print or save the summary": by default the development plan (the
//! agreements only); then the whole summary with the shared note. Her
//! private note is never there. The test never calls `window.print()` (the
//! native dialog would block WebDriver): it checks the page and that the
//! print stylesheet leaves the app's header and buttons out, and takes
//! screenshots.
//!
//! Run: `cargo build -p tillid`, then
//! `cargo test -p tillid-e2e --test print`.
//! Screenshots: `tests/artifacts/confirmed_mus_summary_prints_without_private_notes/`.

mod support;

use support::flows::*;
use support::run;

// English catalog texts (key in ui/js/i18n/en.js).
const PRINT_TITLE: &str = "Print or save the summary"; // print.title
const CALENDAR_NOTE: &str = "never agendas or agreements"; // print.calendarNoContent

fn mus_title(counterpart: &str) -> String {
    format!("MUS with {counterpart}") // dialogue.title, kinds.mus
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confirmed_mus_summary_prints_without_private_notes() {
    run(
        "confirmed_mus_summary_prints_without_private_notes",
        |app| async move {
            let goal = unique("Erik takes the course in case law <b>&</b>");
            let if_then = unique("If the rota is full, Erik asks Inge");
            let shared = unique("SHARED-NOTE: the course fits in spring");
            let private = unique("INGE-PRIVATE-NOTE");

            // (1) Inge manages Erik and plans a MUS with him.
            set_up_workplace(&app).await;
            app.click("nav-people").await;
            app.wait_heading(PEOPLE_TITLE).await;
            let erik_code = add_person(&app, EMPLOYEE, Some(ADMIN), None).await;
            app.wait_for("nav-plan").await;
            app.click("nav-plan").await;
            app.wait_heading(PLAN_TITLE).await;
            app.select_label("plan-with", EMPLOYEE).await;
            app.select("plan-kind", "mus").await;
            let date = app.local_date_in(1).await;
            app.set_date("plan-date", &date).await;
            app.click("plan-submit").await;
            app.wait_for("dialogue-view").await;
            app.wait_heading(&mus_title(EMPLOYEE)).await;
            let dialogue = app.js("return location.hash;").await.as_str().unwrap_or_default().to_owned();
            assert!(dialogue.starts_with("#/dialogue/"), "{dialogue}");
            // A planned dialogue offers the calendar, saying what stays out.
            app.wait_text("dialogue-calendar-part", CALENDAR_NOTE).await;
            app.step_at("dialogue-calendar-part", "a-planned-mus-offers-the-calendar")
                .await;
            assert!(
                app.texts("dialogue-print").await.is_empty(),
                "no summary to print before the talk is held"
            );

            // (2) The talk is held: an agreement, a shared and a private note.
            app.click("mark-held").await;
            app.click("mark-held-confirm").await; // issue 9: asked once
            app.wait_text("dialogue-state", HELD).await;
            app.type_into("agreement-text", &goal).await;
            app.select_label("agreement-owner", EMPLOYEE).await;
            let follow_up = app.local_date_in(120).await;
            app.set_date("agreement-follow-up", &follow_up).await;
            app.type_into("agreement-if-then", &if_then).await;
            app.click("agreement-add").await;
            app.wait_text("agreement-item", &goal).await;
            app.type_into("note-input", &shared).await;
            app.click("note-add").await;
            app.wait_text("note-text", &shared).await;
            app.type_into("note-input", &private).await;
            app.click("note-private").await;
            app.click("note-add").await;
            app.wait_count("note-text", 2).await;
            app.click("confirm-summary").await;
            app.wait_text(
                "confirmation-status",
                &format!("{EMPLOYEE} (employee): {NOT_CONFIRMED}"),
            )
            .await;

            // (3) Erik confirms.
            sign_out(&app).await;
            first_sign_in(&app, EMPLOYEE, &erik_code, EMPLOYEE_PASS).await;
            let link = "home-to-confirm dialogue-link";
            app.wait_count(link, 1).await;
            app.click(link).await;
            app.wait_heading(&mus_title(ADMIN)).await;
            app.click("confirm-summary").await;
            app.wait_text("dialogue-state", CONFIRMED).await;

            // (4) Inge opens the print view: the development plan by default.
            sign_out(&app).await;
            sign_in(&app, ADMIN, ADMIN_PASS).await;
            app.js(&format!("location.hash = {dialogue:?};"))
                .await;
            app.wait_heading(&mus_title(EMPLOYEE)).await;
            app.wait_text("dialogue-state", CONFIRMED).await;
            app.click("dialogue-print").await;
            app.wait_for("print-view").await;
            app.wait_heading(PRINT_TITLE).await;
            let plan = app.wait_text("print-doc", &goal).await;
            assert!(plan.contains(&if_then), "the if-then plan: {plan}");
            assert!(
                plan.contains(&format!("{EMPLOYEE} (Employee)"))
                    || plan.contains(&format!("{EMPLOYEE} (employee)")),
                "the participants: {plan}"
            );
            assert!(plan.contains("confirmed"), "the confirmations: {plan}");
            assert!(plan.contains(", version "), "the confirmed version: {plan}");
            assert!(!plan.contains(&shared), "agreements only by default for a MUS");
            assert!(!plan.contains(&private), "a private note in the print");
            assert_eq!(app.value_of("print-scope").await, "agreements");
            app.wait_for("print-now").await;
            app.step_at("print-doc", "the-development-plan-to-print")
                .await;

            // (5) The whole summary: the shared note, never the private one.
            app.select("print-scope", "whole").await;
            let whole = app.wait_text("print-notes", &shared).await;
            let page = app.source().await;
            assert!(!page.contains(&private), "a private note in the page");
            assert!(!whole.contains(&private));
            app.wait_text("print-doc", &goal).await;
            app.step_at("print-doc", "the-whole-summary-to-print").await;

            // The print stylesheet prints the summary alone.
            let hidden = app
                .js(r#"
                    const rules = [];
                    for (const sheet of document.styleSheets) {
                      for (const r of sheet.cssRules) {
                        if (r.media && r.media.mediaText === 'print') {
                          for (const inner of r.cssRules) rules.push(inner.cssText);
                        }
                      }
                    }
                    const toolbar = document.querySelector('[data-testid="print-toolbar"]');
                    const header = document.getElementById('app-header');
                    return {
                      header: rules.some((t) => t.includes('#app-header') && t.includes('display: none')),
                      noPrint: rules.some((t) => t.includes('.no-print') && t.includes('display: none')),
                      toolbar: toolbar.classList.contains('no-print'),
                      docInsideNoPrint: !!document.querySelector('.no-print [data-testid="print-doc"]'),
                      headerHasNav: header.textContent.length > 0,
                    };
                "#)
                .await;
            assert_eq!(hidden["header"], true, "{hidden}");
            assert_eq!(hidden["noPrint"], true, "{hidden}");
            assert_eq!(hidden["toolbar"], true, "{hidden}");
            assert_eq!(hidden["docInsideNoPrint"], false, "{hidden}");

            // Home offers all upcoming conversations to the calendar.
            app.click("print-back").await;
            app.wait_heading(&mus_title(EMPLOYEE)).await;
            app.click("nav-home").await;
            app.wait_text("home-calendar-part", CALENDAR_NOTE).await;
            app.step_at("home-calendar-part", "home-offers-the-calendar")
                .await;
        },
    )
    .await;
}
