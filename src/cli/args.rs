//! The command line's clap definitions: the global options, every command and subcommand with
//! its arguments, and the value types they take (formats, shells, roles, encodings). Kept apart
//! from `mod.rs`, which dispatches the parsed commands, so that what the command line accepts reads
//! in one place. The doc comments are clap's English help; `help` puts the Chinese in their place.

use super::Failure;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "xuncha",
    version,
    about = "xuncha (巡查): unannounced (\"四不两直\") inspections of grassroots Party organisations, offline, by keyboard, \
             every entry kept as it is accepted. With no command it opens the screens"
)]
pub struct Cli {
    /// Data folder (default: the platform's data folder for xuncha)
    #[arg(long, global = true, env = "XUNCHA_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Language of screens and messages
    #[arg(long, global = true, value_enum, env = "XUNCHA_LANG")]
    pub lang: Option<LangArg>,
    /// Language of the office's documents (rectification list, bulletin): Chinese whatever the
    /// screens are in, unless en
    #[arg(long, global = true, value_enum, env = "XUNCHA_DOC_LANG", value_name = "LANG")]
    pub doc_lang: Option<LangArg>,
    /// Who is acting (default: the config file, then the OS user name)
    #[arg(long, global = true, env = "XUNCHA_INSPECTOR", value_name = "NAME")]
    pub inspector: Option<String>,
    /// Act as an inspector or a supervisor in the screens (default: the config file, then inspector)
    #[arg(long, value_enum)]
    pub role: Option<RoleArg>,
    /// Another folder of template files (may be given more than once)
    #[arg(long = "templates", global = true, value_name = "DIR")]
    pub template_dirs: Vec<PathBuf>,
    /// Run as if it were this local time ("2026-11-22 09:30"): reproducible runs and tests
    #[arg(long, global = true, hide = true, env = "XUNCHA_NOW", value_name = "TIME")]
    pub now: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum RoleArg {
    Inspector,
    Supervisor,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LangArg {
    Zh,
    En,
}

/// How a listing is printed: a table to read, JSON for programs, CSV for a spreadsheet. Every
/// command that takes it prints all three.
#[derive(Clone, Copy, Debug, Default, ValueEnum, PartialEq, Eq)]
pub enum Format {
    #[default]
    Table,
    Json,
    Csv,
}

/// How one template is printed: a document to read, or JSON. It has no rows for a CSV.
#[derive(Clone, Copy, Debug, Default, ValueEnum, PartialEq, Eq)]
pub enum DocFormat {
    #[default]
    Table,
    Json,
}

/// The formats of the rectification list (问题整改清单).
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    Xlsx,
    Csv,
    Json,
    Md,
}

/// The formats of the paper visit sheet (检查表).
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum SheetFormat {
    Csv,
    Xlsx,
}

/// The formats of the quarterly bulletin (季度通报).
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum BulletinFormat {
    // The official document (公文), for Word and WPS; every figure as data; previews. Plain
    // comments: doc comments would turn clap's one-line list of values into a long form.
    Docx,
    Json,
    Md,
    Html,
}

/// The shells `xuncha completions` writes a script for.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// What the data folder holds
    Status,
    /// Checklist templates
    #[command(subcommand)]
    Template(TemplateCmd),
    /// The organisation roster
    #[command(subcommand)]
    Org(OrgCmd),
    /// Fill an empty data folder with a generated organisation tree
    Demo {
        /// How many organisations (50 to 200000)
        #[arg(long, default_value_t = 2000)]
        orgs: usize,
        /// Seed: the same seed gives the same tree (and the same rounds)
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also make two used rounds (last quarter's and this one's, built-in template) with
        /// visits for this share of the Party organisations, e.g. 0.8: verdicts, findings,
        /// reviews, problem numbers, rectification steps. 0 (the default): the tree only
        #[arg(long, default_value_t = 0.0, value_name = "SHARE")]
        visited: f64,
    },
    /// Inspection rounds (督查批次)
    #[command(subcommand)]
    Round(RoundCmd),
    /// Visits: the paper fallback
    #[command(subcommand)]
    Visit(VisitCmd),
    /// Findings (问题)
    #[command(subcommand)]
    Finding(FindingCmd),
    /// Exports: the rectification list, the quarterly bulletin, a visit's handover sheet and report
    #[command(subcommand)]
    Export(ExportCmd),
    /// Follow-up of official findings: status changes and files from follow-up tracking
    #[command(subcommand)]
    Rectify(RectifyCmd),
    /// The supervisor's review of submitted visits
    #[command(subcommand)]
    Review(ReviewCmd),
    /// The audit log
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Who this laptop is: name, team, roles, laptop id, key fingerprint
    Whoami,
    /// The team: its roster of people, laptops and roles
    #[command(subcommand)]
    Team(TeamCmd),
    /// Bundles: the team's changes carried between laptops as signed files
    #[command(subcommand)]
    Bundle(BundleCmd),
    /// Fields edited on two laptops at once, kept until a reviewer chooses
    #[command(subcommand)]
    Conflict(ConflictCmd),
    /// The office hub: the team's changes through a PostgreSQL database
    #[command(subcommand)]
    Hub(HubCmd),
    /// Write the whole data folder to a JSON-lines file
    Backup {
        /// The backup file
        file: PathBuf,
    },
    /// Load a backup file into an empty data folder
    Restore {
        /// The backup file
        file: PathBuf,
    },
    /// Print the shell completion script (bash, zsh, fish, powershell)
    Completions {
        /// Which shell
        #[arg(value_enum)]
        shell: ShellArg,
    },
    /// Write the manual pages: xuncha's to stdout, or with -o DIR one page per command into DIR
    Man {
        /// Write one manual page per command into this folder (without it, xuncha's page goes to
        /// stdout)
        #[arg(short = 'o', long = "output", value_name = "DIR")]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum TemplateCmd {
    /// The loaded templates, and any that failed to load
    List {
        /// Output format
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// One template in full
    Show {
        /// The template's id (see template list)
        id: String,
        /// Output format
        #[arg(long, value_enum, default_value_t)]
        format: DocFormat,
    },
    /// Write a commented starting template to edit (to stdout without -o)
    New {
        /// The file to write (refused if it exists)
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Validate template files (exit 2 listing every error)
    Check {
        /// The template files to check
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum OrgCmd {
    /// Import a roster (XLSX, or CSV in UTF-8, UTF-16 or GB18030); all or nothing
    Import {
        /// The roster file
        file: PathBuf,
        #[command(flatten)]
        encoding: EncodingArg,
    },
    /// List organisations as a tree
    List {
        /// Only this organisation and everything under it
        #[arg(long, value_name = "CODE")]
        under: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Subcommand, Debug)]
pub enum RoundCmd {
    /// Start a round: a subtree (--under, optionally --field) or a random sample (--sample, --seed)
    New {
        /// The round's title (default: made from the quarter)
        #[arg(long)]
        title: Option<String>,
        /// e.g. 2026Q4 (default: the current quarter)
        #[arg(long)]
        quarter: Option<String>,
        /// Template id (default: dangzhibu)
        #[arg(long, default_value = "dangzhibu")]
        template: String,
        /// Every Party organisation under this code (with --sample: the pool to sample from)
        #[arg(long, value_name = "CODE")]
        under: Option<String>,
        /// Only this field (领域)
        #[arg(long)]
        field: Option<String>,
        /// Sampling rate: 0.25, 25 or 25%
        #[arg(long, value_name = "RATE")]
        sample: Option<String>,
        /// Seed of the sample, recorded with the round
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// A look-back (回头看) at this round: the organisations that had approved problems there,
        /// with its template
        #[arg(long, value_name = "ROUND", conflicts_with_all = ["under", "field", "sample"])]
        revisit: Option<String>,
    },
    /// The rounds with their progress
    List {
        /// Output format
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Each organisation of a round: progress, score, grade, warning
    Show {
        /// The round's id (see round list)
        id: String,
        /// Output format
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Subcommand, Debug)]
pub enum VisitCmd {
    /// Write a blank sheet (CSV or XLSX) for one visit, to fill on paper or in Excel
    Sheet {
        /// The round's id
        #[arg(long)]
        round: String,
        /// The code of the organisation visited
        #[arg(long, value_name = "CODE")]
        org: String,
        /// File format (default: xlsx for a FILE ending in .xlsx, else csv)
        #[arg(long, value_enum)]
        format: Option<SheetFormat>,
        /// The sheet file to write
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
    /// A look-back visit's earlier problems, each with its rectification record and its mark
    Lookback {
        #[command(flatten)]
        visit: VisitArg,
        /// Output format
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Mark an earlier problem in a look-back visit: 已巩固, 反弹 (opens a new problem repeating it) or 未整改到位
    Recheck {
        #[command(flatten)]
        visit: VisitArg,
        /// The earlier problem's number
        number: String,
        /// 已巩固, 反弹 or 未整改到位
        #[arg(required_unless_present = "clear")]
        mark: Option<String>,
        /// What was seen (default: what the mark already says)
        #[arg(long)]
        note: Option<String>,
        /// Clear the mark instead
        #[arg(long, conflicts_with = "mark")]
        clear: bool,
    },
    /// Record a filled sheet (all rows or none)
    Import {
        /// The filled sheet
        file: PathBuf,
        /// The round's id
        #[arg(long)]
        round: String,
        /// Submit each visit whose items are then all answered
        #[arg(long)]
        submit: bool,
        #[command(flatten)]
        encoding: EncodingArg,
    },
}

#[derive(Subcommand, Debug)]
pub enum FindingCmd {
    /// Withdraw an approved finding (it keeps its number, marked 已撤销)
    Withdraw {
        /// The problem number (2026Q4-0001) or the finding's id
        finding: String,
        /// Why it is withdrawn
        #[arg(long)]
        reason: String,
    },
    /// Attach a photo, scan or document to a finding (kept under its SHA-256)
    Attach {
        /// The problem number (2026Q4-0001) or the finding's id
        finding: String,
        /// The file
        file: std::path::PathBuf,
    },
    /// The files of a finding and its rectification steps, with short id, hash, size and time
    Files {
        /// The problem number (2026Q4-0001) or the finding's id
        finding: String,
        /// Output format
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Write one of a finding's files out, checked against its hash
    Extract {
        /// The problem number (2026Q4-0001) or the finding's id
        finding: String,
        /// The file's short id (or its whole SHA-256)
        id: String,
        /// Where to write it (never over an existing file)
        #[arg(short, long)]
        output: std::path::PathBuf,
    },
    /// Findings, optionally of one round and organisation
    List {
        /// Only the findings of this round
        #[arg(long)]
        round: Option<String>,
        /// Only the findings of this organisation
        #[arg(long, value_name = "CODE")]
        org: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Subcommand, Debug)]
pub enum TeamCmd {
    /// Make a team with yourself as its leader (on the leader's laptop)
    Init {
        /// Your name
        #[arg(long)]
        name: String,
        /// The team's name, e.g. 县委组织部督查一组
        #[arg(long)]
        team: String,
    },
    /// Write a request to join a team, for the leader (on a member's laptop)
    Request {
        /// Your name
        #[arg(long)]
        name: String,
        /// The request file to write
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Admit the member of a join request with their roles (on the leader's laptop)
    Admit {
        /// The join request file
        file: PathBuf,
        /// inspector (检查员), reviewer (审核员), followup (督办员); may be given more than once
        #[arg(long = "role", value_enum, required = true)]
        roles: Vec<TeamRoleArg>,
    },
    /// The team's roster
    List,
    /// Make a member's laptop the one that gives problem numbers (on the leader's laptop)
    Numbering {
        /// The member's name
        name: String,
    },
    /// Take a member off the roster (on the leader's laptop); their laptop's changes are refused from then on
    Remove {
        /// The member's name
        name: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum BundleCmd {
    /// Write the changes a member lacks (or all of them) to a signed bundle file
    Export {
        /// The bundle file to write
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// The member it is for: only what they lack, as far as this laptop knows
        #[arg(long, value_name = "NAME")]
        to: Option<String>,
        /// Only the changes of this round (and the earlier changes of the same laptops)
        #[arg(long, value_name = "ID")]
        round: Option<String>,
    },
    /// Check a bundle whole without importing it
    Verify {
        /// The bundle file
        file: PathBuf,
    },
    /// Check a bundle whole, then take its changes
    Import {
        /// The bundle file
        file: PathBuf,
    },
    /// The team with what is pending to and from each member
    Status,
}

/// The hub's address: `--url`, or `hub_url` in the config file. Never a password.
#[derive(clap::Args, Debug, Clone)]
pub struct HubUrl {
    /// The hub: postgres://USER@HOST:PORT/DB (the password comes from PGPASSWORD or ~/.pgpass)
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum HubCmd {
    /// Create or upgrade the hub's tables, views and roles (the office's administrator)
    Init(HubUrl),
    /// Send the hub the team's changes this laptop holds and the hub lacks
    Push(HubUrl),
    /// Take from the hub the team's changes this laptop lacks
    Pull(HubUrl),
    /// Push, then pull
    Sync(HubUrl),
    /// Let database logins write for a team and read its changes (the hub's administrator)
    Allow {
        #[command(flatten)]
        url: HubUrl,
        /// The team's id, as `xuncha whoami` prints it on the leader's laptop
        #[arg(long, value_name = "ID")]
        team: String,
        /// The logins (database roles in xuncha_laptop) of the team's laptops
        #[arg(required = true, value_name = "LOGIN")]
        logins: Vec<String>,
    },
    /// What a push and a pull would move now
    Status(HubUrl),
    /// Compute the scores, grades and warnings of the visits changed since the last refresh,
    /// for the office's views (the office's job)
    Refresh(HubUrl),
}

#[derive(Subcommand, Debug)]
pub enum ConflictCmd {
    /// Every field in conflict, with its values and who wrote them
    List,
    /// Choose one value of a conflict (a reviewer's act)
    Resolve {
        /// The conflict's id (see conflict list)
        id: String,
        /// The number of the value to keep (from 1)
        #[arg(long)]
        take: usize,
    },
}

/// A member's role on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TeamRoleArg {
    Inspector,
    Reviewer,
    Followup,
}

impl TeamRoleArg {
    pub fn role(self) -> crate::domain::team::Role {
        match self {
            TeamRoleArg::Inspector => crate::domain::team::Role::Inspector,
            TeamRoleArg::Reviewer => crate::domain::team::Role::Reviewer,
            TeamRoleArg::Followup => crate::domain::team::Role::Followup,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum AuditCmd {
    /// Check the hash chain and every record against it; names the first broken entry or record
    Verify {
        /// A chain head printed earlier (with every export): SEQ:HASH. Entry SEQ must still have
        /// that hash, which catches a chain rewritten from there on. May be given more than once.
        #[arg(long = "head", value_name = "SEQ:HASH")]
        heads: Vec<String>,
    },
    /// Who changed what, when, from which laptop
    Log {
        /// Only the entries of this organisation
        #[arg(long, value_name = "CODE")]
        org: Option<String>,
        /// Only the entries of this round
        #[arg(long)]
        round: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

/// Which findings an export holds.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct ExportFilter {
    /// Only the findings of this round
    #[arg(long)]
    pub round: Option<String>,
    /// Only the findings of this quarter, e.g. 2026Q4
    #[arg(long)]
    pub quarter: Option<String>,
    /// Only organisations under this code
    #[arg(long, value_name = "CODE")]
    pub area: Option<String>,
    /// Only this field (领域)
    #[arg(long)]
    pub field: Option<String>,
    /// Only this 整改状态 (待整改, 整改中, …, or 逾期 for the overdue ones)
    #[arg(long)]
    pub status: Option<String>,
    /// Only this severity (严重程度)
    #[arg(long)]
    pub severity: Option<String>,
}

/// The formats of a visit's handover sheet (问题交办单).
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum HandoverFormat {
    // A Word document to print and sign, or a workbook laid out for A4 (plain comments: see
    // BulletinFormat).
    Docx,
    Xlsx,
}

/// The formats of a visit's report (一支部一报告).
#[derive(Clone, Copy, Debug, Default, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    // A Word document, or a preview as Markdown (plain comments: see BulletinFormat).
    #[default]
    Docx,
    Md,
}

/// Which visit: --round ROUND --org CODE, or --visit ROUND/CODE.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct VisitArg {
    /// The round's id (with --org)
    #[arg(long, requires = "org", required_unless_present = "visit", conflicts_with = "visit")]
    pub round: Option<String>,
    /// The code of the organisation visited (with --round)
    #[arg(long, value_name = "CODE", requires = "round", conflicts_with = "visit")]
    pub org: Option<String>,
    /// The visit as ROUND/CODE (or ROUND:CODE), instead of --round and --org
    #[arg(long, value_name = "ROUND/CODE")]
    pub visit: Option<String>,
}

impl VisitArg {
    /// The round (full or short id) and the organisation's code, as given.
    pub fn parts(&self) -> Result<(String, String), Failure> {
        let bad = |t: &str| Failure::refused(crate::i18n::K::VisitArgBad.fill(&[&t]));
        match (&self.visit, &self.round, &self.org) {
            (Some(v), _, _) => match v.trim().split_once(['/', ':']) {
                Some((r, o)) if !r.trim().is_empty() && !o.trim().is_empty() => Ok((r.trim().to_string(), o.trim().to_string())),
                _ => Err(bad(v)),
            },
            (None, Some(r), Some(o)) => Ok((r.clone(), o.clone())),
            _ => Err(bad("")),
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum ExportCmd {
    /// The rectification list (问题整改清单) of approved findings
    Rectification {
        #[command(flatten)]
        filter: ExportFilter,
        /// File format
        #[arg(long, value_enum)]
        format: ListFormat,
        /// The file to write
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: std::path::PathBuf,
    },
    /// The handover sheet (问题交办单) left with the branch at the end of a visit, with the notice
    /// of on-the-spot fixes (立行立改通知书) when there are any
    Handover {
        #[command(flatten)]
        visit: VisitArg,
        /// File format
        #[arg(long, value_enum)]
        format: HandoverFormat,
        /// The file to write
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: std::path::PathBuf,
    },
    /// The inspection report of one visit (一支部一报告)
    Report {
        #[command(flatten)]
        visit: VisitArg,
        /// File format
        #[arg(long, value_enum, default_value_t)]
        format: ReportFormat,
        /// The file to write
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: std::path::PathBuf,
    },
    /// A notice of the escalation ladder, one per organisation, recorded in each problem's history: the 督办通知单 (--level 督办) or the 约谈通知 (--level 约谈)
    Notice {
        /// The rung: 督办 (problems past their deadline) or 约谈 (long overdue, or overdue repeats)
        #[arg(long)]
        level: String,
        /// Only organisations under this code
        #[arg(long, value_name = "CODE")]
        area: Option<String>,
        /// Judge the rungs as of this day (default: today)
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// The date the notice sets for the fixes, YYYY-MM-DD (default: 15 days after --date)
        #[arg(long, value_name = "DATE")]
        fix_by: Option<String>,
        /// For a talk: when it is held (free text; a blank line to fill in when not given)
        #[arg(long)]
        when: Option<String>,
        /// For a talk: where it is held
        #[arg(long)]
        place: Option<String>,
        /// The document's number: 3 (written with [office] code as 示组督〔2026〕3号) or the whole number
        #[arg(long)]
        number: Option<String>,
        /// The day it is issued, YYYY-MM-DD (default: today)
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// File format
        #[arg(long, value_enum, default_value_t)]
        format: ReportFormat,
        /// The file to write
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: std::path::PathBuf,
    },
    /// The quarterly bulletin (季度通报)
    Bulletin {
        /// The quarter, e.g. 2026Q4
        #[arg(long)]
        quarter: String,
        /// Only organisations under this code
        #[arg(long, value_name = "CODE")]
        area: Option<String>,
        /// Made from the office hub's data (postgres://USER@HOST:PORT/DB) instead of this laptop's
        #[arg(long, value_name = "URL")]
        from_hub: Option<String>,
        /// Free text for 好的做法 and 工作要求 (Markdown with those headings)
        #[arg(long, value_name = "FILE")]
        notes: Option<std::path::PathBuf>,
        /// Judge overdue problems and warnings as of this day (default: the end of the quarter, or today if earlier)
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Write it even when no visit of the quarter is approved (it says so on its first page)
        #[arg(long)]
        allow_empty: bool,
        /// The document's number: 12 (written with [office] code as 示组通〔2026〕12号) or the whole number
        #[arg(long)]
        number: Option<String>,
        /// The document's date (成文日期), YYYY-MM-DD (default: today)
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// File format
        #[arg(long, value_enum)]
        format: BulletinFormat,
        /// The file to write
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: std::path::PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum RectifyCmd {
    /// What needs action today: open problems on the escalation ladder (提醒, 督办, 告诫约谈, 问责建议), highest first
    Due {
        /// The day to judge (default: today)
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Apply a list sent back by follow-up tracking (CSV, XLSX or JSON), keyed by 问题编号
    Import {
        /// The follow-up file
        file: std::path::PathBuf,
        #[command(flatten)]
        encoding: EncodingArg,
    },
    /// Grant or refuse a request for more time (申请延期), as a reviewer
    Extension {
        /// The problem number, e.g. 2026Q4-0001
        number: String,
        /// Grant it: the deadline becomes the date asked (or --deadline)
        #[arg(long, conflicts_with = "refuse", required_unless_present = "refuse")]
        grant: bool,
        /// Refuse it: the deadline stays; give the reason with --note
        #[arg(long)]
        refuse: bool,
        /// Granting: another new deadline than the one asked
        #[arg(long)]
        deadline: Option<String>,
        /// Why (needed to refuse)
        #[arg(long, default_value = "", hide_default_value = true)]
        note: String,
    },
    /// Attach a photo, scan or document to a problem's rectification, as a step of its own
    Attach {
        /// The problem number, e.g. 2026Q4-0001
        number: String,
        /// The file
        file: std::path::PathBuf,
        /// What the file shows
        #[arg(long, default_value = "", hide_default_value = true)]
        note: String,
    },
    /// Change one finding's rectification status
    Set {
        /// The problem number, e.g. 2026Q4-0001
        number: String,
        /// The new status (整改状态)
        #[arg(long)]
        status: String,
        /// What was done
        #[arg(long, default_value = "", hide_default_value = true)]
        note: String,
        /// The evidence (佐证)
        #[arg(long, default_value = "", hide_default_value = true)]
        evidence: String,
        /// 申请延期: the new deadline
        #[arg(long)]
        deadline: Option<String>,
        /// 已销号: who accepted the fix (not the person responsible)
        #[arg(long, default_value = "", hide_default_value = true)]
        acceptor: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReviewCmd {
    /// Submitted visits waiting for review, oldest first
    List {
        /// Only the visits of this round
        #[arg(long)]
        round: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Approve a visit, or with --round ID --all every submitted visit of a round: the findings get
    /// their problem numbers
    Approve {
        /// ROUND:ORG, as `review list` shows it
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        visit: Option<String>,
        /// With --all: the round whose submitted visits are approved
        #[arg(long, requires = "all")]
        round: Option<String>,
        /// Approve every submitted visit of --round that can be approved; lists each approved and
        /// each refused visit (exit 2 when any was refused)
        #[arg(long, requires = "round")]
        all: bool,
    },
    /// Return a visit to the inspector with a comment
    Return {
        /// ROUND:ORG, as `review list` shows it
        visit: String,
        /// The comment for the inspector
        #[arg(long)]
        comment: String,
    },
}

/// `--encoding NAME` of the commands that read a user's CSV file.
#[derive(clap::Args, Debug)]
pub struct EncodingArg {
    /// Read CSV text in this encoding instead of recognising it (utf-8, utf-16le, gbk, gb18030,
    /// big5, shift_jis, windows-1252, …)
    #[arg(long = "encoding", value_name = "NAME")]
    pub label: Option<String>,
}

impl EncodingArg {
    /// The read options it asks for; an unknown name is refused, in the user's language.
    pub fn options(&self) -> Result<crate::tabular::ReadOptions, Failure> {
        crate::tabular::ReadOptions::with_encoding_label(self.label.as_deref()).map_err(Failure::refused)
    }
}
