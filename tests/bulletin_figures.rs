//! The bulletin's figures on a data set built by hand through the binary, over two quarters with
//! the clock moved between steps, and every number worked out below from the definitions
//! (docs/figures.md). The JSON export, the Markdown and the Word document are checked to state the
//! same numbers; the bulletin is reproducible (the same data next month gives the same figures),
//! judged as of a day, and an empty quarter is refused.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Folder, blank_sheet, col, fill_arrival, json, row_of};

/// One answered item: its verdict, and a finding (description, severity, rectification type,
/// deadline) or none.
type Answer<'a> = (&'a str, &'a str, Option<(&'a str, &'a str, &'a str, &'a str)>);

/// Fills and submits an organisation's sheet: every item 符合 but `answers`.
fn visit(f: &Folder, round: &str, org: &str, answers: &[Answer<'_>]) {
    let mut rows = blank_sheet(f, round, org);
    fill_arrival(&mut rows, &common::arrival_in(f, round));
    let c = |n: &str| col(&rows, n);
    let (verdict, note, desc, sev, kind, resp, deadline) =
        (c("结论"), c("说明"), c("问题描述"), c("严重程度"), c("整改类型"), c("责任人"), c("整改时限"));
    for r in common::item_rows(&mut rows) {
        r[verdict] = "符合".into();
    }
    for (item, v, finding) in answers {
        let r = row_of(&mut rows, item);
        r[verdict] = v.to_string();
        match finding {
            Some((d, s, k, dl)) => {
                (r[desc], r[sev], r[kind], r[resp], r[deadline]) =
                    (d.to_string(), s.to_string(), k.to_string(), "王书记".into(), dl.to_string())
            }
            // A shortfall without a finding is explained in a note.
            None => r[note] = "书记月报晚报一次".into(),
        }
    }
    let path = common::write_rows(f, "sheet.csv", &rows);
    f.run_ok(&["visit", "import", &path, "--round", round, "--submit"]);
}

/// Runs `xuncha ARGS` as the supervisor 李督导.
fn as_reviewer(f: &Folder, args: &[&str]) -> String {
    let r: common::Run = f.command().env("XUNCHA_INSPECTOR", "李督导").args(args).output().unwrap().into();
    assert_eq!(r.code, 0, "xuncha {args:?} as 李督导:\n{}\n{}", r.stdout, r.stderr);
    r.stdout
}

/// The problem number of the finding described as `description`.
fn number(f: &Folder, description: &str) -> String {
    let list = json(&f.run_ok(&["finding", "list", "--format", "json"]));
    let found = list.as_array().unwrap().iter().find(|x| x["description"] == description);
    found.unwrap_or_else(|| panic!("no finding {description}"))["number"].as_str().unwrap().to_string()
}

fn done(f: &Folder, description: &str) {
    f.run_ok(&["rectify", "set", &number(f, description), "--status", "已整改待验收", "--note", "已整改"]);
}

/// Five rural branches A to E of one town, two quarters:
///
/// 2026Q3 (round made and approved 2026-07-15):
/// - A: C1.3 不符合 → a1 (一般, deadline 2026-08-31), reported done 2026-08-20.
///   C3.1 部分符合 → a2 (一般, deadline 2026-10-20), reported done early, 2026-09-25.
/// - B: C6.1 不符合 → b1 (较重, deadline 2026-09-15), reported done late, 2026-10-10.
///   C6.2 不符合 → b2 (一般, deadline 2026-09-10), never done.
/// - D: C4.4 部分符合 → d0 (一般, deadline 2026-09-20), reported done 2026-09-10.
///
/// 2026Q4 (round made and approved 2026-10-08):
/// - A: C1.3 不符合 again → a3 (一般, deadline 2026-11-30; a repeat of Q3's 不符合); asked for
///   more time 2026-11-20, granted 2026-11-25 to 2027-01-31.
///   C9.3 不符合 → a4 (严重, deadline 2026-12-20), not done in the quarter (done 2027-01-10).
///   Score 100 - 2 - 2 = 96.0; the 严重 finding keeps it out of 标杆型: 成长型.
/// - C: C3.1 部分符合 → c1 (一般, deadline 2026-11-15), reported done late 2026-11-20, closed
///   2026-11-28. C7.6 不符合 → c2 (一般, 立行立改, no date: due the day approved), done
///   2026-10-08. C8.3 不符合 → c3 (一般), withdrawn 2026-10-20.
///   Score 100 - 1.5 - 1 - 1 = 96.5, 标杆型.
/// - D: C5.7 不符合 → d1 (较重, 长期整改). C4.4 不符合 → d2 (一般, deadline 2026-12-31; a repeat of
///   Q3's 部分符合), not done. Score 100 - 1 - 2 = 97.0, 标杆型.
/// - E: C1.3 不符合 → e1 (一般, deadline 2027-02-28), C9.3 不符合 → e2 (一般, deadline
///   2027-03-31), C2.5 部分符合 without a finding. Score 100 - 2 - 2 - 0.5 = 95.5, 标杆型.
/// - A sampled round of the quarter (30%, seed 42) is stated, and holds no approved visit.
fn two_quarters() -> (Folder, Vec<(String, String)>) {
    let f = Folder::new();
    f.set_now("2026-07-15 10:00");
    f.run_ok(&["demo", "--orgs", "300", "--seed", "3"]);
    let r3 = common::new_round(&f, "2026Q3", "第三季度督查");
    let shown = json(&f.run_ok(&["round", "show", &r3, "--format", "json"]));
    // Rural organisations: the same 58 items (55 for every field, 3 of 领域重点 for 农村), 100
    // points, for each.
    let mut rural: Vec<(String, String)> = shown["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["field"] == "农村" && o["applicable"] == 58)
        .map(|o| (o["code"].as_str().unwrap().to_string(), o["name"].as_str().unwrap().to_string()))
        .collect();
    let (a, b, c, d, e) = (&rural[0].0, &rural[1].0, &rural[2].0, &rural[3].0, &rural[4].0);
    visit(
        &f,
        &r3,
        a,
        &[
            ("C1.3", "不符合", Some(("a1 换届超期", "一般", "限期整改", "2026-08-31"))),
            ("C3.1", "部分符合", Some(("a2 党员大会少开一次", "一般", "限期整改", "2026-10-20"))),
        ],
    );
    visit(
        &f,
        &r3,
        b,
        &[
            ("C6.1", "不符合", Some(("b1 党费未按月交纳", "较重", "限期整改", "2026-09-15"))),
            ("C6.2", "不符合", Some(("b2 党费台账缺页", "一般", "限期整改", "2026-09-10"))),
        ],
    );
    visit(&f, &r3, d, &[("C4.4", "部分符合", Some(("d0 学习记录不全", "一般", "限期整改", "2026-09-20")))]);
    common::approve_all(&f);
    f.set_now("2026-08-20 10:00");
    done(&f, "a1 换届超期");
    f.set_now("2026-09-10 10:00");
    done(&f, "d0 学习记录不全");
    f.set_now("2026-09-25 10:00");
    done(&f, "a2 党员大会少开一次");

    f.set_now("2026-10-08 10:00");
    let r4 = common::new_round(&f, "2026Q4", "第四季度督查");
    visit(
        &f,
        &r4,
        a,
        &[
            ("C1.3", "不符合", Some(("a3 换届仍未完成", "一般", "限期整改", "2026-11-30"))),
            ("C9.3", "不符合", Some(("a4 党员作用发挥不明显", "严重", "限期整改", "2026-12-20"))),
        ],
    );
    visit(
        &f,
        &r4,
        c,
        &[
            ("C3.1", "部分符合", Some(("c1 党员大会记录不全", "一般", "限期整改", "2026-11-15"))),
            ("C7.6", "不符合", Some(("c2 门口挂牌过多", "一般", "立行立改", ""))),
            ("C8.3", "不符合", Some(("c3 资料未归档", "一般", "限期整改", "2026-11-30"))),
        ],
    );
    visit(
        &f,
        &r4,
        d,
        &[
            ("C5.7", "不符合", Some(("d1 发展党员档案缺失", "较重", "长期整改", ""))),
            ("C4.4", "不符合", Some(("d2 没有学习记录", "一般", "限期整改", "2026-12-31"))),
        ],
    );
    visit(
        &f,
        &r4,
        e,
        &[
            ("C1.3", "不符合", Some(("e1 换届程序不规范", "一般", "限期整改", "2027-02-28"))),
            ("C9.3", "不符合", Some(("e2 党员作用不明显", "一般", "限期整改", "2027-03-31"))),
            ("C2.5", "部分符合", None),
        ],
    );
    common::approve_all(&f);
    f.run_ok(&["round", "new", "--sample", "30%", "--seed", "42", "--quarter", "2026Q4", "--title", "第四季度抽查"]);
    done(&f, "c2 门口挂牌过多");
    f.set_now("2026-10-10 10:00");
    done(&f, "b1 党费未按月交纳");
    f.set_now("2026-10-20 10:00");
    as_reviewer(&f, &["finding", "withdraw", &number(&f, "c3 资料未归档"), "--reason", "重复录入"]);
    f.set_now("2026-11-20 10:00");
    let a3 = number(&f, "a3 换届仍未完成");
    f.run_ok(&["rectify", "set", &a3, "--status", "申请延期", "--deadline", "2027-01-31", "--note", "待上级批复"]);
    done(&f, "c1 党员大会记录不全");
    f.set_now("2026-11-25 10:00");
    as_reviewer(&f, &["rectify", "extension", &a3, "--grant"]);
    f.set_now("2026-11-28 10:00");
    as_reviewer(&f, &["rectify", "set", &number(&f, "c1 党员大会记录不全"), "--status", "已销号", "--acceptor", "李督导"]);
    rural.truncate(5);
    (f, rural)
}

fn bulletin_json(f: &Folder, extra: &[&str]) -> serde_json::Value {
    let out = f.path("b.json");
    let mut args = vec!["export", "bulletin", "--quarter", "2026Q4", "--format", "json", "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    f.run_ok(&args);
    json(&std::fs::read_to_string(&out).unwrap())
}

/// The figures without what names the data's state (the audit head moves with every write).
fn figures(mut v: serde_json::Value) -> serde_json::Value {
    v.as_object_mut().unwrap().remove("audit_head");
    v
}

fn names(v: &serde_json::Value) -> Vec<(String, String)> {
    v.as_array().unwrap().iter().map(|x| (x["org"].as_str().unwrap().to_string(), x["why"].as_str().unwrap().to_string())).collect()
}

#[test]
fn the_figures_follow_the_definitions_worked_out_by_hand() {
    let (f, orgs) = two_quarters();
    let name = |i: usize| orgs[i].1.clone();
    let (a, c, d, e) = (name(0), name(2), name(3), name(4));
    f.set_now("2027-01-05 10:00");
    let b = bulletin_json(&f, &[]);
    // Judged as of the end of the quarter, the quarter being over.
    assert_eq!(
        (b["period"]["start"].as_str(), b["period"]["end"].as_str(), b["period"]["as_of"].as_str()),
        (Some("2026-10-01"), Some("2026-12-31"), Some("2026-12-31"))
    );
    // Four approved visits (A, C, D, E): average (96.0 + 96.5 + 97.0 + 95.5) / 4 = 96.25, which
    // rounds half up to 96.3 (formatting the float would print the even 96.2).
    assert_eq!((b["checked"].as_u64(), b["avg_score"].as_str()), (Some(4), Some("96.3")));
    let scores: Vec<(&str, &str)> =
        b["units"].as_array().unwrap().iter().map(|u| (u["score"].as_str().unwrap(), u["grade"].as_str().unwrap())).collect();
    assert_eq!(scores, [("97.0", "标杆型"), ("96.5", "标杆型"), ("96.0", "成长型"), ("95.5", "标杆型")]);
    let ranks: Vec<u64> = b["units"].as_array().unwrap().iter().map(|u| u["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, [1, 2, 3, 4]);
    // Grades: 标杆型 3 of 4 = 75.0% (last quarter A, B, D all 标杆型: 100.0%, so -25.0 points);
    // 成长型 1 = 25.0% (+25.0).
    let g = &b["grade_rows"];
    assert_eq!(
        (g[0]["grade"].as_str(), g[0]["count"].as_u64(), g[0]["share"].as_str(), g[0]["prev_count"].as_u64(), g[0]["change"].as_str()),
        (Some("标杆型"), Some(3), Some("75.0"), Some(3), Some("-25.0"))
    );
    assert_eq!((g[1]["count"].as_u64(), g[1]["share"].as_str(), g[1]["change"].as_str()), (Some(1), Some("25.0"), Some("+25.0")));
    // Warnings on 2026-12-31: A yellow (its 严重 a4 is open and overdue); D blue (an open 较重,
    // d1), E blue (two open 一般, the template's repeated-minor rule). C's two 一般 problems are
    // fixed (c2 on 10-08, c1 on 11-20): no warning, the rule counts open problems.
    assert_eq!(b["warnings"], serde_json::json!({"red": 0, "yellow": 1, "blue": 2}));
    let yellow = b["warning_list"].as_array().unwrap().iter().find(|w| w["warning"] == "黄").unwrap();
    assert_eq!((yellow["org"].as_str(), yellow["why"].as_str()), (Some(a.as_str()), Some("严重问题未整改、问题逾期未整改")));
    // Problems of the quarter: a3 a4 c1 c2 d1 d2 e1 e2 (c3 withdrawn): 8, 2.0 per organisation;
    // 一般 6, 较重 1 (d1), 严重 1 (a4).
    assert_eq!((b["problems"].as_u64(), b["per_unit"].as_str()), (Some(8), Some("2.0")));
    assert_eq!(
        b["by_severity"],
        serde_json::json!([{"name": "一般", "count": 6}, {"name": "较重", "count": 1}, {"name": "严重", "count": 1}])
    );
    // Typical problems by category, in the item's own wording: C1.3 twice (a3, e1) and C9.3
    // twice (a4, e2) lead.
    let typical = b["typical"].as_array().unwrap();
    let first = &typical[0]["items"][0];
    assert_eq!(
        (typical[0]["count"].as_u64(), first["item"].as_str(), first["problem"].as_str(), first["count"].as_u64()),
        (Some(2), Some("C1.3"), Some("未按期换届，或换届程序不规范"), Some(2))
    );
    assert!(first["examples"][0].as_str().unwrap().ends_with("a3 换届仍未完成"), "{first}");
    // Repeats: a3 (C1.3 不符合 in Q3) and d2 (C4.4 部分符合 in Q3): one each at A and D.
    assert_eq!(b["repeats"].as_u64(), Some(2));
    let mut repeat_orgs: Vec<&str> = b["repeats_by_org"].as_array().unwrap().iter().map(|r| r["org"].as_str().unwrap()).collect();
    repeat_orgs.sort();
    let mut expected = vec![a.as_str(), d.as_str()];
    expected.sort();
    assert_eq!(repeat_orgs, expected);
    // Praise: 标杆型 with nothing 较重 or worse, not criticised, no red or yellow warning: C and E
    // (D has d1 较重 and a repeat). Criticism: A (a 严重 problem, a repeat), D (a repeat).
    let mut praised: Vec<String> = names(&b["praise"]).into_iter().map(|x| x.0).collect();
    praised.sort();
    let mut want = vec![c.clone(), e.clone()];
    want.sort();
    assert_eq!(praised, want);
    let criticised = names(&b["criticism"]);
    assert!(criticised.contains(&(a.clone(), "严重问题、重复问题".to_string())), "{criticised:?}");
    assert!(criticised.contains(&(d.clone(), "重复问题".to_string())), "{criticised:?}");
    assert_eq!(criticised.len(), 2);
    assert_eq!(b["praise_rule"].as_str(), Some("等次为标杆型，且没有较重、严重问题，未被通报批评，未亮红色、黄色预警"));
    assert_eq!(b["criticism_rule"].as_str(), Some("触发一票否决，或存在严重问题，或存在重复问题"));
    // Rectification in Q4, as of 2026-12-31, over every approved finding up to Q4 (13: 5 of Q3,
    // 8 of Q4; c3 withdrawn is in none):
    // - due (deadline in the quarter, after the grant): a2 (10-20), a4 (12-20), c1 (11-15),
    //   c2 (10-08, 立行立改), d2 (12-31) = 5. a3 moved to 2027-01-31 by the grant: not due.
    // - done by 12-31: a2 (09-25, early: counted here, where its deadline is), c1 (11-20), c2
    //   (10-08) = 3; on time: a2, c2 = 2 (c1 was late) → 2/5 = 40.0%, done 3/5 = 60.0%.
    // - overdue: a4 = 1; d2 falls due on 12-31 itself: due, not yet overdue = 1.
    // - carried over: b2 (09-10, never done) = 1; a1, b1 and d0 were due in Q3 and are done.
    // - long-term d1 = 1; not due a3, e1, e2 = 3; extensions asked: a3 = 1.
    let r = &b["rect"];
    let got: Vec<u64> =
        ["total", "due", "done", "on_time", "overdue", "due_today_open", "carried_over", "long_term", "not_due", "extension_asked"]
            .iter()
            .map(|k| r[k].as_u64().unwrap_or_else(|| panic!("{k}: {r}")))
            .collect();
    assert_eq!(got, [13, 5, 3, 2, 1, 1, 1, 1, 3, 1], "{r}");
    assert_eq!((r["on_time_rate"].as_str(), r["done_rate"].as_str()), (Some("40.0"), Some("60.0")));
    // The area's ranking holds the same figures (one county).
    assert_eq!(b["ranking"][0]["rect"]["due"].as_u64(), Some(5));
    assert_eq!((b["ranking"][0]["avg_score"].as_str(), b["ranking"][0]["units"].as_u64()), (Some("96.3"), Some(4)));
    // The extract (附件3): overdue a4, carried over b2, and this quarter's serious a4 once.
    let extract: Vec<(&str, &str)> =
        b["extract"].as_array().unwrap().iter().map(|x| (x["problem"].as_str().unwrap(), x["state"].as_str().unwrap())).collect();
    assert_eq!(extract.len(), 2, "{extract:?}");
    assert!(
        extract.contains(&("a4 党员作用发挥不明显", "逾期未整改")) && extract.contains(&("b2 党费台账缺页", "往期逾期未整改")),
        "{extract:?}"
    );
    // The rounds are stated with their sample.
    let rounds = b["rounds"].as_array().unwrap();
    let sampled = rounds.iter().find(|r| r["title"] == "第四季度抽查").unwrap();
    assert_eq!((sampled["sample_rate"].as_str(), sampled["sample_seed"].as_u64()), (Some("30.0"), Some(42)));

    // A county's bulletin ranks its townships and their organisations: the branches are under
    // 金沙乡 (0101001) of 永安县 (0101).
    let county = bulletin_json(&f, &["--area", "0101"]);
    assert_eq!(county["area_name"].as_str(), Some("永安县"));
    let groups: Vec<&str> = county["ranking"].as_array().unwrap().iter().map(|r| r["area"].as_str().unwrap()).collect();
    assert_eq!(groups, ["金沙乡"]);
    assert!(county["units"].as_array().unwrap().iter().all(|u| u["group"] == "金沙乡"), "{}", county["units"]);
    assert_eq!(county["rect"]["due"].as_u64(), Some(5), "the same findings in the county");

    // The statistics sheet of the quarter's rectification list states the bulletin's figures,
    // from the same function on the same findings (whatever the list's own filters).
    let xl = f.path("list.xlsx");
    f.run_ok(&["export", "rectification", "--quarter", "2026Q4", "--format", "xlsx", "-o", xl.to_str().unwrap()]);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&xl).unwrap();
    let counts = calamine::Reader::worksheet_range(&mut wb, "统计").unwrap();
    let cell = |label: &str| -> String {
        let row = counts.rows().find(|r| r.first().is_some_and(|c| *c == label)).unwrap_or_else(|| panic!("no row {label}"));
        row[1].to_string()
    };
    assert!(counts.rows().any(|r| r[0] == "整改情况（2026-10-01至2026-12-31，截至2026-12-31）"));
    let got: Vec<String> = [
        "到期应整改",
        "按期整改",
        "已整改（含逾期后整改）",
        "逾期未整改",
        "当日到期尚未整改",
        "往期逾期未整改",
        "长期整改",
        "未到期",
        "申请延期",
        "按期整改率",
    ]
    .iter()
    .map(|l| cell(l))
    .collect();
    assert_eq!(got, ["5", "2", "3", "1", "1", "1", "1", "3", "1", "40.0%"]);

    // The Markdown states the same numbers, the definitions and the rules.
    let md = f.path("b.md");
    f.run_ok(&["export", "bulletin", "--quarter", "2026Q4", "--format", "md", "-o", md.to_str().unwrap()]);
    let text = std::fs::read_to_string(&md).unwrap();
    for expected in [
        "平均得分 96.3。",
        "| 标杆型 | 3 | 75.0% | 3 | 100.0% | -25.0 个百分点 |",
        "截至2026-12-31，三色预警：红色 0 个，黄色 1 个，蓝色 2 个。",
        "截至2026-12-31，本季度到期应整改问题 5 个，按期整改 2 个，按期整改率 40.0%；已整改 3 个（含逾期后整改），整改完成率 60.0%；逾期未整改 1 个；当日到期尚未整改 1 个；往期逾期仍未整改 1 个；长期整改 1 个；申请延期 1 个。",
        "口径说明：到期应整改，指审核通过、未撤销、非长期整改",
        "一是未按期换届，或换届程序不规范（2 个）。",
        "重复问题（以往季度同一检查项为不符合或部分符合）2 个，涉及 2 个党组织",
        "按照表扬规则（等次为标杆型，且没有较重、严重问题，未被通报批评，未亮红色、黄色预警），对以下 2 个党组织予以通报表扬",
        "按照批评规则（触发一票否决，或存在严重问题，或存在重复问题），对以下 2 个党组织予以通报批评",
        "第四季度抽查（随机抽取 30.0%，随机种子 42）",
        "## 附件1　各党组织得分、等次和预警情况",
        "## 附件3　重点问题整改清单",
    ] {
        assert!(text.contains(expected), "{expected:?} missing:\n{text}");
    }
    // Twice: the same text.
    let again = f.path("b2.md");
    f.run_ok(&["export", "bulletin", "--quarter", "2026Q4", "--format", "md", "-o", again.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&again).unwrap(), text);

    // Judged mid-quarter (as of 2026-11-16): due a2, c1, c2 = 3 (a4 and d2 not yet); on time a2,
    // c2 = 2 → 66.7% (2/3 half up); c1 (deadline 11-15, done 11-20) overdue = 1.
    let mid = bulletin_json(&f, &["--as-of", "2026-11-16"]);
    let r = &mid["rect"];
    assert_eq!(
        (r["due"].as_u64(), r["on_time"].as_u64(), r["overdue"].as_u64(), r["on_time_rate"].as_str()),
        (Some(3), Some(2), Some(1), Some("66.7")),
        "{r}"
    );

    // Next month the data moves on (a4 reported done 2027-01-10): the bulletin of Q4 states the
    // same figures; judged as of 2027-01-20, A's yellow warning has cleared with its cause (a3's
    // deadline is 2027-01-31 after the grant), while D's d2, due 2026-12-31, is now overdue:
    // D turns yellow. E stays blue.
    let before = figures(bulletin_json(&f, &[]));
    f.set_now("2027-01-10 10:00");
    done(&f, "a4 党员作用发挥不明显");
    f.set_now("2027-02-15 10:00");
    assert_eq!(figures(bulletin_json(&f, &[])), before, "the same data gives the same bulletin next month");
    let later = bulletin_json(&f, &["--as-of", "2027-01-20"]);
    assert_eq!(later["warnings"], serde_json::json!({"red": 0, "yellow": 1, "blue": 1}));
    let warning_of = |org: &str| later["units"].as_array().unwrap().iter().find(|u| u["org"] == org).unwrap()["warning"].clone();
    assert_eq!((warning_of(&a), warning_of(&d)), (serde_json::Value::Null, serde_json::json!("黄")));
}

#[test]
fn an_empty_quarter_is_refused_or_said_on_the_first_page() {
    let f = Folder::new();
    f.run_ok(&["demo", "--orgs", "60", "--seed", "2"]);
    let out = f.path("empty.md");
    let r = f.run(&["export", "bulletin", "--quarter", "2026Q4", "--format", "md", "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("2026Q4没有审核通过的检查，通报没有生成") && r.stderr.contains("--allow-empty"), "{}", r.stderr);
    assert!(!out.exists(), "nothing written");
    f.run_ok(&["export", "bulletin", "--quarter", "2026Q4", "--format", "md", "--allow-empty", "-o", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(&out).unwrap();
    let first = text.lines().filter(|l| !l.trim().is_empty()).nth(1).unwrap();
    assert_eq!(first, "说明：2026年第四季度没有审核通过的检查，本通报各项数据均为空。");
    let js = f.path("empty.json");
    f.run_ok(&["export", "bulletin", "--quarter", "2026Q4", "--format", "json", "--allow-empty", "-o", js.to_str().unwrap()]);
    let b = json(&std::fs::read_to_string(&js).unwrap());
    assert_eq!((b["empty"].as_bool(), b["checked"].as_u64(), b["rect"]["on_time_rate"].as_str()), (Some(true), Some(0), None));
    // An unknown area, a day judged still to come or before the quarter, an empty number: refused.
    for (args, said) in [
        (vec!["--area", "NOPE"], "没有编码为 \"NOPE\" 的组织"),
        (vec!["--as-of", "2027-05-01"], "--as-of 2027-05-01 不可用"),
        (vec!["--as-of", "2026-09-30"], "应在 2026Q4 的第一天 2026-10-01 与今天 2026-11-22 之间"),
        (vec!["--number", ""], "--number 不能为空"),
    ] {
        let mut a = vec!["export", "bulletin", "--quarter", "2026Q4", "--format", "md", "--allow-empty", "-o", out.to_str().unwrap()];
        a.extend(args);
        std::fs::remove_file(&out).ok();
        let r = f.run(&a);
        assert!(r.code == 2 && r.stderr.contains(said), "{a:?}: {}", r.stderr);
        assert!(!out.exists(), "{a:?} wrote nothing");
    }
    // A bad date is refused with what was expected.
    let r = f.run(&["export", "bulletin", "--quarter", "2026Q4", "--format", "md", "--as-of", "2026-13-01", "-o", out.to_str().unwrap()]);
    assert!(r.code == 2 && r.stderr.contains("应为 YYYY-MM-DD"), "{}", r.stderr);
}
