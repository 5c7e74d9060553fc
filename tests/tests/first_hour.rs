//! The first hour, in Danish: a new administrator lands on a home that says
//! what to do (not six empty boxes), adds colleagues, finds an empty list
//! that offers its next step, sees a group leader ticked as a member
//! explained, finds a name on a long sign-in list by typing »me«, and gets
//! a Danish message for a wrong password.

mod support;

use support::flows::*;
use support::{run, SLOW_TIMEOUT};

const WORKPLACE: &str = "Børnehuset Solsikken";
const ADMIN_DA: &str = "Inge Andersen";
const METTE: &str = "Mette Madsen";
const COLLEAGUES: [&str; 5] = [METTE, "Ole Olsen", "Karen Krogh", "Bo Berg", "Simon Holm"];
const GROUP: &str = "Stuen";

/// The names on the sign-in screen that the filter leaves visible.
async fn visible_names(app: &support::App) -> Vec<String> {
    let v = app
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=signin-person]'))
               .filter((b) => !b.closest('li').hidden).map((b) => b.textContent.trim());",
        )
        .await;
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_administrator_is_guided_through_the_first_hour_in_danish() {
    run("first_hour", |app| async move {
        // Set up in Danish.
        app.wait_for("setup-workplace-name").await;
        app.select("lang-select", "da").await;
        app.wait_heading("Velkommen til Tillid").await; // setup.title
        app.type_into("setup-workplace-name", WORKPLACE).await;
        app.type_into("setup-admin-name", ADMIN_DA).await;
        app.type_into("setup-passphrase", ADMIN_PASS).await;
        app.type_into("setup-passphrase-repeat", ADMIN_PASS).await;
        app.step("setup-in-danish").await;
        app.click("setup-submit").await;
        app.wait_text_within("whoami", ADMIN_DA, SLOW_TIMEOUT)
            .await;
        app.wait_heading(&format!("Hej, {ADMIN_DA}")).await; // home.title

        // (1) The guided home: what to do next, not empty boxes.
        let guide = app.wait_text("home-first-steps", "Tilføj dine kolleger").await;
        assert!(
            guide.contains("Vælg, hvem der er leder for hvem"),
            "{guide:?}"
        );
        assert!(guide.contains("Du er den eneste"), "{guide:?}"); // firstHour.peopleCountOne
        for empty in ["home-upcoming", "home-to-confirm", "home-responsibilities", "home-owed", "home-overdue", "home-due"] {
            assert!(
                app.all(empty).await.is_empty(),
                "an empty box on the guided home: {empty}"
            );
        }
        // The workplace's name in the header.
        app.wait_text("header-workplace", WORKPLACE).await;
        app.step("guided-home").await;

        // (2) An empty list offers its next step: History leads to People.
        app.click("nav-history").await;
        app.wait_heading("Historik").await;
        app.wait_text("empty-note", "Du har endnu ingen leder").await; // history.empty
        app.step("history-empty-next-step").await;
        app.click("history-next").await;
        app.wait_heading("Personer").await;

        // Add the colleagues (in Danish).
        for name in COLLEAGUES {
            app.type_into("person-add-name", name).await;
            app.click("person-add-submit").await;
            app.wait_text(
                r#"css:form[data-key="person-add"] [data-testid="form-status"]"#,
                &format!("{name} er oprettet."),
            )
            .await; // people.added
        }
        app.click("nav-home").await;
        app.wait_text("home-people-count", "Der er 6 personer")
            .await; // firstHour.peopleCount
        app.step("guided-home-with-colleagues").await;

        // (3) Groups: the empty list says what to do; a leader ticked as a
        // member is explained, not silently dropped.
        app.click("home-step-groups").await;
        app.wait_heading("Grupper").await;
        app.wait_text("empty-note", "Opret den første gruppe").await; // firstHour.groupsNext
        app.type_into("group-name", GROUP).await;
        let ticked = app
            .js(&format!(
                "const l = Array.from(document.querySelectorAll('label')).find((x) => x.textContent.trim() === '{METTE}');
                 const box = document.getElementById(l.htmlFor); box.click(); return box.checked;"
            ))
            .await;
        assert_eq!(ticked.as_bool(), Some(true), "Mette ticked as a member");
        app.select_label("group-leader", METTE).await;
        app.wait_text("group-member-leader", "(leder for gruppen)")
            .await; // firstHour.leaderMarked
        app.click("group-submit").await;
        let said = app
            .wait_text(
                r#"css:form[data-key="group-form"] [data-testid="form-status"]"#,
                "er leder for gruppen og er derfor med som leder",
            )
            .await; // firstHour.leaderNotMember
        assert!(said.contains(METTE), "{said:?}");
        app.step("group-leader-explained").await;

        // (4) Sign-in with many names: type »me« → Mette.
        app.click("nav-signout").await;
        app.wait_heading("Hvem bruger Tillid?").await; // signin.title
        assert_eq!(app.texts("signin-person").await.len(), 6);
        app.type_into("signin-filter", "me").await;
        let shown = app
            .poll("only Mette shown", SLOW_TIMEOUT, || async {
                let names = visible_names(&app).await;
                if names == [METTE] {
                    Ok(names)
                } else {
                    Err(format!("{names:?}"))
                }
            })
            .await;
        assert_eq!(shown, [METTE]);
        app.step("sign-in-filter").await;
        app.type_into("signin-filter", "xyz").await;
        app.wait_text("signin-filter-none", "Ingen navne passer på »xyz«")
            .await; // firstHour.filterNone

        // (5) A wrong password, in Danish.
        app.type_into("signin-filter", "in").await;
        app.click_text("signin-person", ADMIN_DA).await;
        app.type_into("signin-passphrase", "ikke den rigtige").await;
        app.click("signin-submit").await;
        app.wait_text_within("form-error", WRONG_PASSPHRASE_DA, SLOW_TIMEOUT)
            .await;
        app.step("wrong-password-in-danish").await;
        assert!(app.texts("whoami").await.is_empty(), "not signed in");
    })
    .await;
}
