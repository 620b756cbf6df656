//! The words of the office's documents (the rectification list, the quarterly bulletin), in
//! Chinese and English. A document is written in its own language (Chinese unless `--doc-lang
//! en`), never the screen's: this table has only `text_in` and `fill_in`, which take it.

use crate::domain::vocab::Vocab;
use crate::i18n::Lang;

/// A domain label (verdict, severity, status, field…) in a document's language.
pub fn label<V: Vocab>(v: V, lang: Lang) -> &'static str {
    let (zh, en, _) = v.words();
    lang.pick(zh, en)
}

crate::i18n_table! { D;
    // --- separators and small words
    ListSep => "，", ", ";
    NameSep => "、", ", ";
    RoundSep => "；", "; ";
    CountOf(label, count) => "{label} {count} 个", "{label} {count}";
    No => "否", "no";
    YesRepeat(number) => "是（{number}）", "yes ({number})";
    StatusOverdue(status) => "{status}（逾期）", "{status} (overdue)";

    // --- the rectification list
    SheetList => "整改清单", "Rectification list";
    SheetCounts => "统计", "Counts";
    SheetVisit => "检查表", "Visit sheet";
    CountStatus => "整改状态", "Status";
    CountSeverity => "严重程度", "Severity";
    CountArea => "地区", "Area";
    CountProblems => "问题数", "Problems";
    CountTotal => "合计", "Total";
    // The title rows of the sheets: what, of which round or quarter, exported when.
    ListTitle(scope, date) => "问题整改清单（{scope}）　导出日期：{date}", "Rectification list ({scope}), exported {date}";
    ListTitleAll(date) => "问题整改清单　导出日期：{date}", "Rectification list, exported {date}";
    CountsTitle(scope, date) => "问题整改统计（{scope}）　导出日期：{date}", "Rectification counts ({scope}), exported {date}";
    CountsTitleAll(date) => "问题整改统计　导出日期：{date}", "Rectification counts, exported {date}";
    RoundsAndMore(rounds, count) => "{rounds}等 {count} 个批次", "{rounds} and others, {count} rounds";
    VisitSheetTitle(round, org, code, date) => "检查表：{round}　{org}（{code}）　导出日期：{date}",
        "Visit sheet: {round}, {org} ({code}), exported {date}";

    // --- an official document's parts (公文)
    DocNumber(code, year, n) => "{code}〔{year}〕{n}号", "{code} [{year}] No. {n}";
    DocDate(year, month, day) => "{year}年{month}月{day}日", "{year}-{month}-{day}";
    Masthead(name) => "{name}文件", "{name}";
    Recipients(recipients) => "{recipients}：", "To: {recipients}";
    AttachmentItem(n, title) => "{n}. {title}", "{n}. {title}";
    AttachmentList(list) => "附件：{list}", "Attachments: {list}";
    AttachmentHead(n, title) => "附件{n}　{title}", "Attachment {n}: {title}";
    AttachmentMark(n) => "附件{n}", "Attachment {n}";
    Cc(cc) => "抄送：{cc}。", "Copy to: {cc}.";
    PrintedBy(by, on) => "{by}　　{on}印发", "Issued by {by}, {on}";
    AttachmentLabel => "附件：", "Attachments: ";
    PrintedOffice(by) => "{by}", "Issued by {by}";
    PrintedOn(on) => "{on}印发", "{on}";
    SignBy(who) => "{who}：", "{who}:";
    SignDate => "年　　月　　日", "Date:";

    // --- the quarterly bulletin
    BulletinTitle(zh_quarter, en_quarter) => "关于{zh_quarter}基层党建“四不两直”督查情况的通报",
        "Bulletin on the unannounced inspections of grassroots Party building, {en_quarter}";
    BulletinTitleArea(area, zh_quarter, en_quarter) => "关于{area}{zh_quarter}基层党建“四不两直”督查情况的通报",
        "Bulletin on the unannounced inspections of grassroots Party building in {area}, {en_quarter}";
    Example(org, description) => "{org}：{description}", "{org}: {description}";
    Repeated => "重复问题", "repeated problem";
    Dash => "-", "-";
    Sampled => "（随机抽样）", " (random sample)";
    RoundSampled(title, rate, seed) => "{title}（随机抽取 {rate}%，随机种子 {seed}）", "{title} (a random {rate}%, seed {seed})";
    InArea(area) => "{area}", " in {area}";
    EmptyQuarter(zh_quarter, en_quarter) => "说明：{zh_quarter}没有审核通过的检查，本通报各项数据均为空。",
        "Note: no inspection of {en_quarter} was approved; every figure of this bulletin is empty.";
    Overview => "一、基本情况", "1. Overview";
    EmptyOverview(zh_quarter, en_quarter, rounds, area, population) => "{zh_quarter}督查（{rounds}）没有审核通过的检查，{area}基层党组织共 {population} 个。",
        "In {en_quarter} no inspection ({rounds}) was approved; there are {population} grassroots Party organisations{area}.";
    OverviewText(zh_quarter, en_quarter, rounds, inspectors, checked, by_level, area, population, coverage, sampled, by_field) =>
        "{zh_quarter}，按照“四不两直”方式开展督查（{rounds}），检查人员：{inspectors}。共检查基层党组织 {checked} 个（{by_level}），占{area}基层党组织总数 {population} 个的 {coverage}%{sampled}。按领域：{by_field}。",
        "In {en_quarter}, unannounced inspections were made ({rounds}) by {inspectors}. {checked} grassroots Party organisations were inspected ({by_level}), {coverage}% of the {population}{area}{sampled}. By field: {by_field}.";
    LeftOut(in_scope, checked, pending, not_visited) =>
        "督查范围内共 {in_scope} 个党组织，以下统计只计入审核通过的 {checked} 个；尚有 {pending} 个检查中或待审核、{not_visited} 个未检查，不计入统计。",
        "The inspections covered {in_scope} Party organisations; the figures below count only the {checked} approved visits: {pending} are in progress or under review and {not_visited} not visited, and are not counted.";
    Assessment => "二、总体评价", "2. Overall assessment";
    AverageScore(score) => "平均得分 {score}。", "Average score {score}.";
    ColGrade => "等次", "Grade";
    ColThisQuarter => "本季度", "This quarter";
    ColShare => "占比", "Share";
    ColLastQuarter => "上季度", "Last quarter";
    ColChange => "变化", "Change";
    PointsChange(change) => "{change} 个百分点", "{change} percentage points";
    WarningsText(as_of, red, yellow, blue) => "截至{as_of}，三色预警：红色 {red} 个，黄色 {yellow} 个，蓝色 {blue} 个。",
        "Warnings as of {as_of}: {red} red, {yellow} yellow, {blue} blue.";
    ChartGrades => "等次分布（个）", "Grades (organisations)";
    ChartWarnings => "三色预警（个）", "Warnings (organisations)";
    WarnRed => "红", "red";
    WarnYellow => "黄", "yellow";
    WarnBlue => "蓝", "blue";
    GoodPractice => "三、好的做法", "3. Good practice";
    GoodNone => "（由督查组另行总结）", "(to be summarised by the inspection team)";
    NamedUnit(group, org, why) => "{group}{org}（{why}）", "{org}, {group} ({why})";
    Praise(rule, count, list) => "按照表扬规则（{rule}），对以下 {count} 个党组织予以通报表扬：{list}。",
        "By the rule for praise ({rule}), these {count} Party organisations are praised: {list}.";
    PraiseNone(rule) => "按照表扬规则（{rule}），本季度没有符合条件的党组织。", "By the rule for praise ({rule}), no Party organisation qualifies this quarter.";
    PraiseRule(grades, severities) => "等次为{grades}，且没有{severities}问题", "graded {grades}, with no {severities} problem";
    PraiseRuleAny(grades) => "等次为{grades}", "graded {grades}";
    PraiseRuleTail => "，未被通报批评，未亮红色、黄色预警", ", not criticised, under no red or yellow warning";
    CauseVeto => "一票否决", "veto";
    Problems => "四、存在的主要问题", "4. Main problems";
    ProblemsText(count, per_unit, by_category, by_severity, by_field, by_area) =>
        "共发现问题 {count} 个，平均每个党组织 {per_unit} 个。按类别：{by_category}。按严重程度：{by_severity}。按领域：{by_field}。按地区：{by_area}。",
        "{count} problems were found, {per_unit} per Party organisation. By category: {by_category}. By severity: {by_severity}. By field: {by_field}. By area: {by_area}.";
    CategoryHead(ordinal, category, count) => "（{ordinal}）{category}方面（{count} 个）", "({ordinal}) {category} ({count})";
    TopItem(ordinal, text, count, examples) => "{ordinal}是{text}（{count} 个）。{examples}",
        "{ordinal}. {text} ({count}). {examples}";
    ForExample(examples) => "如{examples}。", "For example: {examples}.";
    NotMet(text) => "{text}落实不到位", "not met: {text}";
    OtherProblems => "清单以外的其他问题", "other problems outside the checklist";
    RepeatUnit(group, org, count) => "{group}{org} {count} 个", "{org}, {group}: {count}";
    RepeatsText(count, orgs, list) => "重复问题（以往季度同一检查项为不符合或部分符合）{count} 个，涉及 {orgs} 个党组织：{list}。",
        "{count} repeated problems (the same item was failed or partly met in an earlier quarter), at {orgs} Party organisations: {list}.";
    Criticism(rule, count, list) => "按照批评规则（{rule}），对以下 {count} 个党组织予以通报批评：{list}。",
        "By the rule for criticism ({rule}), these {count} Party organisations are criticised: {list}.";
    CriticismNone(rule) => "按照批评规则（{rule}），本季度没有符合条件的党组织。", "By the rule for criticism ({rule}), no Party organisation qualifies this quarter.";
    CriticismRule(conditions) => "{conditions}", "{conditions}";
    RuleVeto => "触发一票否决", "a veto";
    RuleSeverity(severities) => "存在{severities}问题", "a {severities} problem";
    RuleRepeat => "存在重复问题", "a repeated problem";
    Or => "，或", ", or ";
    SeverityProblem(severity) => "{severity}问题", "{severity} problem";
    CauseGrade(grade) => "等次为{grade}", "graded {grade}";
    CauseWeakLead => "存在软弱涣散情形", "signs of a weak organisation";
    CauseOpen(severity) => "{severity}问题未整改", "{severity} problem not fixed";
    CauseOverdue => "问题逾期未整改", "problem overdue";
    CauseRepeated(severity) => "{severity}问题多次出现", "{severity} problems repeated";
    ChartCategories => "问题按类别（个）", "Problems by category";
    Rectification => "五、问题整改情况", "5. Rectification";
    RectText(as_of, due, on_time, on_time_rate, done, done_rate, overdue, due_today, carried, long_term, extensions) =>
        "截至{as_of}，本季度到期应整改问题 {due} 个，按期整改 {on_time} 个，按期整改率 {on_time_rate}；已整改 {done} 个（含逾期后整改），整改完成率 {done_rate}；逾期未整改 {overdue} 个；当日到期尚未整改 {due_today} 个；往期逾期仍未整改 {carried} 个；长期整改 {long_term} 个；申请延期 {extensions} 个。",
        "As of {as_of}, {due} problems were due this quarter; {on_time} were fixed on time, an on-time rate of {on_time_rate}; {done} were fixed in all (late ones included), {done_rate}; {overdue} are overdue; {due_today} fall due that day and are not fixed yet; {carried} due in earlier quarters are still not fixed; {long_term} are long-term; {extensions} extensions were asked.";
    Definitions(start, end, as_of) =>
        "口径说明：到期应整改，指审核通过、未撤销、非长期整改，且整改时限（含经批准的延期）在本季度（{start}至{end}）内、不晚于{as_of}的问题，每个问题只在其整改时限所在季度计入一次；已整改，指截至{as_of}已报告整改完成（已整改待验收）或已销号的问题，以报告整改完成之日为准；按期整改率＝整改时限前已整改的问题数÷到期应整改问题数；逾期未整改，指到期应整改、截至{as_of}未整改且整改时限已过的问题；往期逾期仍未整改，指整改时限在本季度之前、截至{as_of}仍未整改的问题。各项比率四舍五入保留一位小数。",
        "Definitions: due means approved, not withdrawn, not long-term problems whose deadline (after any extension granted) falls in this quarter ({start} to {end}) and not after {as_of}; each problem is due once, in the quarter of its deadline. Fixed means reported done (awaiting acceptance) or closed by {as_of}, dated by the day it was reported done. The on-time rate is the problems fixed by their deadline divided by those due. Overdue means due, not fixed by {as_of}, and past its deadline. Carried over means due in an earlier quarter and still not fixed by {as_of}. Rates are rounded half up to one decimal.";
    ColDue => "到期应整改", "Due";
    ColOnTime => "按期整改", "On time";
    ColOnTimeRate => "按期整改率", "On-time rate";
    ColOverdue => "逾期未整改", "Overdue";
    ColCarried => "往期逾期未整改", "Carried over";
    ColDone => "已整改（含逾期后整改）", "Fixed (late ones included)";
    ColDueToday => "当日到期尚未整改", "Due that day, not fixed yet";
    ColLongTerm => "长期整改", "Long-term";
    ColNotDue => "未到期", "Not due yet";
    ColExtensions => "申请延期", "Extensions asked";
    CountRect(start, end, as_of) => "整改情况（{start}至{end}，截至{as_of}）", "Rectification ({start} to {end}, as of {as_of})";
    CountRectNote => "本栏为该季度（所选地区）全部已审核问题的整改情况，与季度通报所列相同，不受本清单其他筛选条件影响；每个问题只在其整改时限所在季度计入到期应整改，口径见通报的口径说明。",
        "These are the quarter's rectification figures for all approved problems (of the area chosen), the same as the quarterly bulletin's, whatever the list's other filters; each problem is due once, in the quarter of its deadline (see the bulletin's definitions).";
    Ranking => "六、排名", "6. Ranking";
    ColRank => "名次", "Rank";
    ColArea => "地区", "Area";
    ColInspected => "检查数", "Inspected";
    ColAverage => "平均得分", "Average score";
    ColProblems => "问题数", "Problems";
    SeeAttachments(warned) => "各党组织得分、等次和预警情况见附件1，预警名单（{warned} 个）见附件2，重点问题整改清单见附件3。",
        "Each organisation's score, grade and warning are in attachment 1, the warning list ({warned}) in attachment 2, the key problems' rectification in attachment 3.";
    ChartAreas => "各地区平均得分", "Average score by area";
    Requirements => "七、工作要求", "7. Requirements";
    ToBeAnnounced => "（另行通知）", "(to be announced)";
    NoneAtAll => "无。", "None.";
    ListedFirst(total, shown) => "（共 {total} 个，以上列出前 {shown} 个；其余见按地区（--area）生成的通报。）",
        "({total} in all; the first {shown} are listed above; the rest in the bulletins of each area (--area).)";
    Attachment1 => "各党组织得分、等次和预警情况", "Scores, grades and warnings of each Party organisation";
    Attachment2 => "预警名单", "Warning list";
    Attachment3 => "重点问题整改清单", "Rectification of the key problems";
    ColRankInArea => "名次", "Rank";
    ColOrg => "党组织", "Party organisation";
    ColScore => "得分", "Score";
    ColWarning => "预警", "Warning";
    ColRepeats => "重复问题", "Repeats";
    ColWhy => "预警原因", "Why";
    WarningListNote(as_of) => "预警按截至{as_of}的整改情况认定；问题整改到位后预警相应解除。", "Warnings as the rectification stood on {as_of}; a warning clears once its cause is fixed.";
    ExtractNote(as_of) => "列出截至{as_of}逾期未整改、往期逾期仍未整改的问题，以及本季度发现的严重问题。",
        "The problems overdue on {as_of}, those carried over from earlier quarters, and this quarter's serious problems.";
    ColNumber => "问题编号", "Number";
    ColDescription => "问题描述", "Problem";
    ColSeverity => "严重程度", "Severity";
    ColDeadline => "整改时限", "Deadline";
    ColResponsibleShort => "责任人", "Responsible";
    ColState => "情况", "State";
    StateOverdue => "逾期未整改", "overdue";
    StateCarried => "往期逾期未整改", "carried over";
    StateSerious => "严重问题", "serious";
    // --- the visit's documents: the handover sheet (问题交办单), the notice of on-the-spot
    // fixes (立行立改通知书) and the per-branch report (一支部一报告)
    HandoverTitle(org) => "{org}问题交办单", "Problems handed over to {org}";
    HandoverSheet => "问题交办单", "Handover";
    HvOrg => "被检查单位", "Organisation inspected";
    HvTime => "检查时间", "Inspected on";
    HvTeam => "检查组", "Inspection team";
    HvInspectors => "检查人员", "Inspectors";
    HvIntro(org, time, count) => "{time}，督查组按照\"四不两直\"方式对{org}进行了督查，发现以下 {count} 个问题，现交由你单位整改。",
        "On {time} the inspection team made an unannounced inspection of {org} and found the {count} problems below, handed over to you for rectification.";
    ColSeq => "序号", "No.";
    ColItem => "检查项", "Item";
    ColRequirement => "整改要求", "Requirement";
    ColResponsibleBoth => "整改责任单位/责任人", "Responsible unit / person";
    ColRectType => "整改类型", "Type";
    PendingNumber => "待审核", "pending review";
    OtherItem => "其他", "other";
    ItemWithText(id, text) => "{id} {text}", "{id} {text}";
    ImmediateBy(date) => "立行立改（{date}前）", "on the spot (by {date})";
    HvRequest => "请你单位对照上述问题，按照整改要求和整改时限逐项抓好整改，整改情况于期限届满后5个工作日内报送督查组。立行立改的问题见附件《立行立改通知书》。",
        "Please rectify each problem above as required and by its deadline, and report on it to the inspection team within 5 working days after the deadline. The problems to fix on the spot are in the attached notice.";
    HvRequestPlain => "请你单位对照上述问题，按照整改要求和整改时限逐项抓好整改，整改情况于期限届满后5个工作日内报送督查组。",
        "Please rectify each problem above as required and by its deadline, and report on it to the inspection team within 5 working days after the deadline.";
    SignTeam => "检查组（签字）", "Inspection team (signature)";
    SignBranch => "被检查单位负责人（签字）", "Head of the organisation inspected (signature)";
    ImmediateTitle => "立行立改通知书", "Notice of problems to fix on the spot";
    ImmediateSheet => "立行立改通知书", "On-the-spot fixes";
    ImmediateTo(org) => "{org}：", "To {org}:";
    ImmediateIntro(time, count) => "{time}督查中，发现你单位存在以下 {count} 个问题，须立行立改：",
        "The inspection on {time} found the following {count} problems, which must be fixed on the spot:";
    ImmediateRequest => "请你单位立即整改上述问题，当场能够整改的当场整改到位，不能当场整改的于所列时限内整改完毕，并将整改情况和佐证材料交检查组核实。",
        "Fix the problems above at once: on the spot where possible, otherwise within the time stated, and give the inspection team the results and evidence to check.";
    ReportTitle(org) => "{org}基层党建\"四不两直\"督查报告", "Unannounced inspection report: {org}";
    RpBasics => "一、基本情况", "1. Basic facts";
    RpOrg(org, level, field, parent) => "被检查党组织：{org}（{level}，{field}，上级党组织：{parent}）。", "Organisation: {org} ({level}, {field}, under {parent}).";
    RpRound(round, zh_quarter, en_quarter) => "督查批次：{round}（{zh_quarter}）。", "Round: {round} ({en_quarter}).";
    RpRoundTitle(round) => "督查批次：{round}。", "Round: {round}.";
    RpInspectors(names) => "检查人员：{names}。", "Inspectors: {names}.";
    RpArrival(time, state, note) => "到达时间：{time}；到达时情况：{state}{note}。", "Arrived: {time}; found: {state}{note}.";
    RpArrivalNote(note) => "（{note}）", " ({note})";
    RpChecks => "\"四不两直\"落实情况如下：", "How the visit kept to the unannounced rules:";
    Yes => "是", "yes";
    NotRecorded => "未记录", "not recorded";
    RpInterviewed(who) => "访谈对象：{who}。", "Interviewed: {who}.";
    RpRecords(what) => "查阅资料：{what}。", "Records read: {what}.";
    RpScoring => "二、得分情况", "2. Score";
    RpScore(score, total, grade, answered, applicable) => "得分 {score} 分（满分 {total} 分），等次：{grade}。已作出结论的检查项 {answered} 个，共 {applicable} 个。",
        "Score {score} of {total}, grade: {grade}. {answered} of {applicable} items have a verdict.";
    RpNoScore => "尚无检查结论，未计算得分。", "No verdict yet: no score.";
    RpWarning(warning, why) => "预警：{warning}预警（{why}）。", "Warning: {warning} ({why}).";
    RpNoWarning => "预警：无。", "Warning: none.";
    RpVeto(what, reason) => "一票否决：{what}（{reason}）。", "Veto: {what} ({reason}).";
    ColCategory => "类别", "Category";
    ColFullMarks => "满分", "Full marks";
    ColEarned => "得分", "Earned";
    ColItems => "检查项数", "Items";
    ColFails => "不符合", "Failed";
    ColPartly => "部分符合", "Partly met";
    RpFindings => "三、发现的问题", "3. Problems found";
    RpFindingHead(ordinal, number, item) => "（{ordinal}）{number}　{item}", "({ordinal}) {number}: {item}";
    RpFindingText(description, severity, kind, requirement, deadline, responsible, status) =>
        "问题描述：{description}。严重程度：{severity}；整改类型：{kind}；整改要求：{requirement}；整改时限：{deadline}；整改责任：{responsible}；整改状态：{status}。",
        "Problem: {description}. Severity: {severity}; type: {kind}; requirement: {requirement}; deadline: {deadline}; responsible: {responsible}; status: {status}.";
    RpNoFindings => "本次检查未发现问题。", "No problem was found.";
    RpStrengths => "四、好的方面", "4. Strengths";
    RpStrength(item, note) => "{item}：“{note}”", "{item}: \"{note}\"";
    RpFullCategories(list) => "以下方面各检查项均符合要求：{list}。", "Every item was met in: {list}.";
    RpRectification => "五、整改要求", "5. Rectification required";
    RpRectText(org, count, immediate, by_deadline, latest, long_term) =>
        "对本次发现的 {count} 个问题，{org}要逐项制定整改措施、明确责任人：立行立改问题 {immediate} 个，须立即整改到位；限期整改问题 {by_deadline} 个，须按各自时限完成，最迟于{latest}前完成；长期整改问题 {long_term} 个，须制定计划、持续推进。整改情况于期限届满后5个工作日内报送督查组。",
        "{org} is to fix each of the {count} problems with its own measures and person responsible: {immediate} at once, on the spot; {by_deadline} by their deadlines, the last by {latest}; {long_term} long-term, by a plan. Report on them to the inspection team within 5 working days after each deadline.";
    RpRectNone => "本次检查未发现问题，请继续保持。", "No problem was found: keep it up.";
    Verification(seq, hash) => "数据校验：审计链第 {seq} 条，{hash}（xuncha audit verify --head {seq}:{hash}）",
        "Check of the data: audit chain entry {seq}, {hash} (xuncha audit verify --head {seq}:{hash})";
    VerificationHub(hub, id, hash) => "数据校验：汇总库 {hub} 第 {id} 条变更，{hash}（xuncha.changes 表中 id = {id} 的 hash）",
        "Check of the data: change {id} of the hub {hub}, {hash} (the hash of id {id} in xuncha.changes)";
    LookbackText(visits, checked, held, rate, relapsed, not_done) =>
        "本季度开展整改“回头看”，复查 {visits} 个党组织的 {checked} 个原问题：已巩固 {held} 个（巩固率 {rate}），反弹 {relapsed} 个，未整改到位 {not_done} 个；反弹问题按重复问题重新交办，未整改到位的问题退回重改。",
        "This quarter's look-back rechecked {checked} earlier problems of {visits} Party organisations: {held} held (held rate {rate}), {relapsed} came back, {not_done} not done; problems that came back were handed over again as repeats, those not done were sent back.";
    // The escalation ladder's notices (督办通知单, 约谈通知): report::notice.
    NtSuperviseTitle => "督办通知单", "Supervision notice";
    NtTalkTitle => "约谈通知", "Notice of an admonition talk";
    NtIssuer => "督办单位", "Issued by";
    NtTalkIssuer => "约谈单位", "Called by";
    NtOrg => "被督办单位", "Organisation";
    NtTalkOrg => "被约谈单位", "Organisation";
    NtNumber => "编号", "Number";
    NtDate => "发出日期", "Date issued";
    NtTalkWho => "约谈对象", "To be talked to";
    NtTalkWhoValue(people) => "党组织主要负责人，整改责任人{people}", "the head of the Party organisation; those responsible: {people}";
    NtTalkWhen => "约谈时间", "Time of the talk";
    NtBlank => "＿＿＿＿＿＿", "______";
    NtSuperviseIntro(as_of, count) => "经核查，截至{as_of}，你单位下列 {count} 个问题已超过整改时限仍未整改到位，现予督办。",
        "As checked on {as_of}, the {count} problems below are past their deadlines and not yet fixed: they are hereby placed under supervision.";
    NtTalkIntro(as_of, count) => "经核查，截至{as_of}，你单位下列 {count} 个问题逾期较长时间仍未整改到位，或整改后重复发生。根据督查工作有关规定，决定对你单位党组织主要负责人和问题整改责任人进行约谈。",
        "As checked on {as_of}, the {count} problems below have long been overdue, or came back after being fixed. Under the inspection rules, the head of your Party organisation and those responsible are called to an admonition talk.";
    NtColOldDeadline => "原整改时限", "Deadline";
    NtColOver => "逾期天数", "Days overdue";
    NtColOverseer => "督促责任人", "Overseer";
    NtColReason => "约谈事由", "Reason";
    NtColNewDeadline => "新整改时限", "New deadline";
    NtDays(days) => "{days}天", "{days} days";
    NtOverBy(days) => "逾期{days}天", "{days} days overdue";
    NtRepeatOf(of) => "重复发生（原问题{of}）", "a repeat (of {of})";
    NtSuperviseRequest(date, office) => "请你单位高度重视，于{date}前将上述问题整改到位，并将整改情况及佐证材料书面报送{office}。逾期仍未整改到位的，将按规定对党组织主要负责人进行约谈。",
        "Fix these problems by {date} and report in writing, with evidence, to {office}. If they are still not fixed by then, the head of the organisation will be called to an admonition talk.";
    NtTalkRequest(when, place, date, office) => "请被约谈人于{when}到{place}接受约谈，携带问题整改情况书面说明及佐证材料。上述问题须于{date}前整改到位，整改情况书面报送{office}。",
        "Those called are to attend the talk at {when} at {place}, bringing a written account of the fixes with evidence. The problems are to be fixed by {date} and reported in writing to {office}.";
    NtSeal => "（盖章）", " (seal)";
    NtReceived => "签收人（签字）", "Received by (signature)";

    // --- templates fit each field: gates at their items, per-occurrence deductions (issue 14, point 6)
    RpVetoAtItem(what, item, reason) => "一票否决：{what}（由检查项 {item} 触发；{reason}）。", "Veto: {what} (triggered by item {item}; {reason}).";
    RpCounted(item, text, count, per, deducted) => "按次扣分：{item} {text}，发现 {count} 次，每次扣 {per} 分，扣 {deducted} 分。", "Per occurrence: {item} {text}, found {count} times, {per} each, {deducted} deducted.";

    // --- evidence files on findings (issue 14, point 1)
    RpFiles(list) => "附件：{list}。", "Files: {list}.";
    RpFile(id, name, size, sha) => "{id} {name}（{size}，SHA-256 {sha}…）", "{id} {name} ({size}, SHA-256 {sha}…)";
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_document_text_exists_in_both_languages_with_the_same_arguments() {
        crate::i18n::tests::check_table::<super::D>();
    }
}
