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
    Recipients(recipients) => "{recipients}：", "To: {recipients}";
    AttachmentItem(n, title) => "{n}. {title}", "{n}. {title}";
    AttachmentList(list) => "附件：{list}", "Attachments: {list}";
    AttachmentHead(n, title) => "附件{n}　{title}", "Attachment {n}: {title}";
    AttachmentMark(n) => "附件{n}", "Attachment {n}";
    Cc(cc) => "抄送：{cc}。", "Copy to: {cc}.";
    PrintedBy(by, on) => "{by}　　{on}印发", "Issued by {by}, {on}";

    // --- the quarterly bulletin
    BulletinTitle(zh_quarter, en_quarter) => "关于{zh_quarter}基层党建\"四不两直\"督查情况的通报",
        "Bulletin on the unannounced inspections of grassroots Party building, {en_quarter}";
    BulletinTitleArea(area, zh_quarter, en_quarter) => "关于{area}{zh_quarter}基层党建\"四不两直\"督查情况的通报",
        "Bulletin on the unannounced inspections of grassroots Party building in {area}, {en_quarter}";
    Example(org, description) => "{org}：{description}", "{org}: {description}";
    Repeated => "重复问题", "repeated problem";
    Dash => "-", "-";
    Sampled => "（随机抽样）", " (random sample)";
    InArea(area) => "{area}", " in {area}";
    Overview => "一、基本情况", "1. Overview";
    OverviewText(zh_quarter, en_quarter, rounds, inspectors, checked, by_level, area, population, coverage, sampled, by_field) =>
        "{zh_quarter}，按照\"四不两直\"方式开展督查（{rounds}），检查人员：{inspectors}。共检查基层党组织 {checked} 个（{by_level}），占{area}基层党组织总数 {population} 个的 {coverage}%{sampled}。按领域：{by_field}。",
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
    WarningsText(red, yellow, blue) => "三色预警：红色 {red} 个，黄色 {yellow} 个，蓝色 {blue} 个。",
        "Warnings: {red} red, {yellow} yellow, {blue} blue.";
    ChartGrades => "等次分布（个）", "Grades (organisations)";
    ChartWarnings => "三色预警（个）", "Warnings (organisations)";
    WarnRed => "红", "red";
    WarnYellow => "黄", "yellow";
    WarnBlue => "蓝", "blue";
    GoodPractice => "三、好的做法", "3. Good practice";
    SeeAttachment => "（见附件）", "(see the attachment)";
    Best(list) => "得分靠前的单位（通报表扬候选）：{list}。", "The highest scores (candidates for commendation): {list}.";
    BestUnit(org, area, score) => "{area}{org}（{score} 分）", "{org}, {area} ({score} points)";
    Problems => "四、存在的主要问题", "4. Main problems";
    ProblemsText(count, per_unit, by_category, by_severity, by_field, by_area) =>
        "共发现问题 {count} 个，平均每个党组织 {per_unit} 个。按类别：{by_category}。按严重程度：{by_severity}。按领域：{by_field}。按地区：{by_area}。",
        "{count} problems were found, {per_unit} per Party organisation. By category: {by_category}. By severity: {by_severity}. By field: {by_field}. By area: {by_area}.";
    TopItem(ordinal, text, count, examples) => "{ordinal}是{text}（{count} 个）。如{examples}。",
        "{ordinal}. {text} ({count}). For example: {examples}.";
    Criticised(list) => "通报批评：{list}。", "Criticised: {list}.";
    CriticisedUnit(org, area, why) => "{area}{org}（{why}）", "{org}, {area} ({why})";
    ChartCategories => "问题按类别（个）", "Problems by category";
    PrevRect => "五、上季度问题整改情况", "5. Rectification of last quarter's problems";
    PrevRectText(total, due, closed, rate, on_time, overdue, extended) =>
        "上季度共发现问题 {total} 个，到期应整改 {due} 个，已销号 {closed} 个，整改完成率 {rate}；按期完成率 {on_time}；逾期未完成 {overdue} 个；申请延期 {extended} 个。",
        "Last quarter {total} problems were found; {due} were due, {closed} closed: a rectification rate of {rate}, {on_time} on time; {overdue} overdue; {extended} extensions asked.";
    Ranking => "六、排名", "6. Ranking";
    ColRank => "名次", "Rank";
    ColArea => "地区", "Area";
    ColInspected => "检查数", "Inspected";
    ColAverage => "平均得分", "Average score";
    ColProblems => "问题数", "Problems";
    ColPrevRate => "上季度整改完成率", "Last quarter's rectification rate";
    RedNone => "红色预警名单：无。", "Red warnings: none.";
    RedList(list) => "红色预警名单：{list}。", "Red warnings: {list}.";
    RedUnit(org, area, score, why) => "{area}{org}（{score} 分，{why}）", "{org}, {area} ({score} points, {why})";
    ChartAreas => "各地区平均得分", "Average score by area";
    Requirements => "七、工作要求", "7. Requirements";
    ToBeAnnounced => "（另行通知）", "(to be announced)";
    Attachments => "附件：问题整改清单、得分与等次表、预警名单。", "Attachments: the rectification list, the scores and grades, the warning list.";
    Verification(seq, hash) => "数据校验：审计链第 {seq} 条，{hash}（xuncha audit verify --head {seq}:{hash}）",
        "Check of the data: audit chain entry {seq}, {hash} (xuncha audit verify --head {seq}:{hash})";
    VerificationHub(hub, id, hash) => "数据校验：汇总库 {hub} 第 {id} 条变更，{hash}（xuncha.changes 表中 id = {id} 的 hash）",
        "Check of the data: change {id} of the hub {hub}, {hash} (the hash of id {id} in xuncha.changes)";
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_document_text_exists_in_both_languages_with_the_same_arguments() {
        crate::i18n::tests::check_table::<super::D>();
    }
}
