//! The demo's rectification steps: how far each approved finding of a used round has got, as
//! the days since its approval allow, each step applied through the caller's status machine. A
//! child module of `rounds` (beside it, as rounds_rectify.rs) because it walks the same generator
//! state; kept apart because it is the one part that follows a finding after its visit.

use super::{Step, StepInput, UsedRounds};
use crate::demo::phrases::PHRASES;
use crate::domain::limits::latest_deadline;
use crate::domain::{Finding, RectStatus, RectType};
use chrono::Duration;
use rand::RngExt;

impl UsedRounds<'_> {
    /// Rectification steps of an approved finding, as far as the days since approval allow:
    /// older findings are further along; some are late, some extended, some rejected once.
    pub(super) fn rectify(&mut self, f: Finding, supervisor: &str, step: Step<'_>) -> Finding {
        use RectStatus::*;
        let Some(approved) = f.approved_on else { return f };
        let today = self.plan.now.date();
        let age = (today - approved).num_days();
        let old = age > 45;
        let path: &[RectStatus] = if f.rect_type == RectType::Immediate {
            match self.rng.random_range(0..100) {
                0..80 => &[AwaitingAcceptance, Closed],
                80..90 => &[AwaitingAcceptance],
                _ => &[],
            }
        } else {
            let roll = self.rng.random_range(0..100);
            let weights: [(u32, &[RectStatus]); 8] = if old {
                [
                    (5, &[]),
                    (10, &[InProgress]),
                    (12, &[InProgress, AwaitingAcceptance]),
                    (59, &[InProgress, AwaitingAcceptance, Closed]),
                    (2, &[InProgress, ExtensionRequested]),
                    (5, &[InProgress, ExtensionRequested, InProgress]),
                    (3, &[InProgress, AwaitingAcceptance, Rejected, InProgress]),
                    (4, &[InProgress, AwaitingAcceptance, Rejected, InProgress, AwaitingAcceptance, Closed]),
                ]
            } else {
                [
                    (28, &[]),
                    (32, &[InProgress]),
                    (16, &[InProgress, AwaitingAcceptance]),
                    (16, &[InProgress, AwaitingAcceptance, Closed]),
                    (3, &[InProgress, ExtensionRequested]),
                    (2, &[InProgress, ExtensionRequested, InProgress]),
                    (2, &[InProgress, AwaitingAcceptance, Rejected]),
                    (1, &[InProgress, AwaitingAcceptance, Rejected, InProgress]),
                ]
            };
            let mut acc = 0;
            weights
                .iter()
                .find(|(w, _)| {
                    acc += w;
                    roll < acc
                })
                .map_or(&[], |(_, p)| *p)
        };
        if path.is_empty() || age < 1 {
            return f;
        }
        // Steps spread over the time the deadline gave; one in five runs late.
        let window = f.deadline.map_or(10, |d| (d - approved).num_days().max(3));
        let late = self.chance(200);
        let mut on = approved;
        let measures = PHRASES[f
            .item
            .as_deref()
            .and_then(|i| self.plan.template.categories.iter().position(|c| c.items.iter().any(|x| x.id == i)))
            .unwrap_or(0)
            % PHRASES.len()]
        .measures;
        let measures = self.pick(measures);
        let mut f = f;
        for (k, to) in path.iter().enumerate() {
            let share = self.rng.random_range(15..40) as i64;
            let gap = (window * share / 100).max(1) * if late { 2 } else { 1 };
            let next = on + Duration::days(gap);
            if next > today {
                break;
            }
            on = next;
            let by = match to {
                Closed | Rejected => supervisor.to_string(),
                _ => f.responsible_person.clone(),
            };
            let acceptor = if RectStatus::acceptance_allowed(supervisor, &f.responsible_person) { supervisor } else { "组织委员" };
            let (note, evidence) = match to {
                InProgress if k > 0 && path[k - 1] == ExtensionRequested => ("同意延期，按新时限推进", ""),
                InProgress if k > 0 => ("按验收意见重新整改", ""),
                InProgress => ("已制定整改方案，正在推进", ""),
                AwaitingAcceptance => ("已完成整改，提交佐证材料", "整改前后对比照片、会议记录复印件"),
                Closed => ("经现场复核，整改到位，同意销号", ""),
                Rejected => ("佐证材料不全，整改不到位，退回重改", ""),
                ExtensionRequested => ("涉及程序性工作，申请延期完成", ""),
                _ => ("", ""),
            };
            let deadline = (*to == ExtensionRequested).then(|| {
                let base = f.deadline.unwrap_or(on).max(on);
                (base + Duration::days(30)).min(latest_deadline(on))
            });
            let input = StepInput {
                to: *to,
                by: &by,
                on,
                note,
                evidence,
                measures: if k == 0 { measures } else { "" },
                overseer: if k == 0 { supervisor } else { "" },
                acceptor: if *to == Closed { acceptor } else { "" },
                deadline,
            };
            match step(&f, input) {
                Some(g) => f = g,
                None => break,
            }
        }
        f
    }
}
