//! The words of the documents, Danish and English.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use crate::domain::{AgreementState, DialogueKind, DialogueState, Role};
use crate::{Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Da,
    En,
}

impl Lang {
    /// `"da"` or `"en"`; anything else is `invalid_input` on `locale`.
    pub fn parse(text: &str) -> Result<Lang> {
        match text {
            "da" => Ok(Lang::Da),
            "en" => Ok(Lang::En),
            _ => Err(Error::InvalidInput { field: "locale" }),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }

    fn pick(self, da: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Da => da,
            Lang::En => en,
        }
    }

    pub fn kind(self, kind: DialogueKind) -> &'static str {
        match kind {
            DialogueKind::FollowUp => self.pick("Opfølgningssamtale", "Follow-up dialogue"),
            DialogueKind::Mus => "MUS",
            DialogueKind::Grus => "GRUS",
            DialogueKind::Wellbeing => self.pick("Trivselssamtale", "Well-being talk"),
            DialogueKind::AdHoc => self.pick("Ad hoc-samtale", "Ad hoc dialogue"),
        }
    }

    /// »MUS med Erik Jensen« — a calendar entry's whole title.
    pub fn meeting_title(self, kind: DialogueKind, with: &str) -> String {
        format!("{} {} {with}", self.kind(kind), self.pick("med", "with"))
    }

    /// »Opfølgning på en aftale fra MUS med Erik Jensen«.
    pub fn follow_up_title(self, kind: DialogueKind, with: &str) -> String {
        format!(
            "{} {}",
            self.pick(
                "Opfølgning på en aftale fra",
                "Follow-up of an agreement from"
            ),
            self.meeting_title(kind, with)
        )
    }

    pub fn dialogue_state(self, state: DialogueState) -> &'static str {
        match state {
            DialogueState::Planned => self.pick("Planlagt", "Planned"),
            DialogueState::Held => self.pick("Afholdt", "Held"),
            DialogueState::Confirmed => self.pick("Bekræftet", "Confirmed"),
            DialogueState::Cancelled => self.pick("Aflyst", "Cancelled"),
        }
    }

    pub fn agreement_state(self, state: AgreementState) -> &'static str {
        match state {
            AgreementState::Open => self.pick("Åben", "Open"),
            AgreementState::Done => self.pick("Udført", "Done"),
            AgreementState::Renegotiated => self.pick("Genforhandlet", "Renegotiated"),
            AgreementState::Dropped => self.pick("Ikke længere aktuel", "No longer relevant"),
        }
    }

    pub fn role(self, role: Role) -> &'static str {
        match role {
            Role::Manager => self.pick("Leder", "Manager"),
            Role::Employee => self.pick("Medarbejder", "Employee"),
            Role::Member => self.pick("Gruppemedlem", "Group member"),
            Role::Successor => self.pick("Ny leder", "New manager"),
        }
    }

    /// A label of the summary page.
    pub fn label(self, key: Label) -> &'static str {
        use Label::*;
        match key {
            Summary => self.pick("Referat", "Summary"),
            DevelopmentPlan => {
                self.pick("Udviklingsplan – aftaler", "Development plan – agreements")
            }
            Workplace => self.pick("Arbejdsplads", "Workplace"),
            When => self.pick("Tidspunkt", "When"),
            HeldAt => self.pick("Markeret som afholdt", "Marked as held"),
            State => self.pick("Status", "Status"),
            Participants => self.pick("Deltagere", "Participants"),
            Confirmed => self.pick("Bekræftet", "Confirmed"),
            Version => self.pick("version", "version"),
            NotConfirmed => self.pick("Ikke bekræftet endnu", "Not confirmed yet"),
            Agreements => self.pick("Aftaler", "Agreements"),
            NoAgreements => self.pick("Ingen aftaler.", "No agreements."),
            Owner => self.pick("Ansvarlig", "Owner"),
            FollowUp => self.pick("Opfølgning", "Follow-up"),
            IfThen => self.pick("Hvis-så-plan", "If-then plan"),
            SharedNotes => self.pick("Delte noter", "Shared notes"),
            NoNotes => self.pick("Ingen delte noter.", "No shared notes."),
            Damaged => self.pick(
                "Kan ikke vises: teksten er beskadiget eller ændret uden om Tillid.",
                "Cannot be shown: the text is damaged or was changed outside Tillid.",
            ),
            StateDamaged => self.pick(
                "Bemærk: samtalens status er ikke, som deltagerne underskrev den.",
                "Note: the dialogue's status is not as its participants signed it.",
            ),
            Made => self.pick("Udskrevet fra Tillid", "Printed from Tillid"),
            Version2 => self.pick("Referatets version", "Summary version"),
            By => self.pick("af", "by"),
        }
    }

    /// `30. november 2026` / `30 November 2026`.
    pub fn date(self, date: NaiveDate) -> String {
        const DA: [&str; 12] = [
            "januar",
            "februar",
            "marts",
            "april",
            "maj",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "december",
        ];
        const EN: [&str; 12] = [
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
        let month = date.month0() as usize;
        match self {
            Lang::Da => format!("{}. {} {}", date.day(), DA[month], date.year()),
            Lang::En => format!("{} {} {}", date.day(), EN[month], date.year()),
        }
    }

    /// `30. november 2026 kl. 10.00` / `30 November 2026, 10:00`.
    pub fn moment(self, at: NaiveDateTime) -> String {
        let day = self.date(at.date());
        match self {
            Lang::Da => format!("{day} kl. {:02}.{:02}", at.hour(), at.minute()),
            Lang::En => format!("{day}, {:02}:{:02}", at.hour(), at.minute()),
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Label {
    Summary,
    DevelopmentPlan,
    Workplace,
    When,
    HeldAt,
    State,
    Participants,
    Confirmed,
    Version,
    NotConfirmed,
    Agreements,
    NoAgreements,
    Owner,
    FollowUp,
    IfThen,
    SharedNotes,
    NoNotes,
    Damaged,
    StateDamaged,
    Made,
    Version2,
    By,
}
