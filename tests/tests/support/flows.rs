//! The steps the end-to-end tests share: setting up a workplace, adding
//! people, signing in and out, planning a dialogue. The expected texts are
//! the English catalog's (`ui/js/i18n/en.js`); each test chooses English on
//! the first screen.

use super::{App, SLOW_TIMEOUT};

pub const ADMIN: &str = "Inge Admin";
pub const MANAGER: &str = "Mona Manager";
pub const EMPLOYEE: &str = "Erik Employee";
pub const ADMIN_PASS: &str = "inge correct horse";
pub const MANAGER_PASS: &str = "mona battery staple";
pub const EMPLOYEE_PASS: &str = "erik purple giraffe";

// English catalog texts the assertions expect (key in ui/js/i18n/en.js).
pub const SETUP_TITLE: &str = "Welcome to Tillid"; // setup.title
pub const SIGNIN_TITLE: &str = "Who is using Tillid?"; // signin.title
pub const PEOPLE_TITLE: &str = "People"; // people.title
pub const PLAN_TITLE: &str = "Plan a dialogue"; // plan.title
pub const PLANNED: &str = "Planned"; // states.dialogue.planned
pub const HELD: &str = "Held"; // states.dialogue.held
pub const CONFIRMED: &str = "Confirmed"; // states.dialogue.confirmed
pub const OPEN: &str = "Open"; // states.agreement.open
pub const DONE: &str = "Done"; // states.agreement.done
pub const EVERYONE_CONFIRMED: &str = "Everyone has confirmed the summary."; // dialogue.summary.whenConfirmed
pub const NOT_CONFIRMED: &str = "Not confirmed yet"; // dialogue.summary.notConfirmed
pub const PRIVATE_LABEL: &str = "Private – only you can read it"; // dialogue.notes.privateLabel
pub const WRONG_PASSPHRASE: &str = "That passphrase is not right. Try again."; // errors.wrong_passphrase
pub const WRONG_PASSPHRASE_DA: &str = "Adgangskoden er ikke rigtig. Prøv igen."; // da: errors.wrong_passphrase
pub const EMPTY_TEXT: &str = "Please fill in the text."; // errors.empty_text + fields.text
pub const NO_AGREEMENTS: &str = "No agreements yet."; // dialogue.agreements.empty

pub fn home_title(name: &str) -> String {
    format!("Hello, {name}") // home.title
}

pub fn dialogue_title(counterpart: &str) -> String {
    format!("Follow-up dialogue with {counterpart}") // dialogue.title, kinds.follow_up
}

/// `YYYY-MM-DD` as the English UI shows a calendar date (en-GB, `formatDate`).
pub fn english_date(iso: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<u32> = iso
        .split('-')
        .map(|p| p.parse().expect("YYYY-MM-DD"))
        .collect();
    let [year, month, day] = parts[..] else {
        panic!("not YYYY-MM-DD: {iso}")
    };
    format!("{day} {} {year}", MONTHS[month as usize - 1])
}

/// A text unique to this run, so a search for it cannot hit anything else.
pub fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_nanos();
    format!("{prefix}-{}-{nanos}", std::process::id())
}

// ---- steps shared by the tests ----------------------------------------------

/// First start: choose English, create the workplace and its administrator.
pub async fn set_up_workplace(app: &App) {
    app.wait_for("setup-workplace-name").await;
    app.select("lang-select", "en").await;
    app.wait_heading(SETUP_TITLE).await;
    app.type_into("setup-workplace-name", "Tillid Testværksted")
        .await;
    app.type_into("setup-admin-name", ADMIN).await;
    app.type_into("setup-passphrase", ADMIN_PASS).await;
    app.type_into("setup-passphrase-repeat", ADMIN_PASS).await;
    app.step("setup-filled").await;
    app.click("setup-submit").await;
    app.wait_text_within("whoami", ADMIN, SLOW_TIMEOUT).await;
    app.wait_heading(&home_title(ADMIN)).await;
    app.wait_for("nav-people").await;
}

/// On the People screen: add a person, return the one-time setup code shown.
pub async fn add_person(
    app: &App,
    name: &str,
    manager: Option<&str>,
    previous_code: Option<&str>,
) -> String {
    app.type_into("person-add-name", name).await;
    app.select_label("person-add-manager", manager.unwrap_or("No manager"))
        .await; // people.noManager
    app.click("person-add-submit").await;
    app.wait_text(
        r#"css:form[data-key="person-add"] [data-testid="form-status"]"#,
        &format!("{name} was added."),
    )
    .await;
    let code = app
        .poll("a new setup code", SLOW_TIMEOUT, || async {
            let codes = app.texts("setup-code").await;
            match codes.as_slice() {
                [code] if !code.is_empty() && Some(code.as_str()) != previous_code => {
                    Ok(code.clone())
                }
                _ => Err(format!("{codes:?}")),
            }
        })
        .await;
    app.wait_text(
        r#"css:.setup-code-panel h2"#,
        &format!("Setup code for {name}"),
    )
    .await; // people.codeTitle
    code
}

/// The manager shown in a person's row of the People table.
pub async fn manager_in_row(app: &App, name: &str) -> String {
    let rows = app.all("person-row").await;
    for row in rows {
        let row_name = row
            .find(fantoccini::Locator::Css(&super::tid("person-name")))
            .await
            .expect("person-name in row")
            .text()
            .await
            .expect("name text");
        if row_name == name {
            let select = row
                .find(fantoccini::Locator::Css(&super::tid("person-manager")))
                .await
                .expect("person-manager in row");
            return app.selected_label(&select).await;
        }
    }
    panic!("no row for {name} in the People table");
}

pub async fn sign_out(app: &App) {
    app.click("nav-signout").await;
    app.wait_heading(SIGNIN_TITLE).await;
    assert!(
        app.texts("whoami").await.is_empty(),
        "still signed in after signing out"
    );
}

/// A person's first sign-in: setup code and a new passphrase (twice).
pub async fn first_sign_in(app: &App, name: &str, code: &str, passphrase: &str) {
    app.wait_heading(SIGNIN_TITLE).await;
    app.click_text("signin-person", name).await;
    app.type_into("signin-setup-code", code).await;
    app.type_into("signin-new-passphrase", passphrase).await;
    app.type_into("signin-new-passphrase-repeat", passphrase)
        .await;
    app.click("signin-submit").await;
    app.wait_text_within("whoami", name, SLOW_TIMEOUT).await;
    app.wait_heading(&home_title(name)).await;
}

pub async fn sign_in(app: &App, name: &str, passphrase: &str) {
    app.wait_heading(SIGNIN_TITLE).await;
    app.click_text("signin-person", name).await;
    app.type_into("signin-passphrase", passphrase).await;
    app.click("signin-submit").await;
    app.wait_text_within("whoami", name, SLOW_TIMEOUT).await;
    app.wait_heading(&home_title(name)).await;
}

/// Open the only dialogue linked from a home section.
pub async fn open_dialogue_from_home(app: &App, section: &str, counterpart: &str) {
    let link = format!("{section} dialogue-link");
    let texts = app.wait_count(&link, 1).await;
    assert_eq!(
        texts,
        [dialogue_title(counterpart)],
        "the dialogue listed under {section}"
    );
    app.click(&link).await;
    app.wait_for("dialogue-view").await;
    app.wait_heading(&dialogue_title(counterpart)).await;
}

/// Plan a follow-up dialogue with `employee`; ends on the new dialogue.
pub async fn plan_dialogue(app: &App, employee: &str) {
    app.click("nav-plan").await;
    app.wait_heading(PLAN_TITLE).await;
    app.select_label("plan-with", employee).await;
    app.select("plan-kind", "follow_up").await;
    let date = app.local_date_in(2).await;
    app.set_date("plan-date", &date).await;
    app.set_date("plan-time", "10:30").await;
    app.step("plan-filled").await;
    app.click("plan-submit").await;
    app.wait_for("dialogue-view").await;
    app.wait_heading(&dialogue_title(employee)).await;
    assert_eq!(app.text_of("dialogue-state").await, PLANNED);
    let when = app
        .wait_text("css:.dialogue-head dl.facts dd", &english_date(&date))
        .await;
    assert!(
        when.contains("10:30"),
        "the planned time is shown: {when:?}"
    );
}

/// A new workplace whose administrator manages Erik and has a dialogue
/// with him open on screen.
pub async fn admin_plans_with_erik(app: &App) {
    set_up_workplace(app).await;
    app.click("nav-people").await;
    app.wait_heading(PEOPLE_TITLE).await;
    add_person(app, EMPLOYEE, Some(ADMIN), None).await;
    // Inge now manages Erik and may plan with him.
    app.wait_for("nav-plan").await;
    plan_dialogue(app, EMPLOYEE).await;
}

pub async fn add_agenda_point(app: &App, text: &str) {
    app.type_into("agenda-input", text).await;
    app.click("agenda-add").await;
    app.wait_text("agenda-text", text).await;
}
