// Every user-visible string of xuncha, in Chinese and English, with the names of its
// arguments (see src/i18n.rs for the table's rules; the build checks them).

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

    // --- bundles: changes between laptops
    SyncChainBroken(laptop, seq) => "电脑 {laptop} 的第 {seq} 条变更与它前一条接不上（被改动、删减或调换过）", "change {seq} of laptop {laptop} does not follow its previous one (changed, cut or reordered)";
    SyncBadOp(laptop, seq, why) => "电脑 {laptop} 的第 {seq} 条变更无法应用：{why}", "change {seq} of laptop {laptop} cannot be applied: {why}";
    SyncRuleReview(author) => "{author} 不是审核员：只有审核员能审核通过或退回检查", "{author} is not a reviewer: only reviewers approve or return visits";
    SyncRuleOwnVisit(author) => "{author} 审核了自己检查的走访：任何人都不审核自己的检查", "{author} reviewed a visit they inspected: nobody reviews their own visit";
    SyncRuleNumbering(author) => "{author} 的电脑不是编号电脑：问题编号只由编号电脑给出", "{author}'s laptop is not the numbering laptop: only it gives problem numbers";
    SyncRuleRectify(author) => "{author} 不是督办员或审核员：只有他们记录整改进展", "{author} is neither follow-up nor reviewer: only they record rectification";
    SyncChangeRefused(author, seq, action, why) => "{author} 的第 {seq} 条变更（{action}）不被接受：{why}", "change {seq} of {author} ({action}) is refused: {why}";
    BundleRefused(file, why) => "同步包 {file} 未导入，本机数据未作任何改动：{why}", "the bundle {file} was not imported and nothing changed here: {why}";
    BundleNotBundle => "不是 xuncha 的同步包", "not a xuncha bundle";
    BundleDamaged(why) => "文件已损坏或不完整（{why}）", "the file is damaged or cut ({why})";
    BundleTooLarge(gib) => "解压后超过 {gib} GiB，不予读取", "more than {gib} GiB once decompressed, not read";
    BundleLine(line, why) => "第 {line} 行无法读取：{why}", "line {line} cannot be read: {why}";
    BundleTruncated => "文件不完整（缺少结尾，可能复制时被截断）", "the file is incomplete (no end: cut while copying?)";
    BundleMismatch => "内容与结尾记录的条数或校验值不符（文件被改动过）", "the content does not match the count or checksum at its end (the file was changed)";
    BundleRosterUnsigned => "其中的人员名单不是本组组长签名的", "its roster is not signed by this team's leader";
    BundleOtherTeam(theirs, mine) => "这是督查组“{theirs}”的同步包，本机属于“{mine}”", "this bundle is for the team \"{theirs}\"; this laptop belongs to \"{mine}\"";
    BundleNotForMe(team) => "本机不在督查组“{team}”的人员名单上（先请组长用 team admit 加入，再导入组长发出的同步包）", "this laptop is not on the roster of \"{team}\" (ask the leader to admit it, then import a bundle the leader sends)";
    BundleUnknownSender(laptop) => "发出它的电脑 {laptop} 不在人员名单上（未加入或已移出）", "the laptop {laptop} that sent it is not on the roster (never admitted, or removed)";
    BundleBadSignature(name) => "签名与 {name} 的密钥不符（文件被改动过，或不是他的电脑写出的）", "the signature does not match {name}'s key (the file was changed, or another laptop wrote it)";
    BundleUnknownLaptop(laptop, seq) => "第 {seq} 条变更来自不在人员名单上的电脑 {laptop}（未加入或已移出）", "change {seq} comes from the laptop {laptop}, which is not on the roster (never admitted, or removed)";
    BundleChangeSignature(name, seq) => "{name} 的第 {seq} 条变更没有他的电脑的有效签名", "change {seq} of {name} lacks a valid signature of their laptop";
    BundleNoSuchMember(name, team) => "督查组“{team}”里没有 {name}：xuncha team list 查看人员名单", "there is no {name} in the team \"{team}\": xuncha team list shows the roster";
    ConflictUnknown(id) => "没有编号为 {id} 的冲突：xuncha conflict list 查看", "no conflict {id}: xuncha conflict list shows them";
    ConflictNoChoice(take, count) => "没有第 {take} 个值：这个冲突有 {count} 个值", "there is no value {take}: this conflict has {count}";
    ConflictUnusable(why) => "选定的值无法使用：{why}", "the chosen value cannot be used: {why}";
    KindOrg => "组织", "organisation";
    KindTemplate => "模板", "template";
    KindRound => "批次", "round";
    KindVisit => "走访", "visit";
    KindResult => "检查结论", "result";
    KindFinding => "问题", "finding";
    SyncKeyMismatch(key) => "记录 {key} 的内容与它的键不符", "the record {key} does not match its key";

    // --- team: identity, roster, join requests
    KeyBad(path) => "{path} 不是 xuncha 的本机密钥（应为 64 位十六进制）；它不会被覆盖：成员靠它认出本机。请从备份找回，或移走它后以新身份重新申请加入。",
        "{path} is not a xuncha laptop key (64 hex digits expected); it is never overwritten, members know this laptop by it. Find it in a backup, or move it away and ask to join again as a new laptop.";
    KeyUnmade(reason) => "无法生成本机密钥：{reason}", "could not make this laptop's key: {reason}";
    WhoName => "姓名", "name";
    WhoTeam => "督查组", "team";
    WhoRoles => "角色", "roles";
    WhoKey => "密钥指纹", "key fingerprint";
    WhoAlone => "未加入督查组（单人使用）", "no team (working alone)";
    WhoLeader(name) => "{name}（组长）", "{name} (leader)";
    WhoLine(label, value) => "{label}：{value}", "{label}: {value}";
    TeamExists(team, version) => "本机已有督查组“{team}”的人员名单（第 {version} 版）。", "this laptop already holds the roster of the team \"{team}\" (version {version}).";
    TeamNone => "本机还没有督查组：组长用 xuncha team init --name 姓名 --team 组名 建立，成员用 xuncha team request 申请。", "this laptop has no team yet: the leader makes one with xuncha team init --name NAME --team TEAM, members ask with xuncha team request.";
    TeamNotLeader(leader) => "只有组长 {leader} 的电脑能修改人员名单。", "only the leader {leader}'s laptop changes the roster.";
    TeamRemoved(name, version) => "已把 {name} 移出人员名单（第 {version} 版）；名单随下一个同步包送达各成员。", "took {name} off the roster (version {version}); it reaches the members with the next bundle.";
    TeamNumberingMoved(name, version) => "问题编号今后由 {name} 的电脑给出（人员名单第 {version} 版）。", "problem numbers are now given by {name}'s laptop (roster version {version}).";
    TeamRemoveLeader(name) => "组长 {name} 不能移出自己的督查组。", "the leader {name} cannot be taken off their own team.";
    BundleWritten(path, changes, laptops, size) => "已写出同步包 {path}：{changes} 条变更（来自 {laptops} 台电脑），{size}。", "wrote the bundle {path}: {changes} changes (from {laptops} laptops), {size}.";
    BundleWrittenTo(name) => "发给 {name}：只含他还没有的变更。", "for {name}: only the changes they lack.";
    BundleVerified(file, sender, team, version) => "同步包 {file}：来自 {sender}，督查组“{team}”，人员名单第 {version} 版；签名、名单和每条变更均核对无误。", "bundle {file}: from {sender}, team \"{team}\", roster version {version}; signatures, roster and every change check out.";
    BundleWouldApply(fresh, known, held, records) => "导入将应用 {fresh} 条新变更（已有 {known} 条，待更早变更的 {held} 条），改动 {records} 条记录。", "importing would apply {fresh} new changes ({known} already here, {held} waiting for earlier ones), changing {records} records.";
    BundleAuditHead(entries, hash) => "发送方的审计日志：共 {entries} 条，最后一条的哈希 {hash}", "the sender's audit log: {entries} entries, the last one's hash {hash}";
    BundleRosterNewer(version) => "其中的人员名单较新（第 {version} 版），导入时一并采用。", "it carries a newer roster (version {version}), taken on import.";
    BundleImported(file, sender, applied, records) => "已导入同步包 {file}（来自 {sender}）：应用 {applied} 条变更，改动 {records} 条记录。", "imported the bundle {file} (from {sender}): {applied} changes applied, {records} records changed.";
    BundleImportedKnown(known) => "{known} 条变更本机已有，跳过。", "{known} changes were already here, skipped.";
    BundleImportedHeld(held) => "{held} 条变更要等同一台电脑更早的变更，暂不应用：请对方发出完整的同步包。", "{held} changes wait for earlier changes of their laptop and were not applied: ask for a full bundle.";
    BundleImportedRoster(version) => "已采用人员名单第 {version} 版。", "took roster version {version}.";
    BundleConflicts(count) => "有 {count} 处冲突等审核员选定：xuncha conflict list。", "{count} conflicts wait for a reviewer: xuncha conflict list.";
    BundleStatusHeader(team) => "督查组“{team}”的同步情况", "exchange within the team \"{team}\"";
    BundleToSend => "待发给他", "to send";
    BundleToReceive => "待从他收", "to receive";
    BundleLastSent => "上次发出", "last sent";
    BundleLastReceived => "上次收到", "last received";
    BundleMe => "（本机）", "(this laptop)";
    ConflictNone => "没有冲突。", "no conflicts.";
    ConflictField => "字段", "field";
    ConflictRecord => "记录", "record";
    ConflictValues => "各个值", "values";
    ConflictResolved(id, value) => "冲突 {id} 已选定：{value}。这一选择随同步包送达其他电脑。", "conflict {id} settled: {value}. The choice reaches the other laptops with the next bundle.";
    TeamNameEmpty => "姓名和组名不能为空。", "the name and the team name cannot be empty.";
    TeamRolesNone => "至少给出一个角色：--role inspector（检查员）、reviewer（审核员）或 followup（督办员）。", "give at least one role: --role inspector, reviewer or followup.";
    TeamInitDone(team, name) => "已建立督查组“{team}”，组长：{name}（第 1 版人员名单）。", "made the team \"{team}\" with {name} as leader (roster version 1).";
    TeamAdmitted(name, roles, version) => "已加入：{name}（{roles}），人员名单第 {version} 版。", "admitted: {name} ({roles}), roster version {version}.";
    TeamRequestWritten(path, fingerprint) => "已写出加入申请：{path}（密钥指纹 {fingerprint}）。请交给组长，用 xuncha team admit 文件 --role 角色 加入。", "wrote the join request {path} (key fingerprint {fingerprint}). Hand it to the leader: xuncha team admit FILE --role ROLE.";
    JoinRequestBad(file, reason) => "加入申请 {file} 无法使用：{reason}", "the join request {file} cannot be used: {reason}";
    JoinRequestNotJson(reason) => "不是 xuncha 的加入申请（{reason}）", "not a xuncha join request ({reason})";
    JoinRequestSignature => "签名与申请内容或密钥不符（文件被改动过，或不是该电脑写出的）", "the signature does not match the request or its key (the file was changed, or another laptop wrote it)";
    JoinRequestLeaderLaptop(name) => "组长{name}的电脑不能通过加入申请改动（申请写的是组长的电脑）", "the leader {name}'s laptop cannot be changed by a join request (the request names the leader's laptop)";
    JoinRequestOtherName(laptop, name) => "本机 {laptop} 已以“{name}”列入名单", "the laptop {laptop} is already on the roster as {name}";
    TeamListHeader(team, version, changed) => "督查组“{team}”人员名单 第 {version} 版（{changed}）", "roster of the team \"{team}\", version {version} ({changed})";
    TeamNumbering => "编号电脑", "numbering laptop";
    RuleNotMember(team) => "本机不在督查组“{team}”的人员名单上：请组长用 xuncha team admit 把本机加入。", "this laptop is not on the roster of the team \"{team}\": the leader adds it with xuncha team admit.";
    RuleNeedsRole(act, role, who) => "{act}需要{role}角色；可以做的人：{who}。", "{act} needs the role {role}; who may: {who}.";
    RuleSelfReview(name) => "不能审核自己检查的单位：{name} 是这次检查的检查人，请另一位审核员审核。", "nobody reviews a visit they inspected: {name} inspected this one; another reviewer must.";
    RuleNumbering(who) => "问题编号只由编号电脑（{who}的电脑）给出，两台电脑才不会给出同一个编号：请在那台电脑上审核通过。", "problem numbers are given only by the numbering laptop ({who}'s), so that two laptops never give the same number: approve there.";
    RuleCloseSelf(name) => "销号须由另一个人核实：{name} 记录了整改完成，请另一位督办员或审核员销号。", "closing (销号) is verified by someone else: {name} recorded the fix as done; another follow-up member or reviewer closes it.";
    ActReview => "审核通过或退回检查", "approving or returning a visit";
    ActRectify => "记录整改进展", "recording rectification steps";

    // --- store
    StoreInUse(path) => "数据文件夹 {path} 已被另一个 xuncha 打开；请先关闭它。", "the data folder {path} is open in another xuncha; close that one first.";
    StoreNotWritable(path, reason) => "数据文件夹 {path} 不可写：{reason}", "the data folder {path} is not writable: {reason}";
    StoreNewer(path, found, known) => "数据文件夹 {path} 由更新版本的 xuncha 写入（数据格式 {found}，本程序支持到 {known}）；请升级 xuncha。",
        "the data folder {path} was written by a newer xuncha (schema {found}, this program knows up to {known}); upgrade xuncha.";
    StoreCorrupt(path, reason) => "数据文件夹 {path} 已损坏（{reason}）。出路：换一个空文件夹，用 xuncha --data-dir 新文件夹 restore 备份文件 恢复。",
        "the data folder {path} is damaged ({reason}). Way out: restore your latest backup into an empty folder: xuncha --data-dir NEW restore BACKUP.";
    StoreIo(reason) => "读写数据失败：{reason}", "store read/write failed: {reason}";
    StoreBadRecord(table, key, reason) => "数据记录 {table}/{key} 无法读取：{reason}", "record {table}/{key} cannot be read: {reason}";
    RestoreNotEmpty(path) => "数据文件夹 {path} 不是空的：恢复只能写入空的数据文件夹。", "the data folder {path} is not empty: restore only writes into an empty data folder.";
    BackupBad(file, line, reason) => "备份文件 {file} 第 {line} 行：{reason}", "backup file {file} line {line}: {reason}";
    BackupUnreadable(file, reason) => "备份文件 {file}：{reason}", "backup file {file}: {reason}";
    BackupTruncated => "备份文件不完整（缺少结尾记录，可能被截断）", "the backup is incomplete (no end record: it was probably cut short)";
    BackupCountMismatch(said, found) => "记录数不符：结尾记录说 {said} 条，实际 {found} 条", "record count mismatch: the end record says {said}, found {found}";
    BackupNotBackup => "不是 xuncha 备份文件（第一行应为备份文件头）", "not a xuncha backup (the first line must be the backup header)";
    BackupWritten(count, file) => "已备份 {count} 条记录到 {file}", "backed up {count} records to {file}";
    RestoreDone(file, count) => "已从 {file} 恢复 {count} 条记录", "restored {count} records from {file}";
    AuditOk(count, hash) => "审计链完整：{count} 条记录，末条哈希 {hash}", "audit chain intact: {count} entries, last hash {hash}";
    AuditBroken(seq, reason) => "审计链在第 {seq} 条记录处断开：{reason}", "the audit chain breaks at entry {seq}: {reason}";
    AuditGap(seq) => "缺少序号 {seq}", "sequence number {seq} is missing";
    AuditPrevMismatch => "前一条哈希不符", "previous-hash does not match";
    AuditHashMismatch => "内容与哈希不符（记录被改动过）", "content does not match its hash (the entry was edited)";
    AuditUnreadable(reason) => "无法读取：{reason}", "unreadable: {reason}";
    AuditHeadMismatch => "链头记录与最后一条不符", "the chain head does not match the last entry";
    // --- store integrity
    StoreDiskFull(path) => "数据文件夹 {path} 所在磁盘空间已满：这次操作没有写入（已有数据完好，没有写了一半的内容）。请腾出磁盘空间后重试。",
        "the disk of the data folder {path} is full: this operation wrote nothing (the data already there is whole, nothing is half-written). Free some space and retry.";
    StoreDiskFullSomewhere => "磁盘空间已满：这次操作没有写入（已有数据完好，没有写了一半的内容）。请腾出磁盘空间后重试。",
        "the disk is full: this operation wrote nothing (the data already there is whole, nothing is half-written). Free some space and retry.";
    FileDiskFull(path) => "{path}：磁盘空间已满，文件没有写成（没有留下写了一半的文件）。请腾出磁盘空间后重试。",
        "{path}: the disk is full, the file was not written (no half-written file is left). Free some space and retry.";
    AuditPinMismatch(seq, given, found) => "第 {seq} 条的哈希与给定的链头不符（给定 {given}，实为 {found}）：审计链从这里或更早处被改写过",
        "entry {seq} does not have the hash of the given head (given {given}, found {found}): the chain was rewritten from there or earlier";
    AuditPinBeyond(seq, count) => "给定的链头 #{seq} 超出了审计链（现只有 {count} 条）：审计链被截短或改写过",
        "the given head #{seq} is beyond the chain (it now has {count} entries): the chain was cut short or rewritten";
    AuditPinBad(given) => "--head 应为 序号:哈希（哈希为 64 位十六进制，如导出时打印的链头），收到 \"{given}\"",
        "--head must be SEQ:HASH (a 64-digit hex hash, as printed with every export), got \"{given}\"";
    AuditHeadLine(seq, hash) => "审计链头：#{seq} {hash}", "audit chain head: #{seq} {hash}";
    AuditRecordsOk(count) => "数据记录与审计日志一致：{count} 条", "records match the audit log: {count}";
    AuditPinsOk(heads) => "与给定的链头相符：{heads}", "matches the given heads: {heads}";
    AuditRecordBroken(table, key, reason) => "数据记录 {table}/{key} 与审计日志不符：{reason}", "record {table}/{key} does not match the audit log: {reason}";
    AuditRecordEdited(seq) => "内容与审计日志第 {seq} 条记下的哈希不符（在 xuncha 之外被改动过）",
        "its content does not match the hash audit entry {seq} holds (changed outside xuncha)";
    AuditRecordUnlogged => "审计日志中没有写入它的记录（在 xuncha 之外被加入）", "no audit entry wrote it (added outside xuncha)";
    AuditRecordNoHash(seq) => "最后写入它的审计记录（第 {seq} 条）没有记下哈希", "the audit entry that last wrote it ({seq}) holds no hash";
    AuditRecordDeleted(seq) => "审计日志第 {seq} 条已将它删除，但它仍在（在 xuncha 之外被加回）",
        "audit entry {seq} deleted it, yet it is there (put back outside xuncha)";
    AuditRecordMissing(seq) => "审计日志第 {seq} 条写入了它，但它已不在（在 xuncha 之外被删除）",
        "audit entry {seq} wrote it, yet it is gone (deleted outside xuncha)";
    BackupUnknownVersion(found, known) => "备份格式版本 {found} 无法识别（本程序读取版本 {known}）", "unknown backup format version {found} (this program reads version {known})";
    BackupUnknownSchema(schema) => "数据格式 {schema} 无法识别", "unknown schema {schema}";
    BackupAfterEnd => "结尾记录之后还有内容", "content after the end record";
    BackupNotUtf8 => "不是 UTF-8 文本", "not UTF-8 text";
    BackupBadLine(reason) => "无法读取：{reason}", "unreadable: {reason}";
    BackupUnknownTree(tree) => "未知的数据表 \"{tree}\"", "unknown tree \"{tree}\"";
    BackupBadKey(tree) => "键无法读取（不是 {tree} 表的键）", "unreadable key (not a key of the {tree} tree)";
    BackupDuplicate(line) => "与第 {line} 行重复（同一数据表、同一键）", "the same tree and key as line {line}";
    BackupBadValue(tree, reason) => "{tree} 记录无法读取：{reason}", "{tree} record unreadable: {reason}";
    BackupKeyMismatch(key, content_key) => "键 {key} 与记录内容不符（内容的键是 {content_key}）", "the key {key} does not match the record (its content gives {content_key})";
    BackupMetaMissing(name) => "缺少元数据 {name}", "no {name} record";
    BackupMetaBad(name, reason) => "元数据 {name} 无法读取：{reason}", "meta {name} unreadable: {reason}";
    BackupSchemaMismatch(found, header) => "数据格式 {found} 与文件头的 {header} 不符", "schema {found} differs from the header's {header}";
    BackupTemplateHash => "检查模板快照的哈希与其正文不符（正文被改动过）", "the template snapshot's hash does not match its text (the text was edited)";
    BackupIndexValue => "索引项不应有值", "an index entry must have no value";
    BackupIndexExtra => "索引项没有对应的记录", "an index entry without its record";
    BackupIndexMissing(tree, key) => "缺少这条记录的索引项 {tree}/{key}", "this record's index entry {tree}/{key} is missing";
    BackupNoParent(org) => "上级组织 {org} 不在备份中", "the parent organisation {org} is not in the backup";
    BackupOrgCycle(cycle) => "上级关系成环：{cycle}", "the parents form a cycle: {cycle}";
    BackupNoTemplate(template) => "检查模板快照 {template} 不在备份中", "the template snapshot {template} is not in the backup";
    BackupTemplateId(template, snapshot) => "批次的模板 {template} 与模板快照的 {snapshot} 不符", "the round's template {template} differs from the snapshot's {snapshot}";
    BackupNoRound(round) => "督查批次 {round} 不在备份中", "the round {round} is not in the backup";
    BackupNoOrg(org) => "组织 {org} 不在备份中", "the organisation {org} is not in the backup";
    BackupNoVisit(round, org) => "检查（批次 {round}，组织 {org}）不在备份中", "the visit (round {round}, organisation {org}) is not in the backup";
    BackupNoItem(item, template) => "检查项 {item} 不在批次的模板 {template} 中", "the item {item} is not in the round's template {template}";
    BackupAuditRecord(reason) => "与审计日志不符：{reason}", "does not match the audit log: {reason}";
    BackupAuditMissing(table, key, reason) => "数据记录 {table}/{key} 不在备份中：{reason}", "the record {table}/{key} is not in the backup: {reason}";

    // --- templates
    TplSyntax(reason) => "TOML 语法错误：{reason}", "TOML syntax error: {reason}";
    TplUnknownKey(key, expected) => "未知的键 \"{key}\"，可用的键：{expected}", "unknown key \"{key}\", expected one of: {expected}";
    TplMissingKey(key) => "缺少键 \"{key}\"", "missing key \"{key}\"";
    TplWrongType(key, kind) => "\"{key}\" 应为{kind}", "\"{key}\" must be {kind}";
    TplDuplicateId(id, line) => "重复的编号 \"{id}\"（第一次出现在第 {line} 行）", "duplicate id \"{id}\" (first used on line {line})";
    TplBadValue(key, value, expected) => "\"{key}\" 的值 \"{value}\" 无效，应为：{expected}", "\"{key}\" has the invalid value \"{value}\", expected one of: {expected}";
    TplItemPointsSum(category, points, sum) => "分类 \"{category}\" 的分值为 {points}，但其检查项合计 {sum}", "category \"{category}\" is worth {points} points but its items add up to {sum}";
    TplTotalPointsSum(sum, expected) => "各分类合计 {sum} 分，应为 {expected}", "the categories add up to {sum} points, expected {expected}";
    TplNoGrades => "至少需要一个等次（grades）", "at least one grade band (grades) is needed";
    TplLowestGrade => "最低等次的 min_score 必须为 0", "the lowest grade band must have min_score = 0";
    TplGradeOrder => "等次须按 min_score 从高到低排列", "grade bands must be listed from the highest min_score down";
    TplUnknownGrade(grade, defined) => "未定义的等次 \"{grade}\"，已定义：{defined}", "unknown grade \"{grade}\", defined: {defined}";
    TplEmpty(key) => "\"{key}\" 不能为空", "\"{key}\" must not be empty";
    TplRange(key, min, max) => "\"{key}\" 应在 {min} 到 {max} 之间", "\"{key}\" must be between {min} and {max}";
    TplNotUtf8 => "文件不是 UTF-8 文本", "the file is not UTF-8 text";
    TplRead(reason) => "无法读取：{reason}", "cannot be read: {reason}";
    TplDuplicateTemplate(template, version, source) => "模板 {template} 版本 {version} 已由 {source} 加载", "template {template} version {version} is already loaded from {source}";
    TplChecked(file, template, categories, items, vetoes) => "{file}：通过（{template}，{categories} 个分类，{items} 个检查项，{vetoes} 项否决）", "{file}: ok ({template}, {categories} categories, {items} items, {vetoes} veto gates)";
    TplNotFound(id, loaded) => "没有编号为 \"{id}\" 的模板；已加载：{loaded}", "no template with id \"{id}\"; loaded: {loaded}";
    TplErrorsFound(count) => "{count} 个模板文件有错误", "{count} template files have errors";
    TypeString => "字符串", "a string";
    TypeInteger => "整数", "an integer";
    TypeNumber => "数字", "a number";
    TypeBool => "布尔值（true 或 false）", "true or false";
    TypeArray => "数组", "an array";
    TypeTable => "表", "a table";
    TypeStringArray => "字符串数组", "an array of strings";

    // --- roster
    RosterUnknownColumn(file, column, name) => "名册文件 {file} 第 1 行第 {column} 列：未知的列名 \"{name}\"", "roster file {file} line 1 column {column}: unknown column \"{name}\"";
    RosterDuplicateColumn(file, column, name) => "名册文件 {file} 第 1 行第 {column} 列：列 \"{name}\" 重复", "roster file {file} line 1 column {column}: column \"{name}\" appears twice";
    RosterRowError(line, column, field, reason) => "第 {line} 行第 {column} 列（{field}）：{reason}", "line {line} column {column} ({field}): {reason}";
    RosterRejected(file, count) => "名册文件 {file} 有 {count} 处错误，未导入任何数据：", "the roster file {file} has {count} errors; nothing was imported:";
    RowMissing => "不能为空", "must not be empty";
    RowDuplicateCode(code, line) => "编码 \"{code}\" 重复（第一次出现在第 {line} 行）", "code \"{code}\" appears twice (first on line {line})";
    RowUnknownParent(code) => "上级编码 \"{code}\" 不存在（文件和数据中都没有）", "parent code \"{code}\" exists neither in the file nor in the store";
    RowCycle(cycle) => "上级关系成环：{cycle}", "the parent chain makes a cycle: {cycle}";
    RowSelfParent => "上级编码不能是自己", "an organisation cannot be its own parent";
    RowBadLevel(level, expected) => "无法识别的层级 \"{level}\"，可用：{expected}", "unknown level \"{level}\", expected one of: {expected}";
    RowBadField(field, expected) => "无法识别的领域 \"{field}\"，可用：{expected}", "unknown field \"{field}\", expected one of: {expected}";
    RowFieldNeeded(level) => "层级为 {level} 的组织需要领域（上级中也没有可继承的领域）", "an organisation at level {level} needs a field (and no parent has one to inherit)";
    RowBadMembers(value) => "党员数 \"{value}\" 不是非负整数", "member count \"{value}\" is not a whole non-negative number";
    RosterIgnoredColumns(columns) => "已忽略不认识的列：{columns}", "ignored unknown columns: {columns}";
    RosterImported(added, updated, unchanged) => "名册已导入：新增 {added}，更新 {updated}，未变 {unchanged}", "roster imported: {added} added, {updated} updated, {unchanged} unchanged";

    // --- reading user files (tabular)
    KindRoster => "名册", "roster";
    KindSheet => "检查表", "visit sheet";
    KindFollowUp => "整改回执", "follow-up list";
    FileRead(kind, file, reason) => "无法读取{kind} {file}：{reason}", "cannot read the {kind} {file}: {reason}";
    FileTooBig(kind, file, size, limit) => "{kind} {file} 有 {size} MB，超过了 {limit} MB 的上限", "the {kind} {file} is {size} MB, more than the limit of {limit} MB";
    FileEmpty(kind, file) => "{kind} {file} 是空的", "the {kind} {file} is empty";
    FileBinary(kind, file) => "{kind} {file} 不是 CSV 或 XLSX（看起来是二进制文件，例如旧版 .xls、加密的表格或 PDF）；请另存为 .xlsx 或 CSV",
        "the {kind} {file} is neither CSV nor XLSX (it looks binary: an old .xls, an encrypted workbook or a PDF); save it as .xlsx or CSV";
    FileEncodingGuess(kind, file, encoding, label) => "{kind} {file} 的编码看起来是{encoding}，不是 UTF-8 或 GB18030（GBK）。请另存为 UTF-8（Excel：另存为“CSV UTF-8（逗号分隔）”），或确认编码无误后加 --encoding {label} 再导入",
        "the {kind} {file} seems to be encoded as {encoding}, not UTF-8 or GB18030 (GBK). Save it as UTF-8 (Excel: Save As \"CSV UTF-8 (Comma delimited)\"), or, if that encoding is right, import it with --encoding {label}";
    FileUndecodable(kind, file, line, encoding) => "{kind} {file} 第 {line} 行不是有效的 {encoding} 文本；请另存为 UTF-8，或用 --encoding 指定文件的实际编码",
        "the {kind} {file} line {line} is not valid {encoding} text; save it as UTF-8, or pass --encoding with the file's real encoding";
    FileXlsx(kind, file, reason) => "{kind} {file} 不是可读的 XLSX 文件（{reason}）", "the {kind} {file} is not a readable XLSX file ({reason})";
    FileNoSheet => "没有工作表", "it has no worksheet";
    FilePartTooBig(kind, file, part, limit) => "{kind} {file} 中的 {part} 解压后超过 {limit} MB（可能是“压缩炸弹”），已拒绝", "the {kind} {file}: its part {part} unpacks to more than {limit} MB (perhaps a zip bomb); refused";
    FileTooManyRecords(kind, file, part, limit) => "{kind} {file} 中的 {part} 有超过 {limit} 条记录（共享字符串、格式或目录），已拒绝", "the {kind} {file}: its part {part} holds more than {limit} records (shared strings, formats or entries); refused";
    FilePartRunTooLong(kind, file, part, limit) => "{kind} {file} 中的 {part} 有一段超过 {limit} MB 的连续内容，远超单元格长度上限，已拒绝",
        "the {kind} {file}: its part {part} holds a run of more than {limit} MB without markup, far beyond the cell length limit; refused";
    FileCsv(kind, file, line, reason) => "{kind} {file} 第 {line} 行：CSV 格式错误（{reason}）", "the {kind} {file} line {line}: CSV format error ({reason})";
    FileDeclaredOutOfBounds(kind, file, cell, rows, columns, last) => "{kind} {file} 的工作表声明范围到 {cell}，超出可读范围：最多 {rows} 行、{columns} 列（到 {last}）；请只保留有数据的区域后另存", "the {kind} {file}: its worksheet declares cells up to {cell}, outside the readable area of {rows} rows and {columns} columns (up to {last}); keep only the filled area and save it again";
    FileCellOutOfBounds(kind, file, cell, rows, columns, last) => "{kind} {file} 的单元格 {cell} 超出可读范围：最多 {rows} 行、{columns} 列（到 {last}）", "the {kind} {file}: cell {cell} is outside the readable area of {rows} rows and {columns} columns (up to {last})";
    FileTooManyRows(kind, file, limit, line) => "{kind} {file} 超过了 {limit} 行的上限（在第 {line} 行）", "the {kind} {file} has more than {limit} rows (at line {line})";
    FileTooManyColumns(kind, file, line, columns, limit) => "{kind} {file} 第 {line} 行有 {columns} 列，超过了 {limit} 列的上限", "the {kind} {file} line {line} has {columns} columns, more than the limit of {limit}";
    FileTooManyCells(kind, file, limit, line) => "{kind} {file} 的单元格超过了 {limit} 个的上限（在第 {line} 行）", "the {kind} {file} has more than {limit} cells (at line {line})";
    FileCellTooLong(kind, file, place, chars, limit) => "{kind} {file} {place}：有 {chars} 个字符，超过了每个单元格 {limit} 个字符的上限", "the {kind} {file} {place}: {chars} characters, more than the limit of {limit} per cell";
    FileTooMuchText(kind, file, limit, line) => "{kind} {file} 的文字超过了 {limit} MB 的上限（在第 {line} 行）", "the {kind} {file} holds more than {limit} MB of text (at line {line})";
    FileMissingColumns(kind, file, missing, expected) => "{kind} {file} 缺少列：{missing}（表头应包含：{expected}）", "the {kind} {file} lacks the columns: {missing} (the header must have: {expected})";
    PlaceCell(cell) => "单元格 {cell}", "cell {cell}";
    PlaceLine(line, column) => "第 {line} 行第 {column} 列", "line {line} column {column}";
    EncodingUnknown(name) => "未知的编码名称 \"{name}\"（可用如 utf-8, utf-16le, utf-16be, gbk, gb18030, big5, shift_jis, euc-kr, windows-1252）",
        "unknown encoding \"{name}\" (use a name such as utf-8, utf-16le, utf-16be, gbk, gb18030, big5, shift_jis, euc-kr, windows-1252)";
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
    OsDetail(sentence, detail) => "{sentence}（{detail}）", "{sentence} ({detail})";
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
    OrgNotFound(code) => "没有编码为 \"{code}\" 的组织", "no organisation with code \"{code}\"";
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
    RoundNotFound(round) => "没有编号为 {round} 的督查批次", "no round with id {round}";
    RoundNoOrgs => "督查批次至少要包含一个组织", "a round needs at least one organisation";
    OrgNotInRound(org, round) => "组织 {org} 不在督查批次 {round} 中", "organisation {org} is not in round {round}";
    ItemNotFound(template, item) => "模板 {template} 中没有检查项 {item}", "template {template} has no item {item}";
    ItemNotForField(item, field) => "检查项 {item} 不适用于领域 {field}", "item {item} does not apply to the field {field}";
    SnapshotMissing(snapshot) => "找不到督查批次所用的模板快照 {snapshot}", "the template snapshot {snapshot} used by the round is missing";
    VisitLocked(org, status) => "{org} 的检查状态为{status}，不能再修改", "the visit of {org} is {status} and can no longer be changed";
    SheetRejected(file, count) => "检查表 {file} 有 {count} 处错误，未录入任何数据：", "the sheet {file} has {count} errors; nothing was recorded:";

    RoundNoneInScope => "所选范围内没有可检查的党组织（党委、党总支、党支部）", "no Party organisations (committees, general branches, branches) in the chosen scope";
    SampleRate => "抽样比例应在 0 到 100% 之间（不含 0）", "the sampling rate must be above 0 and at most 100%";
    TitleEmpty => "标题不能为空", "the title must not be empty";
    VisitSubmitted(org) => "已提交：{org}", "submitted: {org}";
    VetoUnknown(veto) => "模板中没有否决项 {veto}", "the template has no veto gate {veto}";
    ReasonEmpty => "请填写原因", "a reason is needed";
    DescEmpty => "问题描述不能为空", "the description must not be empty";
    DeadlinePast(date) => "整改时限 {date} 早于今天", "the deadline {date} is in the past";
    DeadlineBad(text) => "无法识别的日期 \"{text}\"：应为 2026-12-31 或 +30（天）", "unrecognised date \"{text}\": expected 2026-12-31 or +30 (days)";
    DeadlineNeeded => "限期整改需要整改时限", "a rectification by deadline needs a deadline";
    FindingNotFound(id) => "没有编号为 {id} 的问题", "no finding with id {id}";
    NotEditable => "该问题已审核通过，检查人不能再修改", "this finding has been approved and can no longer be edited by an inspector";

    WarnRed => "红", "red";
    WarnYellow => "黄", "yellow";
    WarnBlue => "蓝", "blue";
    DefaultRoundTitle(zh_quarter, en_quarter) => "{zh_quarter}基层党建\"四不两直\"督查", "Unannounced inspection of grassroots Party building, {en_quarter}";
    RoundScopeNeeded => "请用 --under 编码 选择范围，或用 --sample 比例 抽样", "choose the scope with --under CODE, or sample with --sample RATE";
    RoundCreated(title, round, count) => "已创建督查批次 {title}（{round}），{count} 个党组织", "round {title} created ({round}), {count} Party organisations";
    SheetWritten(path) => "已写出检查表 {path}", "visit sheet written to {path}";
    SheetImported(verdicts, findings) => "已录入 {verdicts} 个结论、{findings} 个问题", "recorded {verdicts} verdicts and {findings} findings";
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
    KeysBad(path, reason) => "按键文件 {path} 有误，已使用默认按键：{reason}", "the keys file {path} is invalid, using the default keys: {reason}";

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
    DraftAsk(draft) => "有未保存的草稿：{draft}。恢复？（y 恢复 / n 丢弃）", "An unsaved draft was kept: {draft}. Restore it? (y restore / n drop)";
    SubmitAsk(org) => "提交 {org} 的检查？提交后不能再修改。（y / n）", "Submit the visit of {org}? It can no longer be changed. (y / n)";
    VetoClearAsk(veto) => "取消否决项 {veto}？（y / n）", "Clear veto gate {veto}? (y / n)";
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
    VisitRefBad(text) => "无法识别的检查编号 \"{text}\"：应为 批次编号:组织编码（见 xuncha review list）", "unrecognised visit \"{text}\": expected ROUND:ORG (see xuncha review list)";
    NotSubmitted(org, status) => "{org} 的检查状态为{status}，只有已提交的检查可以审核", "the visit of {org} is {status}: only submitted visits can be reviewed";
    CommentEmpty => "退回必须填写意见", "a return needs a comment";
    FindingsReturned(count) => "还有 {count} 个问题被标记为退回，不能整体通过", "{count} findings are marked returned: the visit cannot be approved as a whole";
    ReviewApproved(visit, count, numbers) => "已通过 {visit}：{count} 个问题编号 {numbers}", "approved {visit}: {count} findings numbered {numbers}";
    ReviewReturned(visit) => "已退回 {visit}", "returned {visit}";
    Withdrawn(number) => "已撤销问题 {number}", "withdrew finding {number}";
    NotApproved => "只有已编号（审核通过）的问题可以撤销", "only approved (numbered) findings can be withdrawn";
    RepeatOf(number) => "重复问题（前次：{number}）", "repeat (earlier: {number})";
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
    RoleNow(role) => "当前身份：{role}", "acting as: {role}";
    SupervisorOnly => "审核队列仅供督导使用：按 m 切换身份，或用 --role supervisor 启动", "the review queue is for supervisors: press m to switch, or start with --role supervisor";
    ApproveVisitAsk(org, count) => "整体通过 {org} 的检查并为 {count} 个问题编号？（y / n）", "Approve the visit of {org} and number its {count} findings? (y / n)";
    HistoryTitle => "修改记录", "History";
    NoHistory => "（无记录）", "(nothing yet)";

    // --- rectification
    NotOfficial(id) => "问题 {id} 尚未审核通过，不在整改清单中", "finding {id} is not approved and not on the rectification list";
    NumberUnknown(number) => "没有问题编号 {number}", "no finding numbered {number}";
    BadTransition(from, to, allowed) => "不能从\"{from}\"改为\"{to}\"；可改为：{allowed}", "cannot go from \"{from}\" to \"{to}\"; allowed: {allowed}";
    ExtensionNeeds => "申请延期需要新的整改时限和理由", "an extension needs a new deadline and a reason";
    ExtensionEarlier(deadline, current) => "延期后的时限 {deadline} 不晚于原时限 {current}", "the extended deadline {deadline} is not after the current one {current}";
    AcceptorNeeded(person) => "销号需要验收人，且验收人不能是整改责任人（{person}）", "closing needs an acceptor who is not the person responsible ({person})";
    RejectNeeds => "退回重改需要说明理由", "a rejection needs a reason";
    BadDate(text) => "无法识别的日期 \"{text}\"", "unrecognised date \"{text}\"";
    RectImported(updated, unchanged) => "已更新 {updated} 个问题，{unchanged} 个未变", "updated {updated} findings, {unchanged} unchanged";
    RectMoved(number, status) => "问题 {number} 已改为 {status}", "finding {number} is now {status}";
    ExportWritten(count, path) => "已导出 {count} 行到 {path}", "exported {count} rows to {path}";
    RectImportRejected(file, count) => "整改回执 {file} 有 {count} 处错误，未更新任何问题：", "the follow-up list {file} has {count} errors; nothing was updated:";
    RectListTitle(quarter) => "{quarter}问题整改清单", "Rectification list {quarter}";
    FormatNotFor(format, allowed) => "格式 {format} 不适用于此导出，可用：{allowed}", "the format {format} does not apply to this export; use one of: {allowed}";
    BulletinWritten(title, path) => "已生成《{title}》：{path}", "bulletin \"{title}\" written to {path}";
    FollowUpJsonBad(kind, file, reason) => "{kind} {file} 的 JSON 格式错误：{reason}", "the {kind} {file}: JSON error: {reason}";
    JsonNoRows => "缺少 rows 数组（应为 xuncha export rectification --format json 写出的格式）", "no rows array (expected the format xuncha export rectification --format json writes)";

    // --- safe outputs
    RowControlChar(position, code) => "第 {position} 个字符是控制字符 {code}，编码和名称中不允许", "character {position} is the control character {code}, not allowed in codes and names";

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
    Exported(count, path) => "已导出 {count} 行：{path}", "exported {count} rows: {path}";
    StatsGrades => "等次", "Grades";
    StatsWarnings => "预警", "Warnings";
    StatsCategories => "问题按类别", "Problems by category";
    StatsRect => "整改状态", "Rectification status";
    StatsNone => "本季度还没有审核通过的检查。", "No approved visits this quarter yet.";
    Overdue => "逾期", "overdue";

    NeedTerminal => "界面需要在终端中运行；在脚本中请使用子命令（xuncha --help）", "the screens need a terminal; from scripts use the subcommands (xuncha --help)";

    // --- trust: true records, honest limits (lead)
    TooLong(field, limit, chars) => "{field}最多 {limit} 个字（现有 {chars} 个）", "{field} is limited to {limit} characters (it has {chars})";
    DeadlineTooFar(deadline, latest) => "整改时限 {deadline} 超过两年（最晚 {latest}）", "the deadline {deadline} is more than two years away (latest {latest})";
    ArrivalFuture(time) => "到达时间 {time} 晚于现在", "the arrival time {time} is in the future";
    ArrivalBeforeQuarter(time, start) => "到达时间 {time} 早于本批次所在季度的开始（{start}）", "the arrival time {time} is before the round's quarter began ({start})";
    ArrivalTimeNeeded => "请填写到达时间", "the arrival time is needed";
    SubmitRefused(org, reason) => "{org} 的检查不能提交：{reason}", "the visit of {org} cannot be submitted: {reason}";
    ApproveRefused(org, reason) => "{org} 的检查不能通过：{reason}", "the visit of {org} cannot be approved: {reason}";
    GapUnanswered(count, items) => "{count} 个检查项未作结论（{items}）", "{count} items have no verdict ({items})";
    GapFails(count, items) => "{count} 个不符合的检查项没有记录问题（{items}）", "{count} failed items have no finding ({items})";
    GapPartly(count, items) => "{count} 个部分符合的检查项既无问题也无说明（{items}）", "{count} partly met items have neither a finding nor a note ({items})";
    GapArrivalTime => "未填到达时间", "no arrival time";
    GapArrivalState => "未填到达情况", "no arrival state";
    VerdictHasFindings(item, count, verdict) => "检查项 {item} 有 {count} 个问题，结论不能改为{verdict}；请先撤销这些问题", "item {item} has {count} findings: its verdict cannot become {verdict}; withdraw them first";
    VerdictFindingsAsk(item, count, verdict) => "{item} 已记录 {count} 个问题。改为\"{verdict}\"将撤销这些问题。（y 撤销问题并改结论 / n 保持原结论）", "{item} has {count} findings. Making it \"{verdict}\" withdraws them. (y withdraw and change / n keep the verdict)";
    WithdrawnByVerdict(verdict) => "检查人将结论改为{verdict}，问题随之撤销", "the inspector changed the verdict to {verdict}; the finding was withdrawn";
    FindingOverVerdictAsk(item, verdict) => "{item} 的结论为\"{verdict}\"。记录问题会把结论改为\"不符合\"。继续？（y / n）", "{item} is marked \"{verdict}\". Recording a finding changes it to \"fails\". Go on? (y / n)";
    FindingContradictsVerdict(verdict) => "结论为\"{verdict}\"却填了问题描述：请把结论改为不符合或部分符合，或删去问题描述", "the verdict is \"{verdict}\" but a finding is described: make the verdict fails or partly, or remove the description";
    ReadOnlySubmitted => "只读：已提交，等待督导审核。如需修改，请督导退回。", "Read only: submitted and waiting for review. To change it, a supervisor returns it.";
    ReadOnlyApproved(supervisor) => "只读：已由 {supervisor} 审核通过，问题已编号；整改在整改台账跟踪，撤销问题由督导办理。", "Read only: approved by {supervisor}; its findings are numbered. Follow-up is on the rectification board; a supervisor withdraws findings.";
    ReadOnlyReview => "只读：审核时查看检查表。", "Read only: the checklist as the supervisor sees it.";
    QuitDraftsAsk(count) => "还有 {count} 份未保存的草稿（下次启动时会再次提示）。现在退出？（y 退出 / n 返回）", "{count} unsaved drafts are kept (offered again at the next start). Quit now? (y quit / n stay)";
    DraftKept => "草稿已保留，下次启动时再提示。", "The draft is kept; it is offered again at the next start.";
    QuarterBad(text) => "季度 \"{text}\" 无效：应为 2026Q1 到 2026Q4 这样的写法", "invalid quarter \"{text}\": write it like 2026Q1 to 2026Q4";
    RepeatRowItem(item, line) => "检查项 {item} 在第 {line} 行已有一行：每个检查项只能有一行", "item {item} already has a row (line {line}): one row per item";
    DateFuture(date) => "日期 {date} 晚于今天", "the date {date} is after today";
    DateBeforeApproval(date, approved) => "日期 {date} 早于问题审核通过的日期 {approved}", "the date {date} is before the finding was approved ({approved})";
    TemplateTooManyItems(count, limit) => "模板有 {count} 个检查项，最多 {limit} 个", "the template has {count} items; at most {limit} are allowed";
    ColArrival => "到达情况", "arrival";
    ColInterviewed => "询问对象", "interviewed";
    ColRecordsRead => "查阅资料", "records read";
    ScreenVeto => "一票否决", "Veto gate";
    NotVisited => "未检查", "not visited";
    ChecksBroken(checks) => "未做到：{checks}", "not kept: {checks}";
    ColChecked => "已检查", "checked";
    StatsCounted(counted, in_scope, pending, not_visited) => "计入 {counted} 个（督查范围 {in_scope} 个，检查中或待审核 {pending} 个，未检查 {not_visited} 个）", "counted {counted} (in scope {in_scope}, in progress or under review {pending}, not visited {not_visited})";
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
    ExtensionDecide => "申请延期须由审核员批准或驳回：xuncha rectify extension 问题编号 --grant 或 --refuse --note 理由", "a request for more time is granted or refused by a reviewer: xuncha rectify extension NUMBER --grant, or --refuse --note REASON";
    ExtensionRefuseNeeds => "驳回延期申请须写明理由（--note）", "refusing a request for more time needs a reason (--note)";
    ExtensionGranted(number, deadline) => "{number} 的延期申请已批准，新的整改时限：{deadline}", "the request for more time on {number} is granted; new deadline {deadline}";
    ExtensionRefused(number, deadline) => "{number} 的延期申请已驳回，整改时限仍为 {deadline}", "the request for more time on {number} is refused; the deadline stays {deadline}";
    ActSyncAdopt => "登记原有数据（以便发送）", "earlier data entered (to be sent)";
    ActConflictResolve => "选定冲突的值", "conflict settled";
    ActTeamRoster => "人员名单", "roster";
    ActReviewFinding => "审核问题", "finding reviewed";
    ActReviewCorrect => "督导修正问题", "finding corrected by the supervisor";
    ActReviewApprove => "审核通过", "visit approved";
    ActReviewReturn => "退回检查", "visit returned";
    ActRectifyUpdate => "整改进展", "rectification step";
    ActRectifyImport => "导入整改回执", "follow-up file imported";
    SheetMissingColumns(columns) => "缺少列：{columns}（表头应为 xuncha visit sheet 写出的那一行）", "missing columns: {columns} (the header must be the one xuncha visit sheet writes)";
    OtherNoVerdict => "\"其他\"行记录检查项以外的问题，不填结论", "an \"其他\" row records a finding outside the checklist and takes no verdict";

    // --- demo
    DemoNotEmpty => "数据文件夹已有组织：demo 只填充空的数据文件夹", "the data folder already has organisations: demo only fills an empty one";
    DemoRange => "--orgs 应在 50 到 200000 之间", "--orgs must be between 50 and 200000";
    DemoDone(count, seed) => "已生成演示数据：{count} 个组织（种子 {seed}）", "demo data created: {count} organisations (seed {seed})";
    DemoVisitedRange => "--visited 应在 0 到 1 之间（走访的组织占比，如 0.8）", "--visited must be between 0 and 1 (the share of organisations visited, e.g. 0.8)";
    DemoNoTemplate => "找不到内置模板 dangzhibu，无法生成检查批次", "the built-in template dangzhibu is missing: no rounds can be made";
    DemoRoundsDone(rounds, visits, approved, verdicts, findings) => "另有 {rounds} 个检查批次：走访 {visits} 次（已通过 {approved} 次），检查结论 {verdicts} 条，问题 {findings} 个", "and {rounds} rounds: {visits} visits ({approved} approved), {verdicts} verdicts, {findings} findings";

    // --- config
    ConfigBad(path, reason) => "配置文件 {path} 有误：{reason}", "the config file {path} is invalid: {reason}";

    // --- the command line fits the shell (helper h-cli)
    ColAnswered => "已答", "answered";
    ColApplicable => "应答", "applicable";
    ColVeto => "一票否决", "veto";
    BulkApproved(org, visit, count, numbers) => "已通过 {org}（{visit}）：{count} 个问题编号 {numbers}", "approved {org} ({visit}): {count} findings numbered {numbers}";
    BulkApprovedNone(org, visit) => "已通过 {org}（{visit}）：没有问题", "approved {org} ({visit}): no findings";
    BulkRefused(org, visit, reason) => "未通过 {org}（{visit}）：{reason}", "not approved {org} ({visit}): {reason}";
    BulkNothing(round) => "批次 {round} 没有待审核的检查", "round {round} has no submitted visits to approve";
    BulkSummary(approved, refused) => "共通过 {approved} 个检查，{refused} 个未通过", "{approved} visits approved, {refused} not approved";
    BulkSomeRefused(count) => "{count} 个检查未通过（原因见上）；它们仍为已提交，等待逐个审核", "{count} visits were not approved (reasons above); they stay submitted for review one by one";
    ManWritten(count, dir) => "已写出 {count} 个手册页到 {dir}", "wrote {count} manual pages to {dir}";

    // --- fuzzing findings (helper F)
    FileBadReference(kind, file, part, reference) => "{kind} {file} 中的 {part} 有无效的单元格引用“{reference}”（超出 Excel 的 XFD1048576，或区域的终点在起点之前），文件可能已损坏",
        "the {kind} {file}: its part {part} holds the cell reference \"{reference}\", which is not valid (beyond Excel's XFD1048576, or a range that ends before it starts); the file may be damaged";

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
