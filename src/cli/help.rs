//! The command line in the user's language. clap's derive takes the English texts of the doc
//! comments; under zh the built command is walked and every command's about and every argument's
//! help replaced from the table below, by command path and argument id, with clap's own words
//! (headings, usage, "possible values", "default", "env") in Chinese too. Help, completions and
//! man pages are all made from this one command, so they say the same things.

use super::Cli;
use crate::i18n::Lang;
use clap::builder::PossibleValue;
use clap::{Arg, Command, CommandFactory};
use std::ffi::OsString;

/// What each command does, by its path as typed after `xuncha` ("" is xuncha itself).
const COMMANDS: &[(&str, &str)] = &[
    ("", "巡查：基层党组织\"四不两直\"督查工具（离线运行，键盘操作，录入即保存）。不带命令运行时打开界面"),
    ("status", "数据文件夹里有什么"),
    ("template", "检查模板"),
    ("template list", "已加载的检查模板，以及加载失败的模板"),
    ("template show", "显示一个检查模板的全部内容"),
    ("template check", "检查模板文件（有错误时退出码为 2，并列出每一处错误）"),
    ("template new", "写出一个带注释的起始模板，供修改（不加 -o 时输出到标准输出）"),
    ("org", "组织名册"),
    ("org import", "导入名册（XLSX，或 UTF-8、UTF-16、GB18030 编码的 CSV）；要么全部导入，要么不导入"),
    ("org list", "以树形列出组织"),
    ("demo", "在空的数据文件夹中生成一套演示组织"),
    ("round", "督查批次"),
    ("round new", "新建督查批次：某个组织以下的全部党组织（--under，可加 --field），或随机抽查（--sample、--seed）"),
    ("round list", "督查批次及其进度"),
    ("round show", "批次中每个组织的进度、得分、等次和预警"),
    ("visit", "检查：纸质检查表"),
    ("visit sheet", "为一次检查写出空白检查表（CSV 或 XLSX），可打印填写或在 Excel 中填写"),
    ("visit import", "录入填好的检查表（全部录入或全不录入）"),
    ("finding", "问题"),
    ("finding withdraw", "撤销一个已审核的问题（保留问题编号，标记为已撤销）"),
    ("finding list", "问题清单，可限定批次和组织"),
    ("finding attach", "为问题添加照片、扫描件或文档（按 SHA-256 保存）"),
    ("finding files", "问题及其整改步骤的附件：短编号、SHA-256、大小、时间"),
    ("finding extract", "取出问题的一个附件（先核对 SHA-256）"),
    ("export", "导出：问题整改清单、季度通报、一次检查的问题交办单和督查报告"),
    ("export rectification", "已审核问题的问题整改清单"),
    ("export bulletin", "季度通报"),
    ("export handover", "检查结束时交给被检查党组织的问题交办单；有立行立改问题时附立行立改通知书"),
    ("export report", "一次检查的督查报告（一支部一报告）"),
    ("visit lookback", "回头看检查的原问题：各自的整改记录和回头看结论"),
    ("visit recheck", "对回头看检查中的原问题作结论：已巩固、反弹（新建一个重复该问题的问题）或未整改到位"),
    ("export notice", "督办层级的通知文书，每个单位一份并记入各问题的整改记录：督办通知单（--level 督办）或约谈通知（--level 约谈）"),
    ("rectify", "已审核问题的整改跟踪：改变整改状态，导入整改回执"),
    ("rectify due", "今天需要处理的问题：督办层级（提醒、督办、告诫约谈、问责建议），层级高的在前"),
    ("rectify import", "导入整改回执（CSV、XLSX 或 JSON），按问题编号对应"),
    ("rectify set", "改变一个问题的整改状态"),
    ("rectify attach", "为问题的整改添加照片、扫描件或文档（作为一个不改变状态的整改步骤）"),
    ("rectify extension", "批准或驳回延期申请（审核员操作）"),
    ("review", "督导审核已提交的检查"),
    ("review list", "待审核的检查，按提交先后排列"),
    ("review approve", "审核通过一次检查，或用 --round 批次 --all 审核通过一个批次中全部已提交的检查；问题随之获得问题编号"),
    ("review return", "把检查退回检查人，并填写意见"),
    ("audit", "审计日志"),
    ("audit verify", "核对哈希链以及每条数据记录；指出第一条断开的记录"),
    ("audit log", "谁在何时、在哪台电脑上改了什么"),
    ("whoami", "本机是谁：姓名、督查组、角色、本机编号、密钥指纹"),
    ("team", "督查组：人员、电脑和角色的名单"),
    ("team init", "以自己为组长建立督查组（在组长的电脑上）"),
    ("team request", "写出加入督查组的申请，交给组长（在成员的电脑上）"),
    ("team admit", "按加入申请把成员加入名单并给出角色（在组长的电脑上）"),
    ("team list", "督查组人员名单"),
    ("team numbering", "指定由哪位成员的电脑给出问题编号（在组长的电脑上）"),
    ("team remove", "把成员移出名单（在组长的电脑上）；此后不再接受他的电脑的变更"),
    ("bundle", "同步包：督查组的变更以签名文件在电脑之间传递"),
    ("bundle export", "把某位成员缺少的变更（或全部变更）写成签名的同步包"),
    ("bundle verify", "完整核对一个同步包，但不导入"),
    ("bundle import", "完整核对一个同步包，然后导入其中的变更"),
    ("bundle status", "督查组成员，以及与每人之间待发、待收的变更"),
    ("hub", "汇总库：督查组的变更经单位的 PostgreSQL 数据库传递"),
    ("hub init", "建立或升级汇总库的表、视图和角色（由单位的数据库管理员运行）"),
    ("hub push", "把本机有而汇总库缺少的本组变更发给汇总库"),
    ("hub pull", "从汇总库取回本机缺少的本组变更"),
    ("hub sync", "先上传，再取回"),
    ("hub allow", "允许数据库登录名为某督查组写入并读取其变更（汇总库管理员操作）"),
    ("hub status", "现在上传、取回各会传多少条变更"),
    ("hub refresh", "为单位的视图计算上次以来有变动的检查的得分、等次和预警（单位的定时任务）"),
    ("conflict", "两台电脑同时修改的字段：两个值都保留，等审核员选定"),
    ("conflict list", "全部冲突，及其各个值和写入人"),
    ("conflict resolve", "选定冲突的一个值（审核员操作）"),
    ("backup", "把整个数据文件夹写入一个 JSON lines 备份文件"),
    ("restore", "把备份文件恢复到空的数据文件夹"),
    ("completions", "输出 shell 自动补全脚本（bash、zsh、fish、powershell）"),
    ("man", "写出手册页：输出到标准输出，或用 -o 目录 为每个命令写一页"),
];

/// What each argument means, by "command path/argument id", or by the id alone for an argument
/// that means the same everywhere it appears (the global options, the help and version flags).
const ARGS: &[(&str, &str)] = &[
    ("data_dir", "数据文件夹（默认：本平台为 xuncha 准备的数据文件夹）"),
    ("lang", "界面和信息的语言"),
    ("doc_lang", "写给机关的文件（整改清单、通报）的语言：无论界面用哪种语言都用中文，除非指定 en"),
    ("inspector", "操作人（默认：配置文件中的名字，其次是系统用户名）"),
    ("role", "在界面中以检查人还是督导身份操作（默认：配置文件，其次是检查人）"),
    ("template_dirs", "另一个存放检查模板文件的文件夹（可多次给出）"),
    ("help", "显示帮助"),
    ("version", "显示版本"),
    ("format", "输出格式"),
    ("output", "要写出的文件"),
    ("label", "按此编码读取 CSV 文本，而不自动识别（utf-8、utf-16le、gbk、gb18030、big5、shift_jis、windows-1252 等）"),
    ("template show/id", "检查模板的编号（见 template list）"),
    ("template check/files", "要检查的模板文件"),
    ("template new/output", "要写出的文件（已存在时拒绝）"),
    ("org import/file", "名册文件"),
    ("org list/under", "只列出此组织及其下属组织"),
    ("demo/orgs", "组织个数（50 到 200000）"),
    ("team init/name", "你的姓名"),
    ("team init/team", "督查组名称，如 县委组织部督查一组"),
    ("team request/name", "你的姓名"),
    ("team request/output", "要写出的申请文件"),
    ("team admit/file", "加入申请文件"),
    ("team admit/roles", "inspector（检查员）、reviewer（审核员）、followup（督办员）；可多次给出"),
    ("team remove/name", "成员姓名"),
    ("team numbering/name", "成员姓名"),
    ("bundle export/output", "要写出的同步包文件"),
    ("bundle export/to", "发给哪位成员：只写他缺少的变更（按本机所知）"),
    ("bundle export/round", "只写这个批次的变更（以及同一台电脑更早的变更）"),
    ("bundle verify/file", "同步包文件"),
    ("bundle import/file", "同步包文件"),
    ("hub init/url", "汇总库地址：postgres://用户名@主机:端口/库名（密码放在 PGPASSWORD 或 ~/.pgpass）"),
    ("hub push/url", "汇总库地址：postgres://用户名@主机:端口/库名（密码放在 PGPASSWORD 或 ~/.pgpass）"),
    ("hub pull/url", "汇总库地址：postgres://用户名@主机:端口/库名（密码放在 PGPASSWORD 或 ~/.pgpass）"),
    ("hub sync/url", "汇总库地址：postgres://用户名@主机:端口/库名（密码放在 PGPASSWORD 或 ~/.pgpass）"),
    ("hub allow/url", "汇总库地址：postgres://用户名@主机:端口/库名（密码放在 PGPASSWORD 或 ~/.pgpass）"),
    ("hub allow/team", "督查组编号：组长电脑上 xuncha whoami 显示的编号"),
    ("hub allow/logins", "该组各台电脑的数据库登录名（属于 xuncha_laptop 角色）"),
    ("hub status/url", "汇总库地址：postgres://用户名@主机:端口/库名（密码放在 PGPASSWORD 或 ~/.pgpass）"),
    ("hub refresh/url", "汇总库地址：postgres://用户名@主机:端口/库名（密码放在 PGPASSWORD 或 ~/.pgpass）"),
    ("export bulletin/from_hub", "用单位汇总库的数据（而不是本机的）生成通报：postgres://用户名@主机:端口/库名"),
    ("conflict resolve/id", "冲突编号（见 conflict list）"),
    ("conflict resolve/take", "要保留的值的序号（从 1 起）"),
    (
        "demo/visited",
        "同时生成两个已使用的督查批次（上季度和本季度，内置模板），按此比例检查党组织，如 0.8：结论、问题、审核、问题编号、整改进展。0（默认）：只生成组织",
    ),
    ("demo/seed", "随机种子：同一种子生成同一棵组织树"),
    ("round new/title", "批次标题（默认：按季度生成）"),
    ("round new/quarter", "季度，例如 2026Q4（默认：当前季度）"),
    ("round new/template", "检查模板编号"),
    ("round new/under", "此编码以下的全部党组织（与 --sample 同用时：抽样的范围）"),
    ("round new/field", "只查这一领域"),
    ("round new/sample", "抽样比例：0.25、25 或 25%"),
    ("round new/seed", "抽样的随机种子，随批次记录"),
    ("round show/id", "批次编号（见 round list）"),
    ("visit sheet/round", "批次编号"),
    ("visit sheet/org", "被查党组织的编码"),
    ("visit sheet/format", "文件格式（不写时：文件名以 .xlsx 结尾为 xlsx，否则为 csv）"),
    ("visit sheet/output", "要写出的检查表文件"),
    ("visit import/file", "填好的检查表文件"),
    ("visit import/round", "批次编号"),
    ("visit import/submit", "检查项全部作出结论的检查随即提交审核"),
    ("finding withdraw/finding", "问题编号（2026Q4-0001）或问题的 id"),
    ("finding withdraw/reason", "撤销的理由"),
    ("finding list/round", "只列出此批次的问题"),
    ("finding list/org", "只列出此组织的问题"),
    ("finding attach/finding", "问题编号（2026Q4-0001）或问题的 id"),
    ("finding attach/file", "要添加的文件"),
    ("finding files/finding", "问题编号（2026Q4-0001）或问题的 id"),
    ("finding files/format", "输出格式"),
    ("finding extract/finding", "问题编号（2026Q4-0001）或问题的 id"),
    ("finding extract/id", "附件的短编号（或完整的 SHA-256）"),
    ("finding extract/output", "写到哪里（不覆盖已有文件）"),
    ("rectify attach/number", "问题编号，例如 2026Q4-0001"),
    ("rectify attach/file", "要添加的文件"),
    ("rectify attach/note", "文件说明了什么"),
    ("export rectification/round", "只导出此批次的问题"),
    ("export rectification/quarter", "只导出此季度的问题，例如 2026Q4"),
    ("export rectification/area", "只导出此编码以下组织的问题"),
    ("export rectification/field", "只导出此领域的问题"),
    ("export rectification/status", "只导出此整改状态的问题（待整改、整改中……，或 逾期）"),
    ("export rectification/severity", "只导出此严重程度的问题"),
    ("export rectification/format", "文件格式"),
    ("export bulletin/quarter", "季度，例如 2026Q4"),
    ("export bulletin/area", "只通报此编码以下的组织"),
    ("export bulletin/notes", "\"好的做法\"和\"工作要求\"的文字（带这两个标题的 Markdown 文件）"),
    ("export bulletin/format", "文件格式：docx 为公文，json 为全部数据，md、html 为预览"),
    ("export bulletin/as_of", "逾期和预警按此日认定（默认季度末，季度未结束时为今天）"),
    ("export bulletin/allow_empty", "本季度没有审核通过的检查时也生成（首页注明为空）"),
    ("export bulletin/number", "发文字号：12（按 [office] 的代字写成 示组通〔2026〕12号）或完整字号"),
    ("export bulletin/date", "成文日期，YYYY-MM-DD（默认今天）"),
    ("export handover/round", "批次编号（与 --org 同用）"),
    ("export handover/org", "被查党组织的编码（与 --round 同用）"),
    ("export handover/visit", "批次编号/组织编码（或 批次编号:组织编码），代替 --round 和 --org"),
    ("export handover/format", "文件格式：docx 为 Word 文档，xlsx 为按 A4 排好打印格式的表格"),
    ("export report/round", "批次编号（与 --org 同用）"),
    ("export report/org", "被查党组织的编码（与 --round 同用）"),
    ("export report/visit", "批次编号/组织编码（或 批次编号:组织编码），代替 --round 和 --org"),
    ("export report/format", "文件格式：docx 为 Word 文档（默认），md 为 Markdown 预览"),
    ("round new/revisit", "对该批次回头看：原批次有审核通过问题的组织，沿用原批次的模板"),
    ("visit lookback/round", "批次编号（与 --org 同用）"),
    ("visit lookback/org", "被查党组织的编码（与 --round 同用）"),
    ("visit lookback/visit", "批次编号/组织编码（或 批次编号:组织编码），代替 --round 和 --org"),
    ("visit lookback/format", "输出格式"),
    ("visit recheck/round", "批次编号（与 --org 同用）"),
    ("visit recheck/org", "被查党组织的编码（与 --round 同用）"),
    ("visit recheck/visit", "批次编号/组织编码（或 批次编号:组织编码），代替 --round 和 --org"),
    ("visit recheck/number", "原问题的编号"),
    ("visit recheck/mark", "已巩固、反弹或未整改到位"),
    ("visit recheck/note", "看到的情况"),
    ("visit recheck/clear", "清除结论"),
    ("export notice/level", "层级：督办（已超过整改时限的问题）或约谈（逾期较久或重复发生且逾期的问题）"),
    ("export notice/area", "只含该编码及其下属的组织"),
    ("export notice/as_of", "按这一天判断层级（默认今天）"),
    ("export notice/fix_by", "通知要求的整改期限，YYYY-MM-DD（默认发出日期后 15 天）"),
    ("export notice/when", "约谈时间（自由文字；不填则留空待手写）"),
    ("export notice/place", "约谈地点"),
    ("export notice/number", "文号：3（按 [office] 的 code 写成 示组督〔2026〕3号）或完整文号"),
    ("export notice/date", "发出日期，YYYY-MM-DD（默认今天）"),
    ("export notice/format", "文件格式：docx 为 Word 文档（默认），md 为 Markdown（两者同样记入各问题的整改记录）"),
    ("rectify due/as_of", "按此日判断（默认今天），YYYY-MM-DD"),
    ("rectify due/format", "输出格式"),
    ("rectify import/file", "整改回执文件"),
    ("rectify set/number", "问题编号，例如 2026Q4-0001"),
    ("rectify set/status", "新的整改状态"),
    ("rectify set/note", "整改进展说明"),
    ("rectify set/evidence", "佐证材料"),
    ("rectify set/deadline", "申请延期时：新的整改时限"),
    ("rectify extension/number", "问题编号，如 2026Q4-0001"),
    ("rectify extension/grant", "批准：整改时限改为申请的日期（或 --deadline 给出的日期）"),
    ("rectify extension/refuse", "驳回：整改时限不变；用 --note 写明理由"),
    ("rectify extension/deadline", "批准时：另定的新整改时限"),
    ("rectify extension/note", "理由（驳回时必填）"),
    ("rectify set/acceptor", "已销号时：验收人（不能是整改责任人）"),
    ("review list/round", "只列出此批次的检查"),
    ("review approve/visit", "批次编号:组织编码，与 review list 显示的一样"),
    ("review approve/round", "与 --all 同用：审核此批次中已提交的检查"),
    ("review approve/all", "审核通过 --round 批次中每一个可以通过的已提交检查；逐一列出通过的和未通过的检查（有未通过的，退出码为 2）"),
    ("review return/visit", "批次编号:组织编码，与 review list 显示的一样"),
    ("review return/comment", "退回意见"),
    (
        "audit verify/heads",
        "此前（随每次导出）显示的链头：序号:哈希。第 序号 条记录的哈希必须仍与之相同，由此发现从那里起被改写的审计链。可多次给出",
    ),
    ("audit log/org", "只列出此组织的记录"),
    ("audit log/round", "只列出此批次的记录"),
    ("backup/file", "备份文件"),
    ("restore/file", "备份文件"),
    ("completions/shell", "哪种 shell"),
    ("man/output", "为每个命令写一个手册页到此目录（不给出时把 xuncha 的手册页输出到标准输出）"),
];

/// The language of the help, decided before the arguments are parsed: `--lang` among them, else
/// `XUNCHA_LANG`, else the config file's `lang`; Chinese unless one of them says en.
pub fn lang_before_parsing(args: &[OsString], config_lang: Option<&str>) -> Lang {
    let mut value = None;
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            value = it.next().map(|v| v.into_owned());
        } else if let Some(v) = a.strip_prefix("--lang=") {
            value = Some(v.to_string());
        }
    }
    let value = value.or_else(|| std::env::var("XUNCHA_LANG").ok()).or_else(|| config_lang.map(str::to_string));
    if value.as_deref() == Some("en") { Lang::En } else { Lang::Zh }
}

/// The whole command line, built, in `lang`: what parses the arguments, prints the help and makes
/// the completion scripts and man pages.
pub fn command(lang: Lang) -> Command {
    let mut cmd = Cli::command().bin_name("xuncha");
    cmd.build();
    localize(&mut cmd, "", lang);
    cmd
}

fn lookup(table: &'static [(&'static str, &'static str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// The Chinese about of the command at `path`. clap's generated `help` subcommands have one text,
/// and the commands under them (`xuncha round help show`) those of the commands they name.
fn about_zh(path: &str) -> Option<&'static str> {
    let words: Vec<&str> = path.split(' ').collect();
    if words.last() == Some(&"help") {
        return Some("显示本帮助，或所给子命令的帮助");
    }
    match words.iter().position(|w| *w == "help") {
        Some(i) => lookup(COMMANDS, &[&words[..i], &words[i + 1..]].concat().join(" ")),
        None => lookup(COMMANDS, path),
    }
}

/// The Chinese help of argument `id` of the command at `path`.
fn arg_zh(path: &str, id: &str) -> Option<&'static str> {
    lookup(ARGS, &format!("{path}/{id}")).or_else(|| lookup(ARGS, id))
}

/// What clap would print after the help in brackets, in Chinese: the values, the default, the
/// environment variable.
fn suffix_zh(a: &Arg) -> String {
    let mut out = String::new();
    if !a.get_action().takes_values() {
        return out;
    }
    let values: Vec<String> =
        a.get_possible_values().iter().filter(|v| !v.is_hide_set()).map(PossibleValue::get_name).map(str::to_string).collect();
    if !values.is_empty() && !a.is_hide_possible_values_set() {
        out.push_str(&format!(" [可选值：{}]", values.join(", ")));
    }
    let defaults: Vec<String> = a.get_default_values().iter().map(|d| d.to_string_lossy().into_owned()).filter(|d| !d.is_empty()).collect();
    if !defaults.is_empty() && !a.is_hide_default_value_set() {
        out.push_str(&format!(" [默认：{}]", defaults.join(", ")));
    }
    if let Some(env) = a.get_env().filter(|_| !a.is_hide_env_set()) {
        out.push_str(&format!(" [环境变量：{}]", env.to_string_lossy()));
    }
    out
}

/// The options every command takes (data folder, language, who is acting…) are listed apart,
/// after the command's own, in both languages; under zh every text is replaced.
fn localize(cmd: &mut Command, path: &str, lang: Lang) {
    let mut c = std::mem::take(cmd);
    let global = if lang == Lang::Zh { "全局选项" } else { "Global options" };
    if lang == Lang::Zh {
        if let Some(about) = about_zh(path) {
            c = c.about(about).long_about(None);
        }
        c = c
            .help_template("{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
            .subcommand_help_heading("命令")
            .subcommand_value_name("命令");
    }
    c = c.mut_args(|a| {
        // At the top they are simply its options.
        let is_global = a.is_global_set() && !path.is_empty();
        let a = if lang == Lang::Zh {
            let heading = if a.is_positional() { "参数" } else { "选项" };
            let suffix = suffix_zh(&a);
            let a = match arg_zh(path, a.get_id().as_str()) {
                Some(help) => a.help(format!("{help}{suffix}")).long_help(None),
                None => a,
            };
            a.help_heading(heading).hide_possible_values(true).hide_default_value(true).hide_env(true)
        } else {
            a
        };
        if is_global { a.help_heading(global) } else { a }
    });
    for sub in c.get_subcommands_mut() {
        let sub_path = if path.is_empty() { sub.get_name().to_string() } else { format!("{path} {}", sub.get_name()) };
        localize(sub, &sub_path, lang);
    }
    *cmd = c;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and argument a person sees, with its path, in the built command.
    fn walk(cmd: &Command, path: &str, out: &mut Vec<(String, Option<String>, bool)>) {
        out.push((path.to_string(), None, cmd.is_hide_set()));
        for a in cmd.get_arguments() {
            out.push((path.to_string(), Some(a.get_id().to_string()), a.is_hide_set()));
        }
        for sub in cmd.get_subcommands() {
            let p = if path.is_empty() { sub.get_name().to_string() } else { format!("{path} {}", sub.get_name()) };
            walk(sub, &p, out);
        }
    }

    #[test]
    fn every_command_and_argument_has_its_help_in_both_languages() {
        let en = command(Lang::En);
        let mut seen = Vec::new();
        walk(&en, "", &mut seen);
        let mut missing = Vec::new();
        for (path, arg, hidden) in &seen {
            if *hidden || path.split(' ').any(|w| w == "help") {
                if arg.is_none() && about_zh(path).is_none() {
                    missing.push(format!("zh about of `{path}`"));
                }
                continue;
            }
            match arg {
                None => {
                    if about_zh(path).is_none() {
                        missing.push(format!("zh about of `{path}`"));
                    }
                }
                Some(id) => {
                    if arg_zh(path, id).is_none() {
                        missing.push(format!("zh help of `{path}` {id}"));
                    }
                    let a = find(&en, path).get_arguments().find(|a| a.get_id() == id).unwrap();
                    if a.get_help().is_none() {
                        missing.push(format!("en help (a doc comment) of `{path}` {id}"));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "missing:\n{}", missing.join("\n"));
    }

    #[test]
    fn every_entry_of_the_table_names_a_real_command_or_argument() {
        let mut seen = Vec::new();
        walk(&command(Lang::En), "", &mut seen);
        for (path, _) in COMMANDS {
            assert!(seen.iter().any(|(p, a, _)| p == path && a.is_none()), "no command `{path}`");
        }
        for (key, _) in ARGS {
            let found = match key.split_once('/') {
                Some((path, id)) => seen.iter().any(|(p, a, _)| p == path && a.as_deref() == Some(id)),
                None => seen.iter().any(|(_, a, _)| a.as_deref() == Some(*key)),
            };
            assert!(found, "no argument `{key}`");
        }
    }

    fn find<'a>(cmd: &'a Command, path: &str) -> &'a Command {
        path.split_whitespace().fold(cmd, |c, name| c.find_subcommand(name).unwrap())
    }

    #[test]
    fn the_language_is_known_before_parsing() {
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(lang_before_parsing(&args(&["xuncha", "--lang", "en", "--help"]), Some("zh")), Lang::En);
        assert_eq!(lang_before_parsing(&args(&["xuncha", "round", "--lang=en"]), None), Lang::En);
        assert_eq!(lang_before_parsing(&args(&["xuncha", "--lang", "zh"]), Some("en")), Lang::Zh);
        if std::env::var_os("XUNCHA_LANG").is_none() {
            assert_eq!(lang_before_parsing(&args(&["xuncha", "--", "--lang", "zh"]), Some("en")), Lang::En, "the config decides");
            assert_eq!(lang_before_parsing(&args(&["xuncha", "status"]), None), Lang::Zh);
        }
    }
}
