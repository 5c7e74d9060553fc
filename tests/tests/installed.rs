//! The installed package: `scripts/check-package.sh` installs the .deb and
//! sets `TILLID_INSTALLED=/usr/bin/tillid`; this test then starts THAT
//! binary (not the one in target/) over WebDriver on a seeded data folder
//! and waits for the sign-in screen. Without the variable it says it was
//! skipped and passes, so `cargo test -p tillid-e2e` works before any
//! package is installed.

mod support;

use std::process::Command;

use support::run_prepared;

const DEMO_ADMIN: &str = "Admin Andersen";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_installed_binary_starts_to_the_sign_in_screen() {
    let Some(installed) = std::env::var_os("TILLID_INSTALLED").filter(|p| !p.is_empty()) else {
        println!("skipped: TILLID_INSTALLED is not set (scripts/check-package.sh sets it)");
        return;
    };
    // The harness starts `$TILLID_APP`; here that is the installed binary.
    std::env::set_var("TILLID_APP", &installed);
    let seed_with = installed.clone();
    let prepare = move |dir: &std::path::Path| {
        let out = Command::new(&seed_with)
            .arg("--data-dir")
            .arg(dir)
            .args(["seed", "--people", "3", "--dialogues", "2"])
            .output()
            .expect("run the installed tillid seed");
        assert!(
            out.status.success(),
            "seed failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The installed binary writes its support log there too.
        let log = std::fs::read_to_string(dir.join("logs/tillid.log")).unwrap_or_default();
        assert!(log.contains("start"), "no log line from the seed: {log:?}");
    };
    run_prepared("installed", prepare, &[], |app| async move {
        app.wait_text("signin-person", DEMO_ADMIN).await;
        app.step("installed-sign-in").await;
        let names = app.texts("signin-person").await;
        assert!(names.len() >= 3, "{names:?}");
    })
    .await;
}
