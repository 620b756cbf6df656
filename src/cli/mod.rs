//! The command line: clap definitions and dispatch. Every command goes through `service`.

mod data;
mod export;
mod help;
mod org;
mod progress;
mod review;
mod round;
mod shell;
mod table;
mod template;

use crate::clock::Clock;
use crate::config::{self, Config};
use crate::i18n::{self, K, Lang};
use crate::service::{ServiceError, Session};
use crate::template::Catalog;
use clap::{FromArgMatches, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

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
    #[arg(long, global = true, value_enum)]
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

/// The formats of the quarterly bulletin (季度通报).
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum BulletinFormat {
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
    /// Exports: the rectification list, the quarterly bulletin
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
    /// Write a blank sheet (CSV) for one visit, to fill on paper or in Excel
    Sheet {
        /// The round's id
        #[arg(long)]
        round: String,
        /// The code of the organisation visited
        #[arg(long, value_name = "CODE")]
        org: String,
        /// The sheet file to write
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
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
    /// The quarterly bulletin (季度通报)
    Bulletin {
        /// The quarter, e.g. 2026Q4
        #[arg(long)]
        quarter: String,
        /// Only organisations under this code
        #[arg(long, value_name = "CODE")]
        area: Option<String>,
        /// Free text for 好的做法 and 工作要求 (Markdown with those headings)
        #[arg(long, value_name = "FILE")]
        notes: Option<std::path::PathBuf>,
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
    /// Apply a list sent back by follow-up tracking (CSV, XLSX or JSON), keyed by 问题编号
    Import {
        /// The follow-up file
        file: std::path::PathBuf,
        #[command(flatten)]
        encoding: EncodingArg,
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

/// A failed command: the message and the exit code (2 for refused input, 1 for I/O failures).
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl Failure {
    pub fn refused(message: impl Into<String>) -> Failure {
        Failure { message: message.into(), code: 2 }
    }
}

impl From<ServiceError> for Failure {
    fn from(e: ServiceError) -> Self {
        let code = if e.is_io() { 1 } else { 2 };
        Failure { message: e.to_string(), code }
    }
}

pub type CmdResult = Result<(), Failure>;

/// Everything a command may need, opened lazily: template commands never touch the store.
pub struct Env {
    pub cli_inspector: Option<String>,
    pub role: Option<RoleArg>,
    pub config: Config,
    pub data_dir: PathBuf,
    pub template_dirs: Vec<PathBuf>,
    pub clock: Clock,
    /// The language of documents written for the office (`--doc-lang`), Chinese by default,
    /// whatever the screen language is.
    pub doc_lang: Lang,
}

impl Env {
    pub fn session(&self) -> Result<Session, Failure> {
        Ok(Session::open(&self.data_dir, config::actor(self.cli_inspector.as_deref(), &self.config))?.with_clock(self.clock))
    }

    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.today()
    }

    pub fn catalog(&self) -> Catalog {
        let mut dirs = vec![config::user_template_dir()];
        dirs.extend(self.template_dirs.iter().cloned());
        Catalog::load(&dirs)
    }
}

pub fn main() -> ExitCode {
    // Before anything is created: the data folder, sled's files, backups, the config file.
    crate::privacy::private_by_default();
    let config = Config::load();
    // The help is in the user's language, so the language is known before the arguments are parsed.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let help_lang = help::lang_before_parsing(&args, config.as_ref().ok().and_then(|c| c.lang.as_deref()));
    i18n::set_lang(help_lang);
    let cli = match help::command(help_lang).try_get_matches_from(args).and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let lang = match (cli.lang, config.as_ref().ok().and_then(|c| c.lang.as_deref())) {
        (Some(LangArg::En), _) | (None, Some("en")) => Lang::En,
        _ => Lang::Zh,
    };
    i18n::set_lang(lang);
    let config = match config {
        Ok(c) => c,
        Err(message) => return report(Failure::refused(message)),
    };
    let clock = match cli.now.as_deref() {
        None => Clock::System,
        Some(t) => match Clock::fixed_local(t) {
            Some(c) => c,
            None => return report(Failure::refused(K::BadDateTime.text())),
        },
    };
    let doc_lang = match (cli.doc_lang, config.doc_lang.as_deref().map(str::trim)) {
        (Some(LangArg::En), _) | (None, Some("en")) => Lang::En,
        _ => Lang::Zh,
    };
    let env = Env {
        clock,
        cli_inspector: cli.inspector,
        role: cli.role,
        config,
        data_dir: cli.data_dir.unwrap_or_else(config::default_data_dir),
        template_dirs: cli.template_dirs,
        doc_lang,
    };
    let result = match cli.command {
        None => interface(&env),
        Some(Command::Completions { shell }) => shell::completions(lang, shell),
        Some(Command::Man { output }) => shell::man(lang, output.as_deref()),
        Some(Command::Status) => data::status(&env),
        Some(Command::Template(c)) => template::run(&env, c),
        Some(Command::Org(c)) => org::run(&env, c),
        Some(Command::Demo { orgs, seed, visited }) => data::demo(&env, orgs, seed, visited),
        Some(Command::Round(c)) => round::run_round(&env, c),
        Some(Command::Visit(c)) => round::run_visit(&env, c),
        Some(Command::Finding(c)) => round::run_finding(&env, c),
        Some(Command::Review(c)) => review::run(&env, c),
        Some(Command::Export(c)) => export::run(&env, c),
        Some(Command::Rectify(c)) => export::rectify(&env, c),
        Some(Command::Audit(AuditCmd::Verify { heads })) => data::audit_verify(&env, &heads),
        Some(Command::Audit(AuditCmd::Log { org, round, format })) => review::audit_log(&env, org.as_deref(), round.as_deref(), format),
        Some(Command::Backup { file }) => data::backup(&env, &file),
        Some(Command::Restore { file }) => data::restore(&env, &file),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => report(f),
    }
}

/// The TUI on the data folder; the first-run form when nobody is named yet.
fn interface(env: &Env) -> CmdResult {
    let session = env.session()?;
    let needs_setup = env.cli_inspector.is_none() && env.config.inspector.is_none();
    let (keymap, keys_message) = crate::tui::keymap::Keymap::load(&config::config_dir().join("keys.toml"));
    let driver =
        crate::tui::driver::Driver { session, catalog: env.catalog(), config: env.config.clone(), save_config: true, progress: None };
    let mut app = crate::tui::start(&driver, keymap, needs_setup)?;
    app.supervisor = match env.role {
        Some(r) => r == RoleArg::Supervisor,
        None => env.config.role.as_deref() == Some("supervisor"),
    };
    crate::tui::run(driver, app, keys_message).map_err(|e| Failure { message: e.to_string(), code: 2 })
}

fn report(f: Failure) -> ExitCode {
    // Messages quote names, file contents and paths: none may drive the terminal.
    eprintln!("{}{}", K::ErrorPrefix.text(), crate::safe_text::strip_controls(&f.message));
    ExitCode::from(f.code)
}

/// Writes to stdout, without the control characters that could drive the terminal (names and
/// texts come from files anyone may have edited). A reader that went away (`xuncha org list |
/// head`) ends the program quietly instead of with a panic.
pub(crate) fn emit(text: &str) {
    use std::io::Write;
    let text = crate::safe_text::strip_controls(text);
    let mut out = std::io::stdout().lock();
    if out.write_all(text.as_bytes()).and_then(|_| out.flush()).is_err() {
        std::process::exit(0);
    }
}

/// `println!` through `emit`.
macro_rules! outln {
    ($($arg:tt)*) => { $crate::cli::emit(&format!("{}\n", format_args!($($arg)*))) };
}
pub(crate) use outln;

/// The audit chain's head, printed after every export so that it can be given back to
/// `audit verify --head` later.
pub(crate) fn print_audit_head(s: &Session) -> CmdResult {
    let (seq, hash) = s.audit_head()?;
    outln!("{}", K::AuditHeadLine.fill(&[&seq, &hash]));
    Ok(())
}

/// JSON to stdout; our own types always serialise. Control characters serde_json leaves raw are
/// written as escapes, so the value is kept whole and the terminal safe.
pub(crate) fn print_json<T: serde::Serialize>(v: &T) {
    outln!("{}", crate::safe_text::escape_json_controls(&serde_json::to_string_pretty(v).unwrap_or_default()));
}
