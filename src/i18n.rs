//! Every user-visible string, in Chinese (default) and English.
//!
//! The language is process-wide: it is chosen once from `--lang` at start-up, so `Display` impls
//! of errors can render in the user's language without threading a parameter everywhere.

use std::fmt::Display;
use std::sync::atomic::{AtomicU8, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

static LANG: AtomicU8 = AtomicU8::new(0);

pub fn set_lang(lang: Lang) {
    LANG.store(lang as u8, Ordering::Relaxed);
}

pub fn lang() -> Lang {
    match LANG.load(Ordering::Relaxed) {
        1 => Lang::En,
        _ => Lang::Zh,
    }
}

/// Picks the text for the current language: `pick("中文", "English")`. Used by domain enums whose
/// labels are part of the data vocabulary (verdicts, severities) and live next to their parsers.
pub fn pick(zh: &'static str, en: &'static str) -> &'static str {
    match lang() {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Fills `{}` placeholders in order. Kept tiny on purpose: the strings are ours, not the user's.
pub fn fill(template: &str, args: &[&dyn Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    let mut args = args.iter();
    while let Some(pos) = rest.find("{}") {
        out.push_str(&rest[..pos]);
        match args.next() {
            Some(a) => out.push_str(&a.to_string()),
            None => out.push_str("{}"),
        }
        rest = &rest[pos + 2..];
    }
    out.push_str(rest);
    out
}

macro_rules! strings {
    ($($key:ident => $zh:expr, $en:expr;)*) => {
        /// A key for one user-visible string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum K { $($key),* }
        impl K {
            pub fn text(self) -> &'static str {
                match self { $(K::$key => pick($zh, $en)),* }
            }
            /// The string with its `{}` placeholders filled in order.
            pub fn fill(self, args: &[&dyn Display]) -> String {
                fill(self.text(), args)
            }
        }
    };
}

strings! {
    // --- general
    ErrorPrefix => "错误：", "error: ";
    Ok => "通过", "ok";
    DataDir => "数据文件夹", "data folder";
    Organisations => "组织", "organisations";
    Templates => "检查模板", "templates";
    Rounds => "督查批次", "rounds";
    Findings => "问题", "findings";
    AuditEntries => "审计记录", "audit entries";
    LaptopId => "本机编号", "laptop id";
    Inspector => "检查人", "inspector";
    StatusHint => "运行 xuncha（不带命令）打开界面；xuncha --help 查看全部命令。", "Run xuncha with no command for the screens; xuncha --help lists every command.";
    TemplateFailed => "未加载", "not loaded";

    // --- store
    StoreInUse => "数据文件夹 {} 已被另一个 xuncha 打开；请先关闭它。", "the data folder {} is open in another xuncha; close that one first.";
    StoreNotWritable => "数据文件夹 {} 不可写：{}", "the data folder {} is not writable: {}";
    StoreNewer => "数据文件夹 {} 由更新版本的 xuncha 写入（数据格式 {}，本程序支持到 {}）；请升级 xuncha。",
        "the data folder {} was written by a newer xuncha (schema {}, this program knows up to {}); upgrade xuncha.";
    StoreCorrupt => "数据文件夹 {} 已损坏（{}）。出路：换一个空文件夹，用 xuncha --data-dir 新文件夹 restore 备份文件 恢复。",
        "the data folder {} is damaged ({}). Way out: restore your latest backup into an empty folder: xuncha --data-dir NEW restore BACKUP.";
    StoreIo => "读写数据失败：{}", "store read/write failed: {}";
    StoreBadRecord => "数据记录 {}/{} 无法读取：{}", "record {}/{} cannot be read: {}";
    RestoreNotEmpty => "数据文件夹 {} 不是空的：恢复只能写入空的数据文件夹。", "the data folder {} is not empty: restore only writes into an empty data folder.";
    BackupBad => "备份文件 {} 第 {} 行：{}", "backup file {} line {}: {}";
    BackupUnreadable => "备份文件 {}：{}", "backup file {}: {}";
    BackupTruncated => "备份文件不完整（缺少结尾记录，可能被截断）", "the backup is incomplete (no end record: it was probably cut short)";
    BackupCountMismatch => "记录数不符：结尾记录说 {} 条，实际 {} 条", "record count mismatch: the end record says {}, found {}";
    BackupNotBackup => "不是 xuncha 备份文件（第一行应为备份文件头）", "not a xuncha backup (the first line must be the backup header)";
    BackupWritten => "已备份 {} 条记录到 {}", "backed up {} records to {}";
    RestoreDone => "已从 {} 恢复 {} 条记录", "restored {} records from {}";
    AuditOk => "审计链完整：{} 条记录，末条哈希 {}", "audit chain intact: {} entries, last hash {}";
    AuditBroken => "审计链在第 {} 条记录处断开：{}", "the audit chain breaks at entry {}: {}";
    AuditGap => "缺少序号 {}", "sequence number {} is missing";
    AuditPrevMismatch => "前一条哈希不符", "previous-hash does not match";
    AuditHashMismatch => "内容与哈希不符（记录被改动过）", "content does not match its hash (the entry was edited)";
    AuditUnreadable => "无法读取：{}", "unreadable: {}";
    AuditHeadMismatch => "链头记录与最后一条不符", "the chain head does not match the last entry";
    // --- store integrity
    StoreDiskFull => "数据文件夹 {} 所在磁盘空间已满：这次操作没有写入（已有数据完好，没有写了一半的内容）。请腾出磁盘空间后重试。",
        "the disk of the data folder {} is full: this operation wrote nothing (the data already there is whole, nothing is half-written). Free some space and retry.";
    StoreDiskFullSomewhere => "磁盘空间已满：这次操作没有写入（已有数据完好，没有写了一半的内容）。请腾出磁盘空间后重试。",
        "the disk is full: this operation wrote nothing (the data already there is whole, nothing is half-written). Free some space and retry.";
    FileDiskFull => "{}：磁盘空间已满，文件没有写成（没有留下写了一半的文件）。请腾出磁盘空间后重试。",
        "{}: the disk is full, the file was not written (no half-written file is left). Free some space and retry.";
    AuditPinMismatch => "第 {} 条的哈希与给定的链头不符（给定 {}，实为 {}）：审计链从这里或更早处被改写过",
        "entry {} does not have the hash of the given head (given {}, found {}): the chain was rewritten from there or earlier";
    AuditPinBeyond => "给定的链头 #{} 超出了审计链（现只有 {} 条）：审计链被截短或改写过",
        "the given head #{} is beyond the chain (it now has {} entries): the chain was cut short or rewritten";
    AuditPinBad => "--head 应为 序号:哈希（哈希为 64 位十六进制，如导出时打印的链头），收到 \"{}\"",
        "--head must be SEQ:HASH (a 64-digit hex hash, as printed with every export), got \"{}\"";
    AuditHeadLine => "审计链头：#{} {}", "audit chain head: #{} {}";
    AuditRecordsOk => "数据记录与审计日志一致：{} 条", "records match the audit log: {}";
    AuditPinsOk => "与给定的链头相符：{}", "matches the given heads: {}";
    AuditRecordBroken => "数据记录 {}/{} 与审计日志不符：{}", "record {}/{} does not match the audit log: {}";
    AuditRecordEdited => "内容与审计日志第 {} 条记下的哈希不符（在 xuncha 之外被改动过）",
        "its content does not match the hash audit entry {} holds (changed outside xuncha)";
    AuditRecordUnlogged => "审计日志中没有写入它的记录（在 xuncha 之外被加入）", "no audit entry wrote it (added outside xuncha)";
    AuditRecordNoHash => "最后写入它的审计记录（第 {} 条）没有记下哈希", "the audit entry that last wrote it ({}) holds no hash";
    AuditRecordDeleted => "审计日志第 {} 条已将它删除，但它仍在（在 xuncha 之外被加回）",
        "audit entry {} deleted it, yet it is there (put back outside xuncha)";
    AuditRecordMissing => "审计日志第 {} 条写入了它，但它已不在（在 xuncha 之外被删除）",
        "audit entry {} wrote it, yet it is gone (deleted outside xuncha)";
    BackupUnknownVersion => "备份格式版本 {} 无法识别（本程序读取版本 {}）", "unknown backup format version {} (this program reads version {})";
    BackupUnknownSchema => "数据格式 {} 无法识别", "unknown schema {}";
    BackupAfterEnd => "结尾记录之后还有内容", "content after the end record";
    BackupNotUtf8 => "不是 UTF-8 文本", "not UTF-8 text";
    BackupBadLine => "无法读取：{}", "unreadable: {}";
    BackupUnknownTree => "未知的数据表 \"{}\"", "unknown tree \"{}\"";
    BackupBadKey => "键无法读取（不是 {} 表的键）", "unreadable key (not a key of the {} tree)";
    BackupDuplicate => "与第 {} 行重复（同一数据表、同一键）", "the same tree and key as line {}";
    BackupBadValue => "{} 记录无法读取：{}", "{} record unreadable: {}";
    BackupKeyMismatch => "键 {} 与记录内容不符（内容的键是 {}）", "the key {} does not match the record (its content gives {})";
    BackupMetaMissing => "缺少元数据 {}", "no {} record";
    BackupMetaBad => "元数据 {} 无法读取：{}", "meta {} unreadable: {}";
    BackupSchemaMismatch => "数据格式 {} 与文件头的 {} 不符", "schema {} differs from the header's {}";
    BackupTemplateHash => "检查模板快照的哈希与其正文不符（正文被改动过）", "the template snapshot's hash does not match its text (the text was edited)";
    BackupIndexValue => "索引项不应有值", "an index entry must have no value";
    BackupIndexExtra => "索引项没有对应的记录", "an index entry without its record";
    BackupIndexMissing => "缺少这条记录的索引项 {}/{}", "this record's index entry {}/{} is missing";
    BackupNoParent => "上级组织 {} 不在备份中", "the parent organisation {} is not in the backup";
    BackupOrgCycle => "上级关系成环：{}", "the parents form a cycle: {}";
    BackupNoTemplate => "检查模板快照 {} 不在备份中", "the template snapshot {} is not in the backup";
    BackupTemplateId => "批次的模板 {} 与模板快照的 {} 不符", "the round's template {} differs from the snapshot's {}";
    BackupNoRound => "督查批次 {} 不在备份中", "the round {} is not in the backup";
    BackupNoOrg => "组织 {} 不在备份中", "the organisation {} is not in the backup";
    BackupNoVisit => "检查（批次 {}，组织 {}）不在备份中", "the visit (round {}, organisation {}) is not in the backup";
    BackupNoItem => "检查项 {} 不在批次的模板 {} 中", "the item {} is not in the round's template {}";
    BackupAuditRecord => "与审计日志不符：{}", "does not match the audit log: {}";
    BackupAuditMissing => "数据记录 {}/{} 不在备份中：{}", "the record {}/{} is not in the backup: {}";

    // --- templates
    TplSyntax => "TOML 语法错误：{}", "TOML syntax error: {}";
    TplUnknownKey => "未知的键 \"{}\"，可用的键：{}", "unknown key \"{}\", expected one of: {}";
    TplMissingKey => "缺少键 \"{}\"", "missing key \"{}\"";
    TplWrongType => "\"{}\" 应为{}", "\"{}\" must be {}";
    TplDuplicateId => "重复的编号 \"{}\"（第一次出现在第 {} 行）", "duplicate id \"{}\" (first used on line {})";
    TplBadValue => "\"{}\" 的值 \"{}\" 无效，应为：{}", "\"{}\" has the invalid value \"{}\", expected one of: {}";
    TplItemPointsSum => "分类 \"{}\" 的分值为 {}，但其检查项合计 {}", "category \"{}\" is worth {} points but its items add up to {}";
    TplTotalPointsSum => "各分类合计 {} 分，应为 {}", "the categories add up to {} points, expected {}";
    TplNoGrades => "至少需要一个等次（grades）", "at least one grade band (grades) is needed";
    TplLowestGrade => "最低等次的 min_score 必须为 0", "the lowest grade band must have min_score = 0";
    TplGradeOrder => "等次须按 min_score 从高到低排列", "grade bands must be listed from the highest min_score down";
    TplUnknownGrade => "未定义的等次 \"{}\"，已定义：{}", "unknown grade \"{}\", defined: {}";
    TplEmpty => "\"{}\" 不能为空", "\"{}\" must not be empty";
    TplRange => "\"{}\" 应在 {} 到 {} 之间", "\"{}\" must be between {} and {}";
    TplNotUtf8 => "文件不是 UTF-8 文本", "the file is not UTF-8 text";
    TplRead => "无法读取：{}", "cannot be read: {}";
    TplDuplicateTemplate => "模板 {} 版本 {} 已由 {} 加载", "template {} version {} is already loaded from {}";
    TplChecked => "{}：通过（{}，{} 个分类，{} 个检查项，{} 项否决）", "{}: ok ({}, {} categories, {} items, {} veto gates)";
    TplNotFound => "没有编号为 \"{}\" 的模板；已加载：{}", "no template with id \"{}\"; loaded: {}";
    TplErrorsFound => "{} 个模板文件有错误", "{} template files have errors";
    TypeString => "字符串", "a string";
    TypeInteger => "整数", "an integer";
    TypeNumber => "数字", "a number";
    TypeBool => "布尔值（true 或 false）", "true or false";
    TypeArray => "数组", "an array";
    TypeTable => "表", "a table";
    TypeStringArray => "字符串数组", "an array of strings";

    // --- roster
    RosterUnknownColumn => "名册文件 {} 第 1 行第 {} 列：未知的列名 \"{}\"", "roster file {} line 1 column {}: unknown column \"{}\"";
    RosterDuplicateColumn => "名册文件 {} 第 1 行第 {} 列：列 \"{}\" 重复", "roster file {} line 1 column {}: column \"{}\" appears twice";
    RosterRowError => "第 {} 行第 {} 列（{}）：{}", "line {} column {} ({}): {}";
    RosterRejected => "名册文件 {} 有 {} 处错误，未导入任何数据：", "the roster file {} has {} errors; nothing was imported:";
    RowMissing => "不能为空", "must not be empty";
    RowDuplicateCode => "编码 \"{}\" 重复（第一次出现在第 {} 行）", "code \"{}\" appears twice (first on line {})";
    RowUnknownParent => "上级编码 \"{}\" 不存在（文件和数据中都没有）", "parent code \"{}\" exists neither in the file nor in the store";
    RowCycle => "上级关系成环：{}", "the parent chain makes a cycle: {}";
    RowSelfParent => "上级编码不能是自己", "an organisation cannot be its own parent";
    RowBadLevel => "无法识别的层级 \"{}\"，可用：{}", "unknown level \"{}\", expected one of: {}";
    RowBadField => "无法识别的领域 \"{}\"，可用：{}", "unknown field \"{}\", expected one of: {}";
    RowFieldNeeded => "层级为 {} 的组织需要领域（上级中也没有可继承的领域）", "an organisation at level {} needs a field (and no parent has one to inherit)";
    RowBadMembers => "党员数 \"{}\" 不是非负整数", "member count \"{}\" is not a whole non-negative number";
    RosterIgnoredColumns => "已忽略不认识的列：{}", "ignored unknown columns: {}";
    RosterImported => "名册已导入：新增 {}，更新 {}，未变 {}", "roster imported: {} added, {} updated, {} unchanged";

    // --- reading user files (tabular)
    KindRoster => "名册", "roster";
    KindSheet => "检查表", "visit sheet";
    KindFollowUp => "整改回执", "follow-up list";
    FileRead => "无法读取{} {}：{}", "cannot read the {} {}: {}";
    FileTooBig => "{} {} 有 {} MB，超过了 {} MB 的上限", "the {} {} is {} MB, more than the limit of {} MB";
    FileEmpty => "{} {} 是空的", "the {} {} is empty";
    FileBinary => "{} {} 不是 CSV 或 XLSX（看起来是二进制文件，例如旧版 .xls、加密的表格或 PDF）；请另存为 .xlsx 或 CSV",
        "the {} {} is neither CSV nor XLSX (it looks binary: an old .xls, an encrypted workbook or a PDF); save it as .xlsx or CSV";
    FileEncodingGuess => "{} {} 的编码看起来是{}，不是 UTF-8 或 GB18030（GBK）。请另存为 UTF-8（Excel：另存为“CSV UTF-8（逗号分隔）”），或确认编码无误后加 --encoding {} 再导入",
        "the {} {} seems to be encoded as {}, not UTF-8 or GB18030 (GBK). Save it as UTF-8 (Excel: Save As \"CSV UTF-8 (Comma delimited)\"), or, if that encoding is right, import it with --encoding {}";
    FileUndecodable => "{} {} 第 {} 行不是有效的 {} 文本；请另存为 UTF-8，或用 --encoding 指定文件的实际编码",
        "the {} {} line {} is not valid {} text; save it as UTF-8, or pass --encoding with the file's real encoding";
    FileXlsx => "{} {} 不是可读的 XLSX 文件（{}）", "the {} {} is not a readable XLSX file ({})";
    FileNoSheet => "没有工作表", "it has no worksheet";
    FilePartTooBig => "{} {} 中的 {} 解压后超过 {} MB（可能是“压缩炸弹”），已拒绝", "the {} {}: its part {} unpacks to more than {} MB (perhaps a zip bomb); refused";
    FileTooManyRecords => "{} {} 中的 {} 有超过 {} 条记录（共享字符串、格式或目录），已拒绝", "the {} {}: its part {} holds more than {} records (shared strings, formats or entries); refused";
    FilePartRunTooLong => "{} {} 中的 {} 有一段超过 {} MB 的连续内容，远超单元格长度上限，已拒绝",
        "the {} {}: its part {} holds a run of more than {} MB without markup, far beyond the cell length limit; refused";
    FileCsv => "{} {} 第 {} 行：CSV 格式错误（{}）", "the {} {} line {}: CSV format error ({})";
    FileDeclaredOutOfBounds => "{} {} 的工作表声明范围到 {}，超出可读范围：最多 {} 行、{} 列（到 {}）；请只保留有数据的区域后另存", "the {} {}: its worksheet declares cells up to {}, outside the readable area of {} rows and {} columns (up to {}); keep only the filled area and save it again";
    FileCellOutOfBounds => "{} {} 的单元格 {} 超出可读范围：最多 {} 行、{} 列（到 {}）", "the {} {}: cell {} is outside the readable area of {} rows and {} columns (up to {})";
    FileTooManyRows => "{} {} 超过了 {} 行的上限（在第 {} 行）", "the {} {} has more than {} rows (at line {})";
    FileTooManyColumns => "{} {} 第 {} 行有 {} 列，超过了 {} 列的上限", "the {} {} line {} has {} columns, more than the limit of {}";
    FileTooManyCells => "{} {} 的单元格超过了 {} 个的上限（在第 {} 行）", "the {} {} has more than {} cells (at line {})";
    FileCellTooLong => "{} {} {}：有 {} 个字符，超过了每个单元格 {} 个字符的上限", "the {} {} {}: {} characters, more than the limit of {} per cell";
    FileTooMuchText => "{} {} 的文字超过了 {} MB 的上限（在第 {} 行）", "the {} {} holds more than {} MB of text (at line {})";
    FileMissingColumns => "{} {} 缺少列：{}（表头应包含：{}）", "the {} {} lacks the columns: {} (the header must have: {})";
    PlaceCell => "单元格 {}", "cell {}";
    PlaceLine => "第 {} 行第 {} 列", "line {} column {}";
    EncodingUnknown => "未知的编码名称 \"{}\"（可用如 utf-8, utf-16le, utf-16be, gbk, gb18030, big5, shift_jis, euc-kr, windows-1252）",
        "unknown encoding \"{}\" (use a name such as utf-8, utf-16le, utf-16be, gbk, gb18030, big5, shift_jis, euc-kr, windows-1252)";
    EncBig5 => "繁体中文 Big5", "Traditional Chinese (Big5)";
    EncJapanese => "日文", "Japanese";
    EncKorean => "韩文", "Korean";
    EncWestern => "西欧 Latin-1", "Western European (Latin-1)";
    EncCentralEuropean => "中欧文字", "Central European";
    EncCyrillic => "西里尔文（俄文等）", "Cyrillic (Russian and others)";
    EncGreek => "希腊文", "Greek";
    EncTurkish => "土耳其文", "Turkish";
    EncHebrew => "希伯来文", "Hebrew";
    EncArabic => "阿拉伯文", "Arabic";
    EncBaltic => "波罗的海文字", "Baltic";
    EncThai => "泰文", "Thai";
    EncVietnamese => "越南文", "Vietnamese";
    OsDetail => "{}（{}）", "{} ({})";
    OsNotFound => "文件不存在", "the file does not exist";
    OsPermissionDenied => "没有权限访问", "permission denied";
    OsIsADirectory => "这是文件夹，不是文件", "it is a folder, not a file";
    OsNotADirectory => "路径中有一段不是文件夹", "a part of the path is not a folder";
    OsInvalidFilename => "文件名无效", "the file name is invalid";
    OsBusy => "文件正被其他程序占用", "the file is in use by another program";
    OsTimedOut => "读写超时（网络盘或移动硬盘是否已断开？）", "timed out (is a network or removable drive disconnected?)";
    OsStorageFull => "磁盘已满", "the disk is full";
    OsReadOnly => "磁盘是只读的", "the disk is read-only";
    OsFileTooLarge => "文件太大", "the file is too large";
    OsOutOfMemory => "内存不足", "out of memory";
    OsUnexpectedEof => "文件意外结束（可能不完整）", "the file ends unexpectedly (it may be incomplete)";
    OsInvalidData => "文件内容无效", "the file's content is invalid";
    OsOther => "操作系统报告了错误", "the operating system reported an error";

    // --- orgs
    OrgNotFound => "没有编码为 \"{}\" 的组织", "no organisation with code \"{}\"";
    ColCode => "编码", "code";
    ColName => "名称", "name";
    ColParent => "上级编码", "parent";
    ColLevel => "层级", "level";
    ColField => "领域", "field";
    ColSecretary => "书记", "secretary";
    ColMembers => "党员数", "members";
    ColId => "编号", "id";
    ColVersion => "版本", "version";
    ColTitle => "标题", "title";
    ColCategories => "分类", "categories";
    ColItems => "检查项", "items";
    ColSource => "来源", "source";
    ColPoints => "分值", "points";
    PointsUnit => "分", "points";
    ColText => "内容", "text";
    ColMethods => "方法", "methods";
    ColSeverity => "默认严重程度", "default severity";
    VetoGates => "一票否决", "veto gates";
    GradeBands => "等次", "grade bands";
    Warnings => "预警", "warnings";
    AllFields => "全部领域", "all fields";
    SourceBuiltin => "内置", "built-in";

    // --- rounds and visits
    RoundNotFound => "没有编号为 {} 的督查批次", "no round with id {}";
    RoundNoOrgs => "督查批次至少要包含一个组织", "a round needs at least one organisation";
    OrgNotInRound => "组织 {} 不在督查批次 {} 中", "organisation {} is not in round {}";
    ItemNotFound => "模板 {} 中没有检查项 {}", "template {} has no item {}";
    ItemNotForField => "检查项 {} 不适用于领域 {}", "item {} does not apply to the field {}";
    SnapshotMissing => "找不到督查批次所用的模板快照 {}", "the template snapshot {} used by the round is missing";
    VisitLocked => "{} 的检查状态为{}，不能再修改", "the visit of {} is {} and can no longer be changed";
    SheetRejected => "检查表 {} 有 {} 处错误，未录入任何数据：", "the sheet {} has {} errors; nothing was recorded:";

    RoundNoneInScope => "所选范围内没有可检查的党组织（党委、党总支、党支部）", "no Party organisations (committees, general branches, branches) in the chosen scope";
    SampleRate => "抽样比例应在 0 到 100% 之间（不含 0）", "the sampling rate must be above 0 and at most 100%";
    TitleEmpty => "标题不能为空", "the title must not be empty";
    VisitSubmitted => "已提交：{}", "submitted: {}";
    VetoUnknown => "模板中没有否决项 {}", "the template has no veto gate {}";
    ReasonEmpty => "请填写原因", "a reason is needed";
    DescEmpty => "问题描述不能为空", "the description must not be empty";
    DeadlinePast => "整改时限 {} 早于今天", "the deadline {} is in the past";
    DeadlineBad => "无法识别的日期 \"{}\"：应为 2026-12-31 或 +30（天）", "unrecognised date \"{}\": expected 2026-12-31 or +30 (days)";
    DeadlineNeeded => "限期整改需要整改时限", "a rectification by deadline needs a deadline";
    FindingNotFound => "没有编号为 {} 的问题", "no finding with id {}";
    NotEditable => "该问题已审核通过，检查人不能再修改", "this finding has been approved and can no longer be edited by an inspector";

    WarnRed => "红", "red";
    WarnYellow => "黄", "yellow";
    WarnBlue => "蓝", "blue";
    DefaultRoundTitle => "{}基层党建\"四不两直\"督查", "Unannounced inspection of grassroots Party building, {}";
    RoundScopeNeeded => "请用 --under 编码 选择范围，或用 --sample 比例 抽样", "choose the scope with --under CODE, or sample with --sample RATE";
    RoundCreated => "已创建督查批次 {}（{}），{} 个党组织", "round {} created ({}), {} Party organisations";
    SheetWritten => "已写出检查表 {}", "visit sheet written to {}";
    SheetImported => "已录入 {} 个结论、{} 个问题", "recorded {} verdicts and {} findings";
    OtherItem => "其他", "other";
    ColQuarter => "季度", "quarter";
    ColProgress => "进度", "progress";
    ColSubmitted => "已提交", "submitted";
    ColStatus => "状态", "status";
    ColScore => "得分", "score";
    ColGrade => "等次", "grade";
    ColWarning => "预警", "warning";
    ColNumber => "问题编号", "number";
    ColItem => "检查项", "item";
    ColSeverityShort => "严重程度", "severity";
    ColRectType => "整改类型", "type";
    ColDeadline => "整改时限", "deadline";
    ColResponsible => "责任人", "responsible";
    ColDescription => "问题描述", "description";

    // --- keys (help)
    HelpQuit => "退出", "quit";
    HelpHelp => "本屏按键", "keys of this screen";
    HelpBack => "返回", "back";
    HelpUp => "上移", "up";
    HelpDown => "下移", "down";
    HelpPageUp => "上翻一页", "page up";
    HelpPageDown => "下翻一页", "page down";
    HelpOpen => "打开", "open";
    HelpNewRound => "新建督查批次", "new round";
    HelpSearch => "搜索（名称、编码、拼音首字母）", "search (name, code, pinyin initials)";
    HelpFilterStatus => "按状态筛选", "filter by status";
    HelpFilterField => "按领域筛选", "filter by field";
    HelpFilterArea => "按地区筛选", "filter by area";
    HelpMeets => "符合", "meets";
    HelpFails => "不符合（并记录问题）", "fails (and record a finding)";
    HelpPartly => "部分符合", "partly meets";
    HelpNotApplicable => "不适用", "not applicable";
    HelpClear => "清除结论", "clear the verdict";
    HelpEditNote => "编辑说明", "edit the note";
    HelpAddFinding => "记录问题", "add a finding";
    HelpAddOther => "记录其他问题（不属于检查项）", "add a finding outside the checklist";
    HelpEditFinding => "修改本项的问题", "edit this item's finding";
    HelpNextUnanswered => "下一个未作结论的检查项", "next item without a verdict";
    HelpSubmit => "提交本次检查", "submit the visit";
    HelpVeto => "一票否决项", "veto gates";
    HelpVisitInfo => "到达情况与\"四不两直\"", "arrival and the unannounced checks";
    HelpNextField => "下一栏", "next field";
    HelpPrevField => "上一栏", "previous field";
    HelpSave => "保存", "save";
    HelpReviewQueue => "审核队列（督导）", "review queue (supervisor)";
    HelpToggleRole => "切换检查人 / 督导身份", "switch between inspector and supervisor";
    HelpHistory => "本项的修改记录", "history of this item";
    HelpApproveFinding => "通过本问题", "approve this finding";
    HelpReturnFinding => "退回本问题（填写意见）", "return this finding (with a comment)";
    HelpCorrectFinding => "修正本问题（记为督导的修改）", "correct this finding (recorded as yours)";
    HelpApproveVisit => "整体通过本次检查", "approve the whole visit";
    HelpReturnVisit => "退回本次检查（填写意见）", "return the visit (with a comment)";
    HelpChecklist => "查看检查表（只读）", "view the checklist (read only)";
    HelpBoard => "整改台账", "rectification board";
    HelpStats => "统计", "statistics";
    HelpFilterQuarter => "按季度筛选", "filter by quarter";
    HelpFilterRound => "按督查批次筛选", "filter by round";
    HelpFilterSeverity => "按严重程度筛选", "filter by severity";
    HelpSort => "按时限 / 地区排序", "sort by deadline / area";
    HelpChangeStatus => "更改整改状态", "change the rectification status";
    HelpExport => "按当前筛选导出整改清单（xlsx）", "export the list with this filter (xlsx)";
    KeysBad => "按键文件 {} 有误，已使用默认按键：{}", "the keys file {} is invalid, using the default keys: {}";

    // --- screens
    AppTitle => "巡查", "xuncha";
    Saved => "已保存", "saved";
    HelpHint => "? 按键", "? keys";
    ScreenRounds => "督查批次", "Rounds";
    NoRounds => "还没有督查批次。按 n 新建。", "No rounds yet. Press n to start one.";
    ScreenNewRound => "新建督查批次", "New round";
    ScreenSetup => "首次使用", "First run";
    ScreenInfo => "到达情况与\"四不两直\"", "Arrival and the unannounced checks";
    ScreenFinding => "问题", "Finding";
    FieldTitle => "标题", "Title";
    FieldQuarter => "季度", "Quarter";
    FieldTemplate => "检查模板", "Template";
    FieldScope => "范围", "Scope";
    FieldUnder => "上级编码", "Under code";
    FieldFieldFilter => "领域", "Field";
    FieldRate => "抽样比例", "Rate";
    FieldSeed => "随机种子", "Seed";
    ScopeSubtree => "下属全部党组织", "all Party organisations under";
    ScopeSample => "随机抽样", "random sample";
    AllFieldsChoice => "全部", "all";
    FieldName => "检查人姓名", "Inspector";
    FieldTeam => "所在组", "Team";
    FieldData => "数据", "Data";
    FieldPath => "名册文件", "Roster file";
    DataDemo => "载入演示数据", "load demo data";
    DataImport => "导入名册文件", "import a roster file";
    DataEmpty => "暂不导入", "continue empty";
    SetupIntro => "请输入检查人姓名（将记入每条记录）。", "Enter the inspector's name (it is recorded with every change).";
    NameNeeded => "请填写姓名", "a name is needed";
    FieldDescription => "问题描述", "Description";
    FieldSeverity => "严重程度", "Severity";
    FieldRectType => "整改类型", "Type";
    FieldRequirement => "整改要求", "Requirement";
    FieldResponsible => "责任人", "Responsible";
    FieldDeadline => "整改时限", "Deadline";
    FieldEvidence => "佐证", "Evidence";
    FieldArrivedAt => "到达时间", "Arrived at";
    FieldArrivalState => "到达情况", "Found";
    FieldArrivalNote => "情况说明", "Note";
    FieldInterviewed => "询问对象", "Interviewed";
    FieldRecordsRead => "查阅资料", "Records read";
    Unanswered => "未填", "-";
    Yes => "是", "yes";
    No => "否", "no";
    BadDateTime => "时间应为 2026-11-22 09:30", "the time must look like 2026-11-22 09:30";
    FormHint => "Tab 下一栏  Shift-Tab 上一栏  Left/Right 选择  Ctrl-S 保存  Esc 取消", "Tab next  Shift-Tab previous  Left/Right choose  Ctrl-S save  Esc cancel";
    DiscardAsk => "放弃已输入的内容？（y 放弃 / n 继续编辑）", "Drop what you typed? (y drop / n keep editing)";
    DraftAsk => "有未保存的草稿：{}。恢复？（y 恢复 / n 丢弃）", "An unsaved draft was kept: {}. Restore it? (y restore / n drop)";
    SubmitAsk => "提交 {} 的检查？提交后不能再修改。（y / n）", "Submit the visit of {}? It can no longer be changed. (y / n)";
    VetoClearAsk => "取消否决项 {}？（y / n）", "Clear veto gate {}? (y / n)";
    VetoReason => "否决原因", "Reason";
    ColArea => "地区", "area";
    ColVerdict => "结论", "verdict";
    ColNote => "说明", "note";
    Guidance => "检查方法", "How to check";
    NoFindings => "（无问题）", "(no findings)";
    FilterAll => "全部", "all";
    SearchPrompt => "搜索", "search";
    Score => "得分", "score";
    Health => "健康指数", "health";
    Vetoed => "否决", "veto";
    Progress => "进度", "progress";
    ArrivalMissing => "未填到达情况（按 i）", "arrival not recorded (press i)";
    DemoLoaded => "已载入演示数据", "demo data loaded";
    Imported => "名册已导入", "roster imported";

    // --- review
    VisitRefBad => "无法识别的检查编号 \"{}\"：应为 批次编号:组织编码（见 xuncha review list）", "unrecognised visit \"{}\": expected ROUND:ORG (see xuncha review list)";
    NotSubmitted => "{} 的检查状态为{}，只有已提交的检查可以审核", "the visit of {} is {}: only submitted visits can be reviewed";
    CommentEmpty => "退回必须填写意见", "a return needs a comment";
    FindingsReturned => "还有 {} 个问题被标记为退回，不能整体通过", "{} findings are marked returned: the visit cannot be approved as a whole";
    ReviewApproved => "已通过 {}：{} 个问题编号 {}", "approved {}: {} findings numbered {}";
    ReviewReturned => "已退回 {}", "returned {}";
    Withdrawn => "已撤销问题 {}", "withdrew finding {}";
    NotApproved => "只有已编号（审核通过）的问题可以撤销", "only approved (numbered) findings can be withdrawn";
    RepeatOf => "重复问题（前次：{}）", "repeat (earlier: {})";
    ColVisit => "检查", "visit";
    ColSubmittedAt => "提交时间", "submitted";
    ColRound => "批次", "round";
    ColReview => "审核", "review";
    ColTime => "时间", "time";
    ColActor => "操作人", "by";
    ColLaptop => "本机", "laptop";
    ColAction => "操作", "action";
    ColChange => "变更", "change";
    ReviewComment => "审核意见", "supervisor's comment";
    ReturnComment => "退回意见", "return comment";

    ScreenQueue => "审核队列", "Review queue";
    ScreenReview => "审核", "Review";
    QueueEmpty => "没有待审核的检查。", "Nothing is waiting for review.";
    RoleSupervisor => "督导", "supervisor";
    RoleInspector => "检查人", "inspector";
    RoleNow => "当前身份：{}", "acting as: {}";
    SupervisorOnly => "审核队列仅供督导使用：按 m 切换身份，或用 --role supervisor 启动", "the review queue is for supervisors: press m to switch, or start with --role supervisor";
    ApproveVisitAsk => "整体通过 {} 的检查并为 {} 个问题编号？（y / n）", "Approve the visit of {} and number its {} findings? (y / n)";
    HistoryTitle => "修改记录", "History";
    NoHistory => "（无记录）", "(nothing yet)";

    // --- rectification
    NotOfficial => "问题 {} 尚未审核通过，不在整改清单中", "finding {} is not approved and not on the rectification list";
    NumberUnknown => "没有问题编号 {}", "no finding numbered {}";
    BadTransition => "不能从\"{}\"改为\"{}\"；可改为：{}", "cannot go from \"{}\" to \"{}\"; allowed: {}";
    ExtensionNeeds => "申请延期需要新的整改时限和理由", "an extension needs a new deadline and a reason";
    ExtensionEarlier => "延期后的时限 {} 不晚于原时限 {}", "the extended deadline {} is not after the current one {}";
    AcceptorNeeded => "销号需要验收人，且验收人不能是整改责任人（{}）", "closing needs an acceptor who is not the person responsible ({})";
    RejectNeeds => "退回重改需要说明理由", "a rejection needs a reason";
    BadDate => "无法识别的日期 \"{}\"", "unrecognised date \"{}\"";
    RectImported => "已更新 {} 个问题，{} 个未变", "updated {} findings, {} unchanged";
    RectMoved => "问题 {} 已改为 {}", "finding {} is now {}";
    ExportWritten => "已导出 {} 行到 {}", "exported {} rows to {}";
    RectImportRejected => "整改回执 {} 有 {} 处错误，未更新任何问题：", "the follow-up list {} has {} errors; nothing was updated:";
    RectListTitle => "{}问题整改清单", "Rectification list {}";
    FormatNotFor => "格式 {} 不适用于此导出，可用：{}", "the format {} does not apply to this export; use one of: {}";
    BulletinWritten => "已生成《{}》：{}", "bulletin \"{}\" written to {}";
    FollowUpJsonBad => "{} {} 的 JSON 格式错误：{}", "the {} {}: JSON error: {}";
    JsonNoRows => "缺少 rows 数组（应为 xuncha export rectification --format json 写出的格式）", "no rows array (expected the format xuncha export rectification --format json writes)";

    // --- safe outputs
    RowControlChar => "第 {} 个字符是控制字符 {}，编码和名称中不允许", "character {} is the control character {}, not allowed in codes and names";

    ScreenBoard => "整改台账", "Rectification board";
    ScreenStats => "统计", "Statistics";
    ScreenRectify => "更改整改状态", "Change the status";
    BoardEmpty => "没有符合条件的已审核问题。", "No approved findings match.";
    ColDaysLeft => "剩余天数", "days left";
    ColOrg => "被查党组织", "organisation";
    SortDeadline => "按时限", "by deadline";
    SortArea => "按地区", "by area";
    FieldNewStatus => "新状态", "New status";
    FieldNote => "说明", "Note";
    FieldNewDeadline => "新时限", "New deadline";
    FieldAcceptor => "验收人", "Acceptor";
    NoNextStatus => "该问题的状态不能再更改", "this finding's status can no longer change";
    Exported => "已导出 {} 行：{}", "exported {} rows: {}";
    StatsGrades => "等次", "Grades";
    StatsWarnings => "预警", "Warnings";
    StatsCategories => "问题按类别", "Problems by category";
    StatsRect => "整改状态", "Rectification status";
    StatsNone => "本季度还没有审核通过的检查。", "No approved visits this quarter yet.";
    Overdue => "逾期", "overdue";

    NeedTerminal => "界面需要在终端中运行；在脚本中请使用子命令（xuncha --help）", "the screens need a terminal; from scripts use the subcommands (xuncha --help)";

    // --- trust: true records, honest limits (lead)
    TooLong => "{}最多 {} 个字（现有 {} 个）", "{} is limited to {} characters (it has {})";
    DeadlineTooFar => "整改时限 {} 超过两年（最晚 {}）", "the deadline {} is more than two years away (latest {})";
    ArrivalFuture => "到达时间 {} 晚于现在", "the arrival time {} is in the future";
    ArrivalBeforeQuarter => "到达时间 {} 早于本批次所在季度的开始（{}）", "the arrival time {} is before the round's quarter began ({})";
    ArrivalTimeNeeded => "请填写到达时间", "the arrival time is needed";
    SubmitRefused => "{} 的检查不能提交：{}", "the visit of {} cannot be submitted: {}";
    ApproveRefused => "{} 的检查不能通过：{}", "the visit of {} cannot be approved: {}";
    GapUnanswered => "{} 个检查项未作结论（{}）", "{} items have no verdict ({})";
    GapFails => "{} 个不符合的检查项没有记录问题（{}）", "{} failed items have no finding ({})";
    GapPartly => "{} 个部分符合的检查项既无问题也无说明（{}）", "{} partly met items have neither a finding nor a note ({})";
    GapArrivalTime => "未填到达时间", "no arrival time";
    GapArrivalState => "未填到达情况", "no arrival state";
    VerdictHasFindings => "检查项 {} 有 {} 个问题，结论不能改为{}；请先撤销这些问题", "item {} has {} findings: its verdict cannot become {}; withdraw them first";
    VerdictFindingsAsk => "{} 已记录 {} 个问题。改为\"{}\"将撤销这些问题。（y 撤销问题并改结论 / n 保持原结论）", "{} has {} findings. Making it \"{}\" withdraws them. (y withdraw and change / n keep the verdict)";
    WithdrawnByVerdict => "检查人将结论改为{}，问题随之撤销", "the inspector changed the verdict to {}; the finding was withdrawn";
    FindingOverVerdictAsk => "{} 的结论为\"{}\"。记录问题会把结论改为\"不符合\"。继续？（y / n）", "{} is marked \"{}\". Recording a finding changes it to \"fails\". Go on? (y / n)";
    FindingContradictsVerdict => "结论为\"{}\"却填了问题描述：请把结论改为不符合或部分符合，或删去问题描述", "the verdict is \"{}\" but a finding is described: make the verdict fails or partly, or remove the description";
    ReadOnlySubmitted => "只读：已提交，等待督导审核。如需修改，请督导退回。", "Read only: submitted and waiting for review. To change it, a supervisor returns it.";
    ReadOnlyApproved => "只读：已由 {} 审核通过，问题已编号；整改在整改台账跟踪，撤销问题由督导办理。", "Read only: approved by {}; its findings are numbered. Follow-up is on the rectification board; a supervisor withdraws findings.";
    ReadOnlyReview => "只读：审核时查看检查表。", "Read only: the checklist as the supervisor sees it.";
    QuitDraftsAsk => "还有 {} 份未保存的草稿（下次启动时会再次提示）。现在退出？（y 退出 / n 返回）", "{} unsaved drafts are kept (offered again at the next start). Quit now? (y quit / n stay)";
    DraftKept => "草稿已保留，下次启动时再提示。", "The draft is kept; it is offered again at the next start.";
    QuarterBad => "季度 \"{}\" 无效：应为 2026Q1 到 2026Q4 这样的写法", "invalid quarter \"{}\": write it like 2026Q1 to 2026Q4";
    RepeatRowItem => "检查项 {} 在第 {} 行已有一行：每个检查项只能有一行", "item {} already has a row (line {}): one row per item";
    DateFuture => "日期 {} 晚于今天", "the date {} is after today";
    DateBeforeApproval => "日期 {} 早于问题审核通过的日期 {}", "the date {} is before the finding was approved ({})";
    TemplateTooManyItems => "模板有 {} 个检查项，最多 {} 个", "the template has {} items; at most {} are allowed";
    ColArrival => "到达情况", "arrival";
    ColInterviewed => "询问对象", "interviewed";
    ColRecordsRead => "查阅资料", "records read";
    ScreenVeto => "一票否决", "Veto gate";
    NotVisited => "未检查", "not visited";
    ChecksBroken => "未做到：{}", "not kept: {}";
    ColChecked => "已检查", "checked";
    StatsCounted => "计入 {} 个（督查范围 {} 个，检查中或待审核 {} 个，未检查 {} 个）", "counted {} (in scope {}, in progress or under review {}, not visited {})";
    FieldRepeatOf => "重复问题", "repeat of";
    FieldUnannounced => "四不两直", "unannounced checks";
    FieldReviewedBy => "审核人", "reviewed by";
    ActOrgImport => "导入名册", "roster imported";
    ActDemoFill => "载入演示数据", "demo data loaded";
    ActTemplateSnapshot => "保存模板快照", "template snapshot kept";
    ActRoundCreate => "新建督查批次", "round created";
    ActVisitVerdict => "记录结论", "verdict recorded";
    ActVisitInfo => "记录到达情况", "arrival recorded";
    ActVisitVeto => "一票否决", "veto gate set or cleared";
    ActVisitSubmit => "提交检查", "visit submitted";
    ActVisitImport => "导入检查表", "visit sheet imported";
    ActFindingAdd => "记录问题", "finding added";
    ActFindingEdit => "修改问题", "finding edited";
    ActFindingWithdraw => "撤销问题", "finding withdrawn";
    ActReviewFinding => "审核问题", "finding reviewed";
    ActReviewCorrect => "督导修正问题", "finding corrected by the supervisor";
    ActReviewApprove => "审核通过", "visit approved";
    ActReviewReturn => "退回检查", "visit returned";
    ActRectifyUpdate => "整改进展", "rectification step";
    ActRectifyImport => "导入整改回执", "follow-up file imported";
    SheetMissingColumns => "缺少列：{}（表头应为 xuncha visit sheet 写出的那一行）", "missing columns: {} (the header must be the one xuncha visit sheet writes)";
    OtherNoVerdict => "\"其他\"行记录检查项以外的问题，不填结论", "an \"其他\" row records a finding outside the checklist and takes no verdict";

    // --- demo
    DemoNotEmpty => "数据文件夹已有组织：demo 只填充空的数据文件夹", "the data folder already has organisations: demo only fills an empty one";
    DemoRange => "--orgs 应在 50 到 200000 之间", "--orgs must be between 50 and 200000";
    DemoDone => "已生成演示数据：{} 个组织（种子 {}）", "demo data created: {} organisations (seed {})";
    DemoVisitedRange => "--visited 应在 0 到 1 之间（走访的组织占比，如 0.8）", "--visited must be between 0 and 1 (the share of organisations visited, e.g. 0.8)";
    DemoNoTemplate => "找不到内置模板 dangzhibu，无法生成检查批次", "the built-in template dangzhibu is missing: no rounds can be made";
    DemoRoundsDone => "另有 {} 个检查批次：走访 {} 次（已通过 {} 次），检查结论 {} 条，问题 {} 个", "and {} rounds: {} visits ({} approved), {} verdicts, {} findings";

    // --- config
    ConfigBad => "配置文件 {} 有误：{}", "the config file {} is invalid: {}";

    // --- the command line fits the shell (helper h-cli)
    ColAnswered => "已答", "answered";
    ColApplicable => "应答", "applicable";
    ColVeto => "一票否决", "veto";
    BulkApproved => "已通过 {}（{}）：{} 个问题编号 {}", "approved {} ({}): {} findings numbered {}";
    BulkApprovedNone => "已通过 {}（{}）：没有问题", "approved {} ({}): no findings";
    BulkRefused => "未通过 {}（{}）：{}", "not approved {} ({}): {}";
    BulkNothing => "批次 {} 没有待审核的检查", "round {} has no submitted visits to approve";
    BulkSummary => "共通过 {} 个检查，{} 个未通过", "{} visits approved, {} not approved";
    BulkSomeRefused => "{} 个检查未通过（原因见上）；它们仍为已提交，等待逐个审核", "{} visits were not approved (reasons above); they stay submitted for review one by one";
    ManWritten => "已写出 {} 个手册页到 {}", "wrote {} manual pages to {}";

    // --- fuzzing findings (helper F)
    FileBadReference => "{} {} 中的 {} 有无效的单元格引用“{}”（超出 Excel 的 XFD1048576，或区域的终点在起点之前），文件可能已损坏",
        "the {} {}: its part {} holds the cell reference \"{}\", which is not valid (beyond Excel's XFD1048576, or a range that ends before it starts); the file may be damaged";

    // --- keys of popups and text fields (help)
    HelpDone => "保留搜索，回到列表", "keep the search, back to the list";
    HelpClearSearch => "清除搜索", "clear the search";
    HelpCancel => "取消（有改动时先询问）", "cancel (asks first when something was typed)";
    HelpYes => "是", "yes";
    HelpNo => "否", "no";
    HelpRestore => "恢复草稿", "restore the draft";
    HelpDropDraft => "丢弃草稿", "drop the draft";
    HelpKeepDraft => "保留草稿，下次启动再问", "keep the draft for the next start";
    HelpClose => "关闭", "close";
    HelpLeft => "光标左移", "cursor left";
    HelpRight => "光标右移", "cursor right";
    HelpWordLeft => "左移一词", "word left";
    HelpWordRight => "右移一词", "word right";
    HelpLineStart => "行首", "start of the line";
    HelpLineEnd => "行尾", "end of the line";
    HelpDeleteBack => "删除前一字", "delete the character before";
    HelpDeleteForward => "删除后一字", "delete the character after";
    HelpDeleteWord => "删除前一词", "delete the word before";
    HelpDeleteToEnd => "删除到行尾", "delete to the end of the line";
    HelpDeleteToStart => "删除到行首", "delete to the start of the line";
    HelpUndo => "撤销", "undo";
    HelpRedo => "重做", "redo";
    HelpNewline => "换行", "new line";
    HelpLineUp => "上一行", "line up";
    HelpLineDown => "下一行", "line down";
    HelpNextOption => "下一个选项", "next option";
    HelpPrevOption => "上一个选项", "previous option";
    HelpTyping => "输入文字", "type text";
    KeysOther => "其他字符", "other characters";
    KeysAny => "任意键", "any key";
}
