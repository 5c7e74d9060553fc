//! Who may do what with a dialogue and what is in it. These functions are
//! pure: the service gathers the facts, asks here, and refuses with
//! `Forbidden` when the answer is no. Administrators manage people; they
//! get no special sight into other people's dialogues.

use super::{DialogueState, Role};

/// What the rules need to know about one dialogue and one person.
#[derive(Clone, Copy, Debug)]
pub struct Seat {
    /// The person's role in the dialogue, if they take part at all.
    pub role: Option<Role>,
    pub state: DialogueState,
}

impl Seat {
    pub fn takes_part(&self) -> bool {
        self.role.is_some()
    }

    pub fn is_manager(&self) -> bool {
        self.role == Some(Role::Manager)
    }
}

pub fn may_view(seat: Seat) -> bool {
    seat.takes_part()
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
/// everyone in the dialogue.
pub fn may_read_note(seat: Seat, is_author: bool, private: bool) -> bool {
    seat.takes_part() && (is_author || !private)
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
/// group's agreement, everyone in the group.
pub fn may_update_agreement(seat: Seat, is_owner: bool, group_owned: bool) -> bool {
    seat.takes_part() && (is_owner || seat.is_manager() || group_owned)
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
