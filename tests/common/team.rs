//! A team of four laptops for the bundle tests: the leader's with the demo's organisations and
//! one round, an inspector, a reviewer (the numbering laptop) and follow-up, all admitted and
//! holding the leader's first bundle.

use super::Folder;

/// A team of four laptops, the leader's with the demo's organisations and one round.
pub struct Team {
    pub leader: Folder,
    pub inspector: Folder,
    pub reviewer: Folder,
    pub followup: Folder,
    pub round: String,
}

pub const NAMES: [&str; 4] = ["王明", "张三", "李审", "赵督"];

impl Team {
    pub fn laptops(&self) -> [&Folder; 4] {
        [&self.leader, &self.inspector, &self.reviewer, &self.followup]
    }

    /// `from` writes a bundle for the member `to` and `to`'s laptop imports it; returns the
    /// import's output.
    pub fn send(&self, from: &Folder, to: usize) -> String {
        let file = from.path(&format!("to-{to}.bundle"));
        from.run_ok(&["bundle", "export", "-o", file.to_str().unwrap(), "--to", NAMES[to]]);
        self.laptops()[to].run_ok(&["bundle", "import", file.to_str().unwrap()])
    }

    /// Everyone sends everyone what they lack, twice round (so what arrived is passed on).
    pub fn exchange_all(&self) {
        for _ in 0..2 {
            for (i, from) in self.laptops().into_iter().enumerate() {
                for to in 0..4 {
                    if to != i {
                        self.send(from, to);
                    }
                }
            }
        }
    }
}

pub fn team() -> Team {
    let t =
        Team { leader: Folder::new(), inspector: Folder::new(), reviewer: Folder::new(), followup: Folder::new(), round: String::new() };
    t.leader.run_ok(&["demo", "--orgs", "60"]);
    t.leader.run_ok(&["team", "init", "--name", NAMES[0], "--team", "县委组织部督查一组"]);
    let round = super::new_round(&t.leader, "2026Q4", "四季度常规督查");
    for (i, (f, role)) in [(&t.inspector, "inspector"), (&t.reviewer, "reviewer"), (&t.followup, "followup")].into_iter().enumerate() {
        let req = f.path("join.req");
        f.run_ok(&["team", "request", "--name", NAMES[i + 1], "-o", req.to_str().unwrap()]);
        t.leader.run_ok(&["team", "admit", req.to_str().unwrap(), "--role", role]);
    }
    // The reviewer numbers what they approve.
    t.leader.run_ok(&["team", "numbering", NAMES[2]]);
    let t = Team { round, ..t };
    for to in 1..4 {
        let out = t.send(&t.leader, to);
        assert!(out.contains("已采用人员名单第 5 版") && out.contains("来自 王明"), "{out}");
    }
    t
}
