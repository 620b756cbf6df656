//! The rectification status machine (整改状态).
//!
//! 待整改 → 整改中 → 已整改待验收 → 已销号, with 申请延期 (an extension asked for) and 退回重改
//! (rejected at acceptance). 逾期 (overdue) is not a state: it is derived from the deadline.

use super::vocab::Vocab;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RectStatus {
    Pending,
    InProgress,
    AwaitingAcceptance,
    Closed,
    ExtensionRequested,
    Rejected,
    /// Withdrawn by a supervisor: the problem number stays, never reused.
    Withdrawn,
}

impl Vocab for RectStatus {
    const ALL: &'static [Self] = &[
        RectStatus::Pending,
        RectStatus::InProgress,
        RectStatus::AwaitingAcceptance,
        RectStatus::Closed,
        RectStatus::ExtensionRequested,
        RectStatus::Rejected,
        RectStatus::Withdrawn,
    ];
    fn words(self) -> (&'static str, &'static str, &'static [&'static str]) {
        match self {
            RectStatus::Pending => ("待整改", "pending", &[]),
            RectStatus::InProgress => ("整改中", "in progress", &[]),
            RectStatus::AwaitingAcceptance => ("已整改待验收", "awaiting acceptance", &["已整改"]),
            RectStatus::Closed => ("已销号", "closed", &["销号"]),
            RectStatus::ExtensionRequested => ("申请延期", "extension requested", &["延期"]),
            RectStatus::Rejected => ("退回重改", "rejected", &[]),
            RectStatus::Withdrawn => ("已撤销", "withdrawn", &["撤销"]),
        }
    }
}
crate::vocab_serde!(RectStatus);

impl RectStatus {
    /// The states a finding may move to from this one.
    pub fn next(self) -> &'static [RectStatus] {
        use RectStatus::*;
        match self {
            // An on-the-spot fix may go straight to acceptance.
            Pending => &[InProgress, AwaitingAcceptance, ExtensionRequested],
            InProgress => &[AwaitingAcceptance, ExtensionRequested],
            // Granted or not, an extension request returns the work to 整改中 (with a new date if
            // granted).
            ExtensionRequested => &[InProgress],
            AwaitingAcceptance => &[Closed, Rejected],
            Rejected => &[InProgress, AwaitingAcceptance, ExtensionRequested],
            Closed | Withdrawn => &[],
        }
    }

    pub fn can_move_to(self, to: RectStatus) -> bool {
        self.next().contains(&to)
    }

    /// Still the branch's to fix. Awaiting acceptance counts as done by the branch: the deadline
    /// no longer runs against it.
    pub fn is_open(self) -> bool {
        !matches!(self, RectStatus::Closed | RectStatus::AwaitingAcceptance | RectStatus::Withdrawn)
    }

    /// Acceptance (销号) needs a reviewer who is not the person responsible for the fix.
    pub fn acceptance_allowed(reviewer: &str, responsible: &str) -> bool {
        let r = reviewer.trim();
        !r.is_empty() && r != responsible.trim()
    }
}

#[cfg(test)]
mod tests {
    use super::RectStatus::*;
    use super::*;

    #[test]
    fn the_main_path_is_allowed() {
        assert!(Pending.can_move_to(InProgress));
        assert!(InProgress.can_move_to(AwaitingAcceptance));
        assert!(AwaitingAcceptance.can_move_to(Closed));
    }

    #[test]
    fn closed_is_final_and_acceptance_cannot_be_skipped() {
        assert!(Closed.next().is_empty());
        assert!(Withdrawn.next().is_empty() && !Withdrawn.is_open());
        for s in RectStatus::ALL {
            if *s != AwaitingAcceptance {
                assert!(!s.can_move_to(Closed), "{s:?} must not close directly");
            }
        }
    }

    #[test]
    fn rejection_and_extension_loop_back_to_work() {
        assert!(AwaitingAcceptance.can_move_to(Rejected));
        assert!(Rejected.can_move_to(InProgress));
        assert!(InProgress.can_move_to(ExtensionRequested));
        assert!(ExtensionRequested.can_move_to(InProgress));
        assert!(!ExtensionRequested.can_move_to(AwaitingAcceptance));
        assert!(!Pending.can_move_to(Rejected));
        assert!(!InProgress.can_move_to(Pending));
    }

    #[test]
    fn no_state_moves_to_itself() {
        for s in RectStatus::ALL {
            assert!(!s.can_move_to(*s), "{s:?}");
        }
    }

    #[test]
    fn open_states_are_the_ones_the_branch_still_owes() {
        let open: Vec<_> = RectStatus::ALL.iter().filter(|s| s.is_open()).collect();
        assert_eq!(open, vec![&Pending, &InProgress, &ExtensionRequested, &Rejected]);
    }

    #[test]
    fn acceptance_needs_someone_other_than_the_responsible_person() {
        assert!(RectStatus::acceptance_allowed("李督查", "王书记"));
        assert!(!RectStatus::acceptance_allowed("王书记", " 王书记 "));
        assert!(!RectStatus::acceptance_allowed("  ", "王书记"));
    }
}
