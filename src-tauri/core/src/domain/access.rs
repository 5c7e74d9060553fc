//! Who may do what with a dialogue and what is in it. These functions are
//! pure: the service gathers the facts, asks here, and refuses with
//! `Forbidden` when the answer is no. Administrators manage people; they
//! get no special sight into other people's dialogues.

use super::{DialogueKind, DialogueState, Role};
use crate::templates::Side;

/// What the rules need to know about one dialogue and one person.
#[derive(Clone, Copy, Debug)]
pub struct Seat {
    /// The person's role in the dialogue, if they take part at all.
    pub role: Option<Role>,
    pub state: DialogueState,
}

impl Seat {
    /// Took part in the dialogue (a successor only reads it).
    pub fn takes_part(&self) -> bool {
        matches!(
            self.role,
            Some(Role::Manager | Role::Employee | Role::Member)
        )
    }

    /// Reads what was shared in it: those who took part, and a successor.
    pub fn reads(&self) -> bool {
        self.role.is_some()
    }

    pub fn is_manager(&self) -> bool {
        self.role == Some(Role::Manager)
    }
}

pub fn may_view(seat: Seat) -> bool {
    seat.reads()
}

/// Points may be added until everyone has confirmed the summary, and not
/// to a cancelled dialogue.
pub fn may_add_agenda(seat: Seat) -> bool {
    seat.takes_part()
        && seat.state != DialogueState::Confirmed
        && seat.state != DialogueState::Cancelled
}

pub fn may_set_agenda_status(seat: Seat) -> bool {
    seat.takes_part()
}

/// One's own point, while it has not been discussed.
pub fn may_remove_agenda(seat: Seat, is_author: bool, still_open: bool) -> bool {
    seat.takes_part() && is_author && still_open
}

pub fn may_add_note(seat: Seat) -> bool {
    seat.takes_part()
}

/// A private note is read by its author and no one else; a shared note by
/// everyone in the dialogue, and by a successor.
pub fn may_read_note(seat: Seat, is_author: bool, private: bool) -> bool {
    seat.reads() && (is_author || !private)
}

pub fn may_change_note(seat: Seat, is_author: bool) -> bool {
    seat.takes_part() && is_author
}

pub fn may_add_agreement(seat: Seat) -> bool {
    seat.takes_part() && seat.state != DialogueState::Cancelled
}

/// The wording of an agreement: the manager who records the dialogue, or
/// whoever wrote it down.
pub fn may_edit_agreement(seat: Seat, is_creator: bool) -> bool {
    seat.takes_part() && (seat.is_manager() || is_creator)
}

/// Progress on an agreement: its owner and the dialogue's manager; for a
/// group's agreement, everyone in the group. A successor moves only the
/// agreements they took over (`is_owner` then names them).
pub fn may_update_agreement(seat: Seat, is_owner: bool, group_owned: bool) -> bool {
    (seat.takes_part() && (is_owner || seat.is_manager() || group_owned))
        || (seat.role == Some(Role::Successor) && is_owner)
}

pub fn may_reschedule(seat: Seat) -> bool {
    seat.is_manager() && seat.state == DialogueState::Planned
}

pub fn may_mark_held(seat: Seat) -> bool {
    seat.is_manager() && seat.state == DialogueState::Planned
}

pub fn may_confirm(seat: Seat) -> bool {
    seat.takes_part()
        && seat.state != DialogueState::Planned
        && seat.state != DialogueState::Cancelled
}

/// Cancelling: the dialogue's manager (by the verified roster), while it
/// is planned. It stays in the history as cancelled.
pub fn may_cancel(seat: Seat) -> bool {
    seat.is_manager() && seat.state == DialogueState::Planned
}

/// The overview of people and groups: whoever the verified roster says
/// manages someone or leads a group.
pub fn may_see_overview(manages_or_leads: bool) -> bool {
    manages_or_leads
}

/// Asking for a dialogue: anyone the verified roster gives a manager.
pub fn may_request_dialogue(has_manager: bool) -> bool {
    has_manager
}

/// Reading a request: the employee who asked and the manager asked, while
/// the roster still says they are that employee's manager.
pub fn may_read_request(is_asker: bool, is_their_manager: bool) -> bool {
    is_asker || is_their_manager
}

/// Answering a request, or planning from it: the manager asked, while the
/// roster still says so and the request is open.
pub fn may_answer_request(is_their_manager: bool, open: bool) -> bool {
    is_their_manager && open
}

// ---- Templates and preparation ----------------------------------------

/// Templates are the workplace's: its administrators (by the verified
/// roster) edit them; everyone signed in reads them.
pub fn may_edit_templates(is_admin: bool) -> bool {
    is_admin
}

/// A MUS and a well-being talk are between one person and their manager;
/// a GRUS is with a personnel group. Follow-ups and ad hoc talks are either.
pub fn kind_fits(kind: DialogueKind, with_group: bool) -> bool {
    match kind {
        DialogueKind::Mus | DialogueKind::Wellbeing => !with_group,
        DialogueKind::Grus => with_group,
        DialogueKind::FollowUp | DialogueKind::AdHoc => true,
    }
}

/// Whether a question of `side` is the seat's to prepare.
pub fn prepares(seat: Seat, side: Side) -> bool {
    match side {
        Side::Manager => seat.is_manager(),
        Side::Employee => seat.takes_part() && !seat.is_manager(),
        Side::Both | Side::Members => seat.takes_part(),
    }
}

/// Preparing: one's own answers to one's own side's questions, until the
/// dialogue is confirmed or cancelled.
pub fn may_answer(seat: Seat, side: Side) -> bool {
    prepares(seat, side)
        && !matches!(
            seat.state,
            DialogueState::Confirmed | DialogueState::Cancelled
        )
}

/// An answer is private to its author; only they may read or share it,
/// and sharing makes it an agenda point.
pub fn may_share_answer(seat: Seat, is_author: bool) -> bool {
    is_author && may_add_agenda(seat)
}

// ---- Rule reports and good cases ----------------------------------------

/// Whether the verified roster makes someone a manager (manages anyone or
/// leads a group) or an administrator: who decides on rule reports.
#[derive(Clone, Copy, Debug)]
pub struct Standing {
    pub admin: bool,
    pub manages: bool,
    pub leads_group: bool,
}

/// Anyone signed in reports a rule that gets in the way, named or not.
pub fn may_report_rule(signed_in: bool) -> bool {
    signed_in
}

/// Managers and administrators decide what happens to a report.
pub fn may_set_rule_status(who: Standing) -> bool {
    who.admin || who.manages || who.leads_group
}

/// A manager brings a report onto the agenda of a GRUS they lead that is
/// still planned.
pub fn may_take_to_grus(who: Standing, seat: Seat, grus: bool) -> bool {
    who.leads_group
        && grus
        && seat.is_manager()
        && seat.state == DialogueState::Planned
        && may_add_agenda(seat)
}

/// A shared case is read by everyone of the workplace; a private one by its
/// author alone.
pub fn may_read_case(is_author: bool, shared: bool) -> bool {
    is_author || shared
}

/// Only the author edits, shares or unshares their case.
pub fn may_change_case(is_author: bool) -> bool {
    is_author
}

/// A case written from a dialogue: one the author takes part in.
pub fn may_link_case(seat: Seat) -> bool {
    seat.takes_part()
}

// ---- Data rights (GDPR art. 15 and 20) ----------------------------------

/// Everyone signed in may take out everything held about themselves.
pub fn may_export_own(signed_in: bool) -> bool {
    signed_in
}

/// Answering an employee's access request: their manager, by the verified
/// roster, and no one else (not an administrator, not a former manager).
pub fn may_export_about(is_their_manager: bool) -> bool {
    is_their_manager
}

// ---- A new manager -------------------------------------------------------

/// Deciding whether a new manager may read the dialogues with an earlier
/// one: the employee, when the verified roster has given them a new manager
/// and they have not decided yet.
pub fn may_decide_handover(asked: bool) -> bool {
    asked
}
