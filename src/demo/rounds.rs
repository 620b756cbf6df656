//! Used rounds for the demo: last quarter's round and this quarter's over the same Party
//! organisations, visits for a chosen share of them with arrival facts, a verdict for every item,
//! findings in Chinese, reviews with problem numbers, repeat problems and rectification steps.
//!
//! Everything is made of the domain's own types and obeys its rules (the same as the services
//! check): every applicable item of a handed-over visit has a verdict, every 不符合 a finding,
//! every 部分符合 a finding or a note, the arrival is recorded; numbers count per quarter in
//! approval order; a repeat names the earlier problem; rectification steps go through the status
//! machine (`service::rectify::apply`, the function the board and `rectify set` use). Times lie
//! between the quarter's start and the clock's now; ids are UUIDv7 of those times. The same
//! (organisations, seed, share, now) gives the same records.

use super::{GIVEN, SURNAME};
use crate::domain::limits::{latest_deadline, quarter_start};
use crate::domain::{
    ArrivalState, Finding, Id, ItemResult, Org, Quarter, RectStatus, RectType, Review, Round, Scope, Severity, Template, Verdict, VetoMark,
    Visit, VisitStatus,
};
use chrono::{DateTime, Duration, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

/// What the generator is asked for.
pub struct Plan<'a> {
    /// The Party organisations the rounds cover (already filtered to what a round inspects),
    /// in tree order.
    pub orgs: Vec<&'a Org>,
    /// The code the rounds' scope names (the root of the tree).
    pub root: String,
    pub template: &'a Template,
    pub template_id: &'a str,
    pub template_hash: &'a str,
    /// The share of organisations visited in each round (0..=1).
    pub visited: f64,
    pub seed: u64,
    /// The clock's local now: nothing generated lies after it.
    pub now: NaiveDateTime,
    /// Who creates the rounds.
    pub actor: &'a str,
}

/// One visit as it was left: the visit record, its results and findings, and the quarter's
/// number counter after it (when its approval handed out numbers).
pub struct Answered {
    pub visit: Visit,
    pub results: Vec<ItemResult>,
    pub findings: Vec<Finding>,
    pub counter: Option<(String, u64)>,
}

/// A finding's rectification step, applied through the status machine. Given by the caller so
/// that this module does not depend on the service layer's signatures.
pub type Step<'a> = &'a dyn Fn(&Finding, StepInput<'_>) -> Option<Finding>;

/// One requested rectification step: to which status, by whom, on which day, with what.
pub struct StepInput<'a> {
    pub to: RectStatus,
    pub by: &'a str,
    pub on: NaiveDate,
    pub note: &'a str,
    pub evidence: &'a str,
    pub measures: &'a str,
    pub overseer: &'a str,
    pub acceptor: &'a str,
    pub deadline: Option<NaiveDate>,
}

/// How well an organisation keeps its Party work: draws its failure rates.
#[derive(Clone, Copy)]
enum Quality {
    Good,
    Fair,
    Weak,
}

impl Quality {
    /// (fails, partly) per item, in thousandths.
    fn rates(self) -> (u32, u32) {
        match self {
            Quality::Good => (12, 25),
            Quality::Fair => (45, 60),
            Quality::Weak => (130, 110),
        }
    }
}

/// Phrases by category (the default template's C1..C9; another template's categories and items
/// are matched by position): the problems of each item, in item order, then the category's
/// requirement and rectification measures. `{a}` a small count, `{m}` a month, `{p}` a percent.
struct Phrases {
    problems: &'static [&'static [&'static str]],
    requirement: &'static str,
    measures: &'static [&'static str],
}

const PHRASES: [Phrases; 9] = [
    Phrases {
        problems: &[
            &["正式党员{a}人以上仍挂靠联合党支部，未单独成立党支部", "党组织隶属关系不清，组织设置未及时调整"],
            &["支委会委员仅2人，出缺后未及时补选", "支委分工不明确，组织委员、宣传委员职责未落实"],
            &["换届超期{a}个月，未按期召开党员大会选举", "换届选举程序不规范，缺少候选人预备人选报批材料"],
            &["书记岗位空缺{a}个月，由委员临时代管", "委员出缺{a}个月未补选"],
            &["党小组划分不合理，部分网格无党小组覆盖", "党员居住分散，未按规定划分党小组"],
        ],
        requirement: "按规定健全组织设置，补齐支委班子并明确分工，换届程序报上级党组织审核",
        measures: &["已向上级党委报告，拟召开党员大会补选委员", "已调整党小组设置，按网格重新划分", "已启动换届程序，报送候选人预备人选"],
    },
    Phrases {
        problems: &[
            &["重大事项未经集体研究，缺少会议记录", "集体研究事项记录过于简单，无表决情况"],
            &["书记现场说不清党员人数和发展对象数量", "书记说不清本年度重点任务"],
            &["\"两个清单\"未建立，重点任务无台账", "问题整改清单未动态更新，{m}月以来无变化"],
            &["书记项目无进度记录，成效不明显", "书记项目计划空泛，无时间节点"],
            &["书记月报{a}个月未按时报送", "书记月报内容雷同，照抄上月"],
            &["班子成员间沟通不畅，支委会议事不充分", "存在书记个人说了算现象，班子成员意见未记录"],
        ],
        requirement: "建立书记履职清单，重大事项集体研究并留存记录",
        measures: &["已建立重点任务清单和问题整改清单", "书记项目已细化季度节点，按月报送进展", "已补开支委会集体研究并完善记录"],
    },
    Phrases {
        problems: &[
            &["党员大会本季度未召开", "党员大会记录缺少表决情况"],
            &["{m}月份支委会未召开，无会议记录", "党小组会{a}个月未召开"],
            &["书记本年度未讲党课，党课计划未落实", "党课无教案和听课记录"],
            &["主题党日活动缺少签到和照片", "{m}月份主题党日未开展"],
            &["组织生活会未开展批评和自我批评", "组织生活会批评意见避重就轻，流于形式"],
            &["本年度未开展民主评议党员", "民主评议优秀党员比例超过三分之一"],
            &["会议记录要素不全，缺少缺席原因和记录人", "会议记录无应到实到人数"],
            &["会议记录存在事后补记现象", "会议签到存在代签现象"],
        ],
        requirement: "严格落实\"三会一课\"制度，会议记录当场形成、要素齐全",
        measures: &["已制定年度组织生活计划并按月落实", "已规范会议记录本，明确专人记录", "书记已讲专题党课并存档"],
    },
    Phrases {
        problems: &[
            &["党员名册与全国党员管理信息系统不一致，相差{a}人", "党员名册信息未及时更新"],
            &["流动党员{a}人长期未联系，底数不清", "失联党员未按规定排查处置"],
            &["组织关系转接不及时，存在\"口袋党员\"", "{a}名党员组织关系转出后未跟踪接收情况"],
            &["学习记录不全，{m}月以来无学习记录", "无年度学习计划"],
            &["本年度未开展谈心谈话", "谈心谈话记录缺失"],
            &["党员积分制管理未落实，积分台账空白", "未开展设岗定责，党员无具体岗位"],
        ],
        requirement: "核对党员信息，建立流动党员联系台账，落实学习和谈心谈话制度",
        measures: &["已与信息系统逐人核对并更正", "已逐一联系流动党员并建立台账", "已补充学习计划，按月记录"],
    },
    Phrases {
        problems: &[
            &["无年度发展党员计划", "各阶段人员名册不全"],
            &["收到入党申请书后超过一个月未派人谈话", "谈话记录无谈话人签字"],
            &["入党积极分子未确定培养联系人", "积极分子培养教育不满一年即列为发展对象"],
            &["发展对象公示材料缺失", "政治审查材料不全，缺少函调证明"],
            &["支部大会表决票数记录不清", "入党志愿书填写不规范，存在涂改"],
            &["预备党员转正超期{a}个月未办理", "预备党员考察记录缺失"],
            &["发展党员档案材料不齐全，缺少政审材料", "一人一档未建立，材料混放"],
        ],
        requirement: "对照发展党员工作细则逐项自查，补齐程序和档案材料",
        measures: &["已补充谈话记录和培养联系人", "已按一人一档整理发展党员材料", "已召开支部大会讨论预备党员转正"],
    },
    Phrases {
        problems: &[
            &["交纳基数核定不准确，{a}名党员少交党费", "{a}名党员未按月交纳党费"],
            &["党费收缴台账不完整，{m}月记录缺失", "党费收据存根缺失"],
            &["本年度未向党员公布党费收缴情况", "党费公示内容不完整"],
            &["党费未按时上缴，滞留支部{a}个月", "党费上缴无回执"],
            &["{a}名党员连续6个月未交纳党费，未按规定处理", "欠交党费党员未进行谈话提醒"],
        ],
        requirement: "规范党费收缴、使用和管理，按时上缴并定期公布",
        measures: &["已重新核定交纳基数并补交", "已完善党费收缴台账并公示", "已按规定上缴党费并取得回执"],
    },
    Phrases {
        problems: &[
            &["到达时党群服务中心锁门，无人值班", "活动室挪作仓库使用"],
            &["服务事项未公示，值班制度未落实", "值班表过期，值班人员不在岗"],
            &["入党誓词和党员权利义务未上墙", "上墙制度为旧版本，未及时更新"],
            &["党务公开栏内容未更新，仍为去年内容", "村务公开栏{a}个月未更新"],
            &["远程教育设备损坏未修复", "活动室桌椅、音响设备缺损"],
            &["存在滥挂牌现象，挂牌{a}块", "门口悬挂已撤销机构牌子"],
        ],
        requirement: "规范阵地使用和管理，落实值班制度，及时更新公开内容",
        measures: &["已清理活动室杂物，恢复阵地功能", "已更新党务公开栏并建立更新台账", "已清理多余挂牌，保留规定标识"],
    },
    Phrases {
        problems: &[
            &["制度未结合实际修订，仍为多年前版本", "缺少党员教育管理制度"],
            &["年度工作计划和总结缺失", "年度计划内容空泛，照搬上级文件"],
            &["资料未归档，会议记录散放", "档案盒标识不清，资料查找困难"],
            &["台账记录与实际不符，随机询问党员{a}人均称未参加", "活动照片与记录时间不一致"],
            &["上轮检查发现的问题未整改到位，无佐证", "整改佐证材料与问题不对应"],
        ],
        requirement: "健全制度和台账，资料按年度归档，确保记录与实际相符",
        measures: &["已补制年度计划并经支委会审议", "已按年度整理归档资料", "已对上轮问题逐项销号并留存佐证"],
    },
    Phrases {
        problems: &[
            &["书记项目未取得实效，群众知晓率低", "重点任务推进缓慢，未完成年度目标"],
            &["\"四议两公开\"记录不完整，缺少决议公开环节", "村级重大事项未履行\"四议\"程序"],
            &["党员先锋模范作用发挥不明显，未设岗定责", "党员参与志愿服务比例低"],
            &["随机走访群众{a}户，满意度仅{p}%", "群众反映问题长期未回应"],
        ],
        requirement: "聚焦重点任务发挥作用，落实设岗定责，回应群众诉求",
        measures: &["已调整书记项目，明确目标和节点", "已规范\"四议两公开\"流程并公开决议", "已组织党员认岗定责并公示"],
    },
];

const OTHER_PROBLEMS: &[&str] = &[
    "支部微信群长期无党务内容，线上阵地未有效利用",
    "党建品牌创建流于形式，缺少特色载体",
    "党员志愿服务活动记录不全",
    "党员活动室消防器材过期",
];
const RECORDS_READ: &[&str] =
    &["三会一课记录本", "党费收缴台账", "发展党员档案", "党员花名册", "主题党日签到表", "组织生活会记录", "书记月报", "\"两个清单\"台账"];
const NOTES_PARTLY: &[&str] =
    &["个别会议记录缺签到，已当场提醒", "资料基本齐全，个别月份归档不及时", "书记能说清大部分情况，个别数字不准确", "已落实但记录较简单"];
const NOTES_MEETS: &[&str] = &["已查阅本年度记录", "现场查看，情况属实", "随机询问党员2人，情况一致"];
const LOCKED_NOTES: &[&str] = &["到达时活动室锁门，电话联系后15分钟到场", "到达时大门锁闭，值班人员外出办事"];
const RETURN_COMMENTS: &[&str] = &["问题描述不够具体，请补充时间和具体情形后重新提交", "请补充问题佐证材料后重新提交"];

/// The rounds, and the visits as they were left, made on demand.
pub struct UsedRounds<'a> {
    plan: Plan<'a>,
    rng: ChaCha8Rng,
    inspectors: Vec<String>,
    supervisors: Vec<String>,
    quality: Vec<Quality>,
    /// (round, visited org indexes in tree order)
    rounds: Vec<(Round, Vec<usize>)>,
}

/// The current quarter and the one before, as (round index 0 = previous, 1 = current).
fn quarters(now: NaiveDateTime) -> [Quarter; 2] {
    let cur = Quarter::of(now.date());
    [cur.previous(), cur]
}

fn quarter_end(q: Quarter) -> NaiveDate {
    let next = if q.q == 4 { Quarter { year: q.year + 1, q: 1 } } else { Quarter { year: q.year, q: q.q + 1 } };
    quarter_start(next).pred_opt().unwrap_or(NaiveDate::MAX)
}

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    Local.from_local_datetime(&t).earliest().map_or_else(|| Utc.from_utc_datetime(&t), |d| d.with_timezone(&Utc))
}

impl<'a> UsedRounds<'a> {
    pub fn new(plan: Plan<'a>) -> UsedRounds<'a> {
        let mut rng = ChaCha8Rng::seed_from_u64(plan.seed ^ 0x5EED_0F0F_D3A0_7E11);
        let n = plan.orgs.len();
        let team = (n / 60).clamp(4, 400);
        let person =
            |rng: &mut ChaCha8Rng| format!("{}{}", SURNAME[rng.random_range(0..SURNAME.len())], GIVEN[rng.random_range(0..GIVEN.len())]);
        let inspectors: Vec<String> = (0..team).map(|_| person(&mut rng)).collect();
        let supervisors: Vec<String> = (0..(team / 8).max(2)).map(|_| person(&mut rng)).collect();
        let quality = (0..n)
            .map(|_| match rng.random_range(0..100) {
                0..60 => Quality::Good,
                60..90 => Quality::Fair,
                _ => Quality::Weak,
            })
            .collect();
        let mut me = UsedRounds { plan, rng, inspectors, supervisors, quality, rounds: Vec::new() };
        if me.plan.visited > 0.0 && n > 0 {
            for q in quarters(me.plan.now) {
                let round = me.round(q);
                let mut pick: Vec<usize> = (0..n).collect();
                rand::seq::SliceRandom::shuffle(pick.as_mut_slice(), &mut me.rng);
                pick.truncate(((n as f64 * me.plan.visited).round() as usize).clamp(1, n));
                pick.sort_unstable();
                me.rounds.push((round, pick));
            }
        }
        me
    }

    /// A time-ordered id for a record made at `t`, its random part from the seed.
    fn id_at(&mut self, t: NaiveDateTime) -> Id {
        let bytes: [u8; 10] = self.rng.random();
        let ms = utc(t).timestamp_millis().max(0) as u64;
        Id::from_bytes(uuid::Builder::from_unix_timestamp_millis(ms, &bytes).into_uuid().into_bytes())
    }

    fn pick<T: Copy>(&mut self, list: &[T]) -> T {
        list[self.rng.random_range(0..list.len())]
    }

    fn chance(&mut self, per_thousand: u32) -> bool {
        self.rng.random_range(0..1000) < per_thousand
    }

    /// The window visits of quarter `q` fall in: from a few days after its start to its end or
    /// a few days before now, whichever is earlier (never before the start, never after now).
    fn window(&self, q: Quarter) -> (NaiveDateTime, NaiveDateTime) {
        let start = quarter_start(q).and_hms_opt(8, 0, 0).unwrap_or_default();
        let end = quarter_end(q).and_hms_opt(17, 0, 0).unwrap_or_default().min(self.plan.now - Duration::days(2));
        let from = (start + Duration::days(5)).min(end);
        if from >= start && end >= from { (from, end) } else { (start.min(self.plan.now), self.plan.now) }
    }

    fn round(&mut self, q: Quarter) -> Round {
        let created = (quarter_start(q).and_hms_opt(9, 0, 0).unwrap_or_default() + Duration::days(2)).min(self.plan.now);
        let id = self.id_at(created);
        let title = format!("{}基层党建\"四不两直\"督查", q.zh_title());
        Round {
            id,
            title,
            quarter: q,
            template_id: self.plan.template_id.to_string(),
            template_hash: self.plan.template_hash.to_string(),
            scope: Scope::Subtree { under: self.plan.root.clone(), field: None },
            org_count: self.plan.orgs.len(),
            created_by: self.plan.actor.to_string(),
            created_at: utc(created),
        }
    }

    /// The rounds, oldest first, each with every organisation of the plan (their visits start 未开始).
    pub fn rounds(&self) -> Vec<Round> {
        self.rounds.iter().map(|(r, _)| r.clone()).collect()
    }

    /// How many visits `answered` will make.
    pub fn visit_count(&self) -> usize {
        self.rounds.iter().map(|(_, v)| v.len()).sum()
    }

    /// Makes every visited organisation's visit, last quarter's round first, each round's approved
    /// visits in approval order (so numbers count as a supervisor would have handed them out).
    /// `step` applies one rectification step through the status machine.
    pub fn answered(mut self, step: Step<'_>, mut sink: impl FnMut(Answered)) {
        let rounds = std::mem::take(&mut self.rounds);
        // (org index, item) → the earlier round's problem number on that failed item.
        let mut failed_before: HashMap<(usize, String), String> = HashMap::new();
        for (ri, (round, picked)) in rounds.iter().enumerate() {
            let current = ri + 1 == rounds.len() && ri > 0;
            let (from, to) = self.window(round.quarter);
            let span = (to - from).num_minutes().max(1);
            // Arrival moments, on working hours.
            let mut plan: Vec<(usize, NaiveDateTime)> = picked
                .iter()
                .map(|&o| {
                    let at = from + Duration::minutes(self.rng.random_range(0..span));
                    let hour = if self.rng.random_range(0..10) < 7 { self.rng.random_range(8..11) } else { self.rng.random_range(14..16) };
                    let at = at.date().and_hms_opt(hour, self.rng.random_range(0..60), 0).unwrap_or(at);
                    (o, at.clamp(from.min(to), to.max(from)))
                })
                .collect();
            // Latest arrivals are the ones still open: in progress, submitted, returned.
            plan.sort_by_key(|&(o, at)| (at, o));
            let n = plan.len();
            let open = if current { (n * 4 / 100, n * 6 / 100, n / 100) } else { (0, 0, 0) };
            let mut states: Vec<(usize, NaiveDateTime, VisitStatus, NaiveDateTime)> = plan
                .iter()
                .enumerate()
                .map(|(k, &(o, at))| {
                    let from_end = n - k;
                    let status = if from_end <= open.0 {
                        VisitStatus::InProgress
                    } else if from_end <= open.0 + open.1 {
                        VisitStatus::Submitted
                    } else if from_end <= open.0 + open.1 + open.2 {
                        VisitStatus::Returned
                    } else {
                        VisitStatus::Approved
                    };
                    let reviewed =
                        (at + Duration::hours(self.rng.random_range(20..240))).min(self.plan.now - Duration::minutes(30)).max(at);
                    (o, at, status, reviewed)
                })
                .collect();
            states.sort_by_key(|&(o, _, status, reviewed)| (status != VisitStatus::Approved, reviewed, o));
            let mut numbered = 0u64;
            let mut mine: HashMap<(usize, String), String> = HashMap::new();
            for (o, at, status, reviewed) in states {
                let a = self.visit(round, o, at, status, reviewed, current, &failed_before, &mut numbered, step);
                // A later round's repeat names the first problem (by id) on an item that failed.
                for r in a.results.iter().filter(|r| r.verdict == Some(Verdict::Fails)) {
                    let first = a.findings.iter().filter(|f| f.item.as_deref() == Some(r.item.as_str())).min_by_key(|f| f.id);
                    if let Some(f) = first {
                        mine.insert((o, r.item.clone()), f.number.clone().unwrap_or_else(|| f.id.short()));
                    }
                }
                sink(a);
            }
            failed_before.extend(mine);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn visit(
        &mut self,
        round: &Round,
        oi: usize,
        arrived: NaiveDateTime,
        status: VisitStatus,
        reviewed: NaiveDateTime,
        current: bool,
        failed_before: &HashMap<(usize, String), String>,
        numbered: &mut u64,
        step: Step<'_>,
    ) -> Answered {
        let org: &Org = self.plan.orgs[oi];
        let template = self.plan.template;
        let inspector = self.inspectors[self.rng.random_range(0..self.inspectors.len())].clone();
        let supervisor = self.supervisors[self.rng.random_range(0..self.supervisors.len())].clone();
        let quality = self.quality[oi];
        let (mut fail_rate, partly_rate) = quality.rates();
        if current {
            // Things improve a little from one quarter to the next.
            fail_rate = fail_rate * 4 / 5;
        }
        let arrival_state = match self.rng.random_range(0..100) {
            0..70 => ArrivalState::OnDuty,
            70..90 => ArrivalState::Open,
            _ => ArrivalState::Locked,
        };
        let arrival_note = if arrival_state == ArrivalState::Locked { self.pick(LOCKED_NOTES).to_string() } else { String::new() };
        let mut unannounced = [Some(true); 6];
        if self.chance(30) {
            // The branch had heard the team was in the township.
            unannounced[1] = Some(false);
        }
        let secretary = if org.secretary.is_empty() { "支部书记".to_string() } else { org.secretary.clone() };
        let member =
            |rng: &mut ChaCha8Rng| format!("{}{}", SURNAME[rng.random_range(0..SURNAME.len())], GIVEN[rng.random_range(0..GIVEN.len())]);
        let interviewed = format!("支部书记{secretary}，党员{}、{}", member(&mut self.rng), member(&mut self.rng));
        let records = (0..3).map(|_| self.pick(RECORDS_READ)).collect::<Vec<_>>();
        let mut records_read: Vec<&str> = Vec::new();
        for r in records {
            if !records_read.contains(&r) {
                records_read.push(r);
            }
        }
        let mut vetoes = Vec::new();
        let vetoed = !template.vetoes.is_empty() && matches!(quality, Quality::Weak) && self.chance(40);
        if vetoed {
            let gate = self.pick(&template.vetoes.iter().map(|v| v.id.as_str()).collect::<Vec<_>>());
            vetoes.push(VetoMark { id: gate.to_string(), reason: "现场查阅会议记录并询问党员，情况属实".to_string() });
        }

        // The walk: applicable items in template order; an unfinished visit stops partway.
        let applicable: Vec<(usize, usize, &crate::domain::Item)> = template
            .categories
            .iter()
            .enumerate()
            .flat_map(|(ci, c)| c.items.iter().enumerate().map(move |(ki, it)| (ci, ki, it)))
            .filter(|(_, _, it)| it.applies_to(org.field))
            .collect();
        let answer_upto = if status == VisitStatus::InProgress {
            let upper = applicable.len().saturating_sub(1).max(1);
            self.rng.random_range((applicable.len() / 4).min(upper - 1)..upper)
        } else {
            applicable.len()
        };
        let no_recruitment = self.chance(80);
        let small = org.members.is_some_and(|m| m < 10);
        let mut results = Vec::with_capacity(applicable.len());
        let mut findings = Vec::new();
        let mut t = arrived + Duration::minutes(10);
        for (k, (ci, ki, item)) in applicable.iter().enumerate() {
            if k >= answer_upto {
                break;
            }
            t = (t + Duration::minutes(self.rng.random_range(1..4))).min(self.plan.now);
            let failed_earlier = failed_before.get(&(oi, item.id.clone()));
            let serious = item.severity == Severity::Serious;
            let fr = if serious { fail_rate / 2 } else { fail_rate };
            let roll = self.rng.random_range(0..1000);
            // A small branch needs no Party groups (C1.5); one with no applicants this year has
            // no application talks or activists to train (C5.2, C5.3).
            let not_applicable =
                (small && *ci == 0 && *ki == 4 && self.chance(700)) || (no_recruitment && *ci == 4 && matches!(*ki, 1 | 2));
            let verdict = if not_applicable {
                Verdict::NotApplicable
            } else if (failed_earlier.is_some() && self.chance(300)) || roll < fr {
                // An item failed last quarter fails again more often than chance: repeats.
                Verdict::Fails
            } else if roll < fr + partly_rate {
                Verdict::Partly
            } else {
                Verdict::Meets
            };
            let mut note = String::new();
            let mut problems = 0;
            match verdict {
                Verdict::Fails => problems = if self.chance(80) { 2 } else { 1 },
                Verdict::Partly if self.chance(600) => problems = 1,
                Verdict::Partly => note = self.pick(NOTES_PARTLY).to_string(),
                Verdict::Meets if self.chance(30) => note = self.pick(NOTES_MEETS).to_string(),
                _ => {}
            }
            for _ in 0..problems {
                let severity = if verdict == Verdict::Partly {
                    match item.severity {
                        Severity::Serious => Severity::Significant,
                        _ => Severity::Minor,
                    }
                } else {
                    item.severity
                };
                let f = self.finding(round, org, Some((*ci, *ki, item.id.as_str())), severity, &inspector, t, arrived.date());
                findings.push(f);
            }
            results.push(ItemResult {
                round: round.id,
                org: org.code.clone(),
                item: item.id.clone(),
                verdict: Some(verdict),
                note,
                by: inspector.clone(),
                at: utc(t),
            });
        }
        if status != VisitStatus::InProgress && self.chance(25) {
            let at = (t + Duration::minutes(5)).min(self.plan.now);
            let f = self.finding(round, org, None, Severity::Minor, &inspector, at, arrived.date());
            findings.push(f);
        }
        let done = (t + Duration::minutes(15)).min(self.plan.now);
        let handed_over = status != VisitStatus::InProgress;
        let mut visit = Visit {
            round: round.id,
            org: org.code.clone(),
            status,
            inspector: inspector.clone(),
            started_at: Some(utc(arrived)),
            arrived_at: Some(arrived),
            arrival_state: Some(arrival_state),
            arrival_note,
            unannounced,
            interviewed,
            records_read: records_read.join("、"),
            vetoes,
            submitted_at: handed_over.then(|| utc(done.min(reviewed))),
            return_comment: String::new(),
            reviewed_by: None,
        };
        let mut counter = None;
        match status {
            VisitStatus::Approved => {
                visit.reviewed_by = Some(supervisor.clone());
                let on = reviewed.date();
                // Approval numbers a visit's findings in the order the store lists them (by id).
                findings.sort_by_key(|f| f.id);
                for f in findings.iter_mut() {
                    f.review = Review::Approved;
                    *numbered += 1;
                    f.number = Some(format!("{}-{:04}", round.quarter, *numbered));
                    f.approved_on = Some(on);
                    f.repeat_of = f.item.as_ref().and_then(|i| failed_before.get(&(oi, i.clone())).cloned());
                }
                counter = (!findings.is_empty()).then(|| (round.quarter.to_string(), *numbered));
                for f in findings.iter_mut() {
                    *f = self.rectify(f.clone(), &supervisor, step);
                }
            }
            VisitStatus::Returned => {
                visit.reviewed_by = Some(supervisor.clone());
                visit.return_comment = self.pick(RETURN_COMMENTS).to_string();
                if let Some(f) = findings.first_mut() {
                    f.review = Review::Returned;
                    f.review_comment = "请写明具体月份和涉及人数".to_string();
                }
            }
            _ => {}
        }
        Answered { visit, results, findings, counter }
    }

    #[allow(clippy::too_many_arguments)]
    fn finding(
        &mut self,
        round: &Round,
        org: &Org,
        item: Option<(usize, usize, &str)>,
        severity: Severity,
        inspector: &str,
        at: NaiveDateTime,
        visited_on: NaiveDate,
    ) -> Finding {
        let (description, requirement) = match item {
            Some((ci, ki, _)) => {
                let p = &PHRASES[ci % PHRASES.len()];
                (self.pick(p.problems[ki % p.problems.len()]), p.requirement)
            }
            None => (self.pick(OTHER_PROBLEMS), "结合实际制定整改措施，按期报送整改情况"),
        };
        let description = description
            .replace("{a}", &self.rng.random_range(2..6).to_string())
            .replace("{m}", &self.rng.random_range(1..=at.date().format("%m").to_string().parse::<u32>().unwrap_or(12)).to_string())
            .replace("{p}", &self.rng.random_range(40..60).to_string());
        let rect_type = match self.rng.random_range(0..100) {
            0..15 => RectType::Immediate,
            15..92 => RectType::ByDeadline,
            _ => RectType::LongTerm,
        };
        let deadline = match rect_type {
            RectType::Immediate => None,
            RectType::ByDeadline => Some(visited_on + Duration::days(self.pick(&[15, 30, 30, 30, 45, 60, 90]))),
            RectType::LongTerm => Some(visited_on + Duration::days(180)),
        };
        let photo = self.rng.random_range(1..40);
        let evidence = vec![format!("照片{photo}-{}", photo + self.rng.random_range(1..4)), "现场询问记录".to_string()];
        Finding {
            id: self.id_at(at),
            round: round.id,
            org: org.code.clone(),
            item: item.map(|(_, _, id)| id.to_string()),
            description,
            severity,
            evidence,
            rect_type,
            requirement: requirement.to_string(),
            responsible_unit: org.name.clone(),
            responsible_person: if org.secretary.is_empty() { "支部书记".to_string() } else { org.secretary.clone() },
            deadline,
            status: RectStatus::Pending,
            number: None,
            approved_on: None,
            created_by: inspector.to_string(),
            created_at: utc(at),
            review: Review::Pending,
            review_comment: String::new(),
            corrected_by: None,
            repeat_of: None,
            rect: Default::default(),
        }
    }

    /// Rectification steps of an approved finding, as far as the days since approval allow:
    /// older findings are further along; some are late, some extended, some rejected once.
    fn rectify(&mut self, f: Finding, supervisor: &str, step: Step<'_>) -> Finding {
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
