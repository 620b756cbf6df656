//! The team's rules applied to changes that arrive from other laptops: the same rules the service
//! applies to local acts (only a reviewer approves or returns, never their own visit; numbers
//! come from the numbering laptop; only followup or a reviewer records rectification; 销号 by
//! someone other than who reported the fix done), judged from each record before and after the
//! change. Pure.

use super::team::{Member, Role, Roster};
use super::{Finding, ItemResult, Org, RectStatus, Review, Round, TemplateSnapshot, Visit, VisitStatus};

/// A record of any kind that travels.
#[derive(Debug, Clone, PartialEq)]
pub enum Rec {
    Org(Org),
    Template(TemplateSnapshot),
    Round(Round),
    Visit(Visit),
    Result(ItemResult),
    Finding(Finding),
}

/// Why a change was refused: the rule, with what the message needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    /// Approving or returning a visit needs a reviewer.
    Review { author: String },
    /// Nobody reviews a visit they inspected.
    OwnVisit { author: String },
    /// Problem numbers come from the numbering laptop.
    Numbering { author: String },
    /// Rectification steps need followup or a reviewer.
    Rectify { author: String },
    /// 销号 by whoever reported the fix done.
    CloseOwn { author: String },
    /// Files attached to a finding by someone else than its inspector before approval, or a
    /// reviewer.
    Attach { author: String },
    /// A field that names who acted names someone else than the change's author.
    Name { author: String, field: &'static str, named: String },
}

fn has(m: &Member, roles: &[Role]) -> bool {
    m.roles.iter().any(|r| roles.contains(r))
}

/// Whether `author` (the roster member whose laptop made the change) may turn `before` into
/// `after`.
pub fn check(roster: &Roster, author: &Member, before: Option<&Rec>, after: &Rec) -> Result<(), Broken> {
    let name = || author.name.clone();
    match after {
        Rec::Visit(v) => {
            let old = match before {
                Some(Rec::Visit(o)) => Some(o),
                _ => None,
            };
            let status_moved = old.map_or(v.status != VisitStatus::NotStarted, |o| o.status != v.status);
            let reviewed = (status_moved && matches!(v.status, VisitStatus::Approved | VisitStatus::Returned))
                || old.map_or(v.reviewed_by.is_some(), |o| o.reviewed_by != v.reviewed_by)
                || old.map_or(!v.return_comment.is_empty(), |o| o.return_comment != v.return_comment);
            if reviewed {
                if !has(author, &[Role::Reviewer]) {
                    return Err(Broken::Review { author: name() });
                }
                if v.inspector == author.name {
                    return Err(Broken::OwnVisit { author: name() });
                }
            }
            // Who acted is the change's author: a laptop cannot write another name there.
            if !v.inspector.is_empty() && old.is_none_or(|o| o.inspector != v.inspector) && v.inspector != author.name {
                return Err(Broken::Name { author: name(), field: "inspector", named: v.inspector.clone() });
            }
            if let Some(r) = &v.reviewed_by
                && old.is_none_or(|o| o.reviewed_by.as_ref() != Some(r))
                && *r != author.name
            {
                return Err(Broken::Name { author: name(), field: "reviewed_by", named: r.clone() });
            }
            // A look-back's mark is signed by who made it.
            let known = old.map_or(&[][..], |o| o.rechecks.as_slice());
            if let Some(r) = v.rechecks.iter().find(|r| !known.contains(r) && r.by != author.name) {
                return Err(Broken::Name { author: name(), field: "rechecks", named: r.by.clone() });
            }
        }
        Rec::Finding(f) => {
            let old = match before {
                Some(Rec::Finding(o)) => Some(o),
                _ => None,
            };
            if f.number.is_some() && old.is_none_or(|o| o.number != f.number) && author.laptop != roster.numbering {
                return Err(Broken::Numbering { author: name() });
            }
            let reviewed = match old {
                None => f.review != Review::Pending || f.corrected_by.is_some() || f.approved_on.is_some(),
                Some(o) => {
                    // An inspector withdrawing their own finding before it is numbered (a verdict
                    // that denies it, a 反弹 taken back), with the reason: not a reviewer's act.
                    let own = o.number.is_none()
                        && f.number.is_none()
                        && f.created_by == author.name
                        && f.status == RectStatus::Withdrawn
                        && o.status != RectStatus::Withdrawn;
                    o.review != f.review
                        || (o.review_comment != f.review_comment && !own)
                        || o.corrected_by != f.corrected_by
                        || o.approved_on != f.approved_on
                        || (f.status == RectStatus::Withdrawn && o.status != RectStatus::Withdrawn && !own)
                }
            };
            if reviewed && !has(author, &[Role::Reviewer]) {
                return Err(Broken::Review { author: name() });
            }
            // A numbered finding's deadline moves only when a reviewer grants more time.
            if old.is_some_and(|o| o.number.is_some() && o.deadline != f.deadline) && !has(author, &[Role::Reviewer]) {
                return Err(Broken::Review { author: name() });
            }
            let rectified = match old {
                None => f.status != RectStatus::Pending || !f.rect.updates.is_empty(),
                Some(o) => (o.status != f.status && f.status != RectStatus::Withdrawn) || o.rect != f.rect,
            };
            if rectified && !has(author, &[Role::Followup, Role::Reviewer]) {
                return Err(Broken::Rectify { author: name() });
            }
            if old.is_none() && f.created_by != author.name {
                return Err(Broken::Name { author: name(), field: "created_by", named: f.created_by.clone() });
            }
            if let Some(c) = &f.corrected_by
                && old.is_none_or(|o| o.corrected_by.as_ref() != Some(c))
                && *c != author.name
            {
                return Err(Broken::Name { author: name(), field: "corrected_by", named: c.clone() });
            }
            let known = old.map_or(&[][..], |o| o.rect.updates.as_slice());
            if let Some(u) = f.rect.updates.iter().find(|u| !known.contains(u) && u.by != author.name) {
                return Err(Broken::Name { author: name(), field: "rect.updates", named: u.by.clone() });
            }
            // Files on a finding: its inspector's before approval, or a reviewer's; each named
            // as attached by the change's author.
            let had = old.map_or(&[][..], |o| o.attachments.as_slice());
            let added: Vec<_> = f.attachments.iter().filter(|a| !had.contains(a)).collect();
            if let Some(a) = added.iter().find(|a| a.by != author.name) {
                return Err(Broken::Name { author: name(), field: "attachments", named: a.by.clone() });
            }
            // Attached before approval: stamped (UTC) on or before the day it was approved, so a
            // file attached offline while a reviewer approved elsewhere still lands.
            let before_approval =
                |o: &Finding| o.number.is_none() || o.approved_on.is_some_and(|day| added.iter().all(|a| a.at.date_naive() <= day));
            let inspector_may = f.created_by == author.name && old.is_none_or(before_approval);
            if !added.is_empty() && !inspector_may && !has(author, &[Role::Reviewer]) {
                return Err(Broken::Attach { author: name() });
            }
            // Deciding a request for more time (back to work from 申请延期) is a reviewer's.
            if old.is_some_and(|o| o.status == RectStatus::ExtensionRequested && f.status == RectStatus::InProgress)
                && !has(author, &[Role::Reviewer])
            {
                return Err(Broken::Review { author: name() });
            }
            let closed_now = f.status == RectStatus::Closed && old.is_none_or(|o| o.status != RectStatus::Closed);
            if closed_now
                && let Some(done) = f.rect.updates.iter().rev().find(|u| u.is_move() && u.to == RectStatus::AwaitingAcceptance)
                && done.by == author.name
            {
                return Err(Broken::CloseOwn { author: name() });
            }
        }
        Rec::Org(_) | Rec::Template(_) | Rec::Round(_) | Rec::Result(_) => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lookback::{Mark, Recheck};
    use crate::domain::{Id, LaptopId};

    fn member(name: &str, roles: Vec<Role>) -> Member {
        Member { name: name.into(), laptop: LaptopId(Id::new()), key: String::new(), roles, leader: false }
    }

    #[test]
    fn a_look_back_mark_in_another_name_is_refused() {
        let me = member("张检查", vec![Role::Inspector]);
        let roster = Roster {
            team_id: Id::new(),
            team: "一组".into(),
            version: 1,
            numbering: me.laptop,
            members: vec![me.clone()],
            changed_at: chrono::DateTime::UNIX_EPOCH,
        };
        let mut v = Visit::new(Id::new(), "O1");
        v.inspector = "张检查".into();
        v.status = VisitStatus::InProgress;
        let mark = |by: &str| Recheck {
            finding: Id::new(),
            number: "2026Q3-0001".into(),
            mark: Mark::Held,
            note: String::new(),
            relapse: None,
            by: by.into(),
            at: chrono::DateTime::UNIX_EPOCH,
        };
        let before = Rec::Visit(v.clone());
        let mut own = v.clone();
        own.rechecks.push(mark("张检查"));
        assert_eq!(check(&roster, &me, Some(&before), &Rec::Visit(own.clone())), Ok(()));
        let mut other = own.clone();
        other.rechecks.push(mark("李督导"));
        assert!(matches!(check(&roster, &me, Some(&Rec::Visit(own)), &Rec::Visit(other)), Err(Broken::Name { field: "rechecks", .. })));
    }

    fn team() -> (Roster, Member) {
        let me = member("张检查", vec![Role::Inspector]);
        let roster = Roster {
            team_id: Id::new(),
            team: "一组".into(),
            version: 1,
            numbering: LaptopId(Id::new()),
            members: vec![me.clone()],
            changed_at: chrono::DateTime::UNIX_EPOCH,
        };
        (roster, me)
    }

    fn finding_of(by: &str) -> Finding {
        Finding { created_by: by.into(), ..Finding::sample(RectStatus::Pending, None) }
    }

    #[test]
    fn an_inspectors_file_from_before_the_approval_lands_after_it() {
        let (roster, me) = team();
        let mut approved = finding_of("张检查");
        approved.number = Some("2026Q4-0001".into());
        approved.approved_on = Some("2026-11-22".parse().unwrap());
        approved.review = Review::Approved;
        let file = |at: &str| crate::domain::evidence::Attachment {
            sha256: "ab".repeat(32),
            name: "照片.jpg".into(),
            size: 1,
            kind: "image/jpeg".into(),
            at: at.parse().unwrap(),
            by: "张检查".into(),
        };
        let mut offline = approved.clone();
        offline.attachments.push(file("2026-11-22T08:00:00Z"));
        assert_eq!(check(&roster, &me, Some(&Rec::Finding(approved.clone())), &Rec::Finding(offline)), Ok(()));
        let mut after = approved.clone();
        after.attachments.push(file("2026-11-23T08:00:00Z"));
        assert!(matches!(check(&roster, &me, Some(&Rec::Finding(approved)), &Rec::Finding(after)), Err(Broken::Attach { .. })));
    }

    #[test]
    fn an_inspector_withdraws_their_own_unnumbered_finding_with_its_reason() {
        let (roster, me) = team();
        let mine = finding_of("张检查");
        let withdrawn = Finding { status: RectStatus::Withdrawn, review_comment: "结论改为符合".into(), ..mine.clone() };
        assert_eq!(check(&roster, &me, Some(&Rec::Finding(mine)), &Rec::Finding(withdrawn.clone())), Ok(()));
        // Someone else's, or a comment without the withdrawal: a reviewer's act.
        let theirs = finding_of("李检查");
        let also = Finding { status: RectStatus::Withdrawn, ..theirs.clone() };
        assert!(matches!(check(&roster, &me, Some(&Rec::Finding(theirs)), &Rec::Finding(also)), Err(Broken::Review { .. })));
        let commented = Finding { review_comment: "描述不清".into(), ..finding_of("张检查") };
        assert!(matches!(
            check(&roster, &me, Some(&Rec::Finding(finding_of("张检查"))), &Rec::Finding(commented)),
            Err(Broken::Review { .. })
        ));
    }
}
