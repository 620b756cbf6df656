//! The command line: dispatch of the parsed commands and what the commands share (the
//! environment, failures, output). The clap definitions are in `args`. Every command goes through
//! `service`.

mod args;
mod bundle;
mod data;
mod evidence;
mod export;
mod help;
mod hub;
mod org;
mod progress;
mod review;
mod round;
mod shell;
mod table;
mod team;
mod template;

use crate::clock::Clock;
use crate::config::{self, Config};
use crate::i18n::{self, K, Lang};
use crate::service::{ServiceError, Session};
use crate::template::Catalog;
use clap::FromArgMatches;
use std::path::PathBuf;
use std::process::ExitCode;

pub use args::{
    AuditCmd, BulletinFormat, Cli, Command, DocFormat, EncodingArg, ExportCmd, ExportFilter, FindingCmd, Format, HandoverFormat, LangArg,
    ListFormat, OrgCmd, RectifyCmd, ReportFormat, ReviewCmd, RoleArg, RoundCmd, SheetFormat, ShellArg, TemplateCmd, VisitArg, VisitCmd,
};

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
        Some(Command::Whoami) => team::whoami(&env),
        Some(Command::Team(c)) => team::run(&env, c),
        Some(Command::Bundle(c)) => bundle::run(&env, c),
        Some(Command::Hub(c)) => hub::run(&env, c),
        Some(Command::Conflict(c)) => bundle::conflict(&env, c),
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
    let driver = crate::tui::driver::Driver {
        session,
        catalog: env.catalog(),
        config: env.config.clone(),
        save_config: true,
        progress: None,
        key_path: crate::identity::key_path(),
    };
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
