//! Properties that hold for any input, not just the examples.

mod support;

use proptest::prelude::*;
use tillid_core::domain::DialogueState;
use tillid_core::validate::required_text;
use tillid_core::Error;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Text is accepted exactly when, trimmed, it is present and within the
    /// limit in characters; what is stored is the trimmed text.
    #[test]
    fn required_text_accepts_exactly_present_text_within_the_limit(text in "\\PC{0,40}", max in 1usize..30) {
        let trimmed = text.trim();
        match required_text("text", &text, max) {
            Ok(kept) => {
                prop_assert_eq!(kept.as_str(), trimmed);
                prop_assert!(!trimmed.is_empty() && trimmed.chars().count() <= max);
            }
            Err(Error::EmptyText { .. }) => prop_assert!(trimmed.is_empty()),
            Err(Error::TextTooLong { max: m, .. }) => {
                prop_assert_eq!(m, max);
                prop_assert!(trimmed.chars().count() > max);
            }
            Err(e) => prop_assert!(false, "unexpected {:?}", e),
        }
    }

    /// However the two sides add points, the employee's come first, each
    /// side's in the order they were added.
    #[test]
    fn the_employees_points_always_come_first(by_employee in proptest::collection::vec(any::<bool>(), 0..12)) {
        let mut w = support::workplace();
        let (m, e) = (w.manager.clone(), w.employee.clone());
        let d = w.dialogue();
        for (i, employee) in by_employee.iter().enumerate() {
            let who = if *employee { &e } else { &m };
            w.t.add_agenda_item(who, d, &format!("{i}")).unwrap();
        }
        let expected: Vec<String> = by_employee.iter().enumerate().filter(|(_, b)| **b)
            .chain(by_employee.iter().enumerate().filter(|(_, b)| !**b))
            .map(|(i, _)| i.to_string()).collect();
        let got: Vec<String> = w.t.get_dialogue(&m, d).unwrap().agenda.into_iter().map(|a| a.text).collect();
        prop_assert_eq!(got, expected);
    }

    /// After both confirm, every change to the summary (shared notes and
    /// agreements) makes a new version and reopens confirmation; private
    /// notes never do.
    #[test]
    fn only_summary_changes_reopen_confirmation(changes in proptest::collection::vec(0u8..3, 0..8)) {
        let mut w = support::workplace();
        let (m, e) = (w.manager.clone(), w.employee.clone());
        let d = w.dialogue();
        w.t.mark_held(&m, d).unwrap();
        let v = w.t.get_dialogue(&m, d).unwrap().summary_version;
        w.t.confirm_summary(&m, d, v).unwrap();
        w.t.confirm_summary(&e, d, v).unwrap();
        let mut shared_changes = 0;
        for (i, change) in changes.iter().enumerate() {
            match change {
                0 => { w.t.add_note(&e, d, &format!("private {i}"), true).unwrap(); }
                1 => { w.t.add_note(&m, d, &format!("shared {i}"), false).unwrap(); shared_changes += 1; }
                _ => { w.agreement(&m, d, Some(e.id()), &format!("agreement {i}")); shared_changes += 1; }
            }
        }
        let view = w.t.get_dialogue(&e, d).unwrap();
        prop_assert_eq!(view.summary_version, v + shared_changes);
        let expected = if shared_changes == 0 { DialogueState::Confirmed } else { DialogueState::Held };
        prop_assert_eq!(view.state, expected);
        prop_assert_eq!(view.can.confirm, shared_changes > 0);
    }
}
