//! `xuncha completions SHELL` and `xuncha man [-o DIR]`: made from the same clap command as the
//! parsing and the help (in the user's language), so they cannot drift from what xuncha accepts.

use super::{CmdResult, Failure, ShellArg, help, outln};
use crate::i18n::{K, Lang};
use clap::Command;
use clap_complete::Shell;
use std::path::Path;

/// The completion script for `shell`, on stdout.
pub fn completions(lang: Lang, shell: ShellArg) -> CmdResult {
    let shell = match shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
        ShellArg::Powershell => Shell::PowerShell,
    };
    let mut cmd = help::command(lang);
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "xuncha", &mut out);
    write_stdout(&out)
}

/// The script goes out as generated: the texts in it are ours, and the shell reads it byte for
/// byte. A reader that went away ends the program quietly, as `emit` does.
fn write_stdout(bytes: &[u8]) -> CmdResult {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if out.write_all(bytes).and_then(|_| out.flush()).is_err() {
        std::process::exit(0);
    }
    Ok(())
}

/// The manual page of `cmd`, with `.TH` first: the roff library puts its definition of the
/// apostrophe string before it, and man(7) expects the title to open the page (comments aside).
fn page(cmd: Command) -> Result<Vec<u8>, Failure> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out).map_err(|e| Failure { message: e.to_string(), code: 1 })?;
    let text = String::from_utf8_lossy(&out).into_owned();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let Some(th) = lines.iter().position(|l| l.starts_with(".TH ")) else { return Ok(out) };
    if lines[th].contains("\\*(Aq") {
        return Ok(out);
    }
    let mut moved = String::with_capacity(text.len());
    moved.push_str(lines[th]);
    for (i, l) in lines.iter().enumerate() {
        if i != th {
            moved.push_str(l);
        }
    }
    Ok(moved.into_bytes())
}

/// Every command that gets a page: xuncha, then each visible subcommand, depth first, named as
/// `man` finds them (xuncha-round-list.1). clap's generated `help` subcommands get none.
fn pages(cmd: &Command, out: &mut Vec<Command>) {
    out.push(cmd.clone());
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        pages(sub, out);
    }
}

/// `xuncha man`: xuncha's page on stdout; with `-o DIR`, one page per command written into DIR
/// (created when missing), each atomically.
pub fn man(lang: Lang, output: Option<&Path>) -> CmdResult {
    let cmd = help::command(lang);
    let Some(dir) = output else {
        return write_stdout(&page(cmd)?);
    };
    std::fs::create_dir_all(dir).map_err(|e| Failure { message: crate::oserror::write_failed(dir, &e), code: 1 })?;
    let mut all = Vec::new();
    pages(&cmd, &mut all);
    for c in &all {
        let name = format!("{}.1", c.get_display_name().unwrap_or_else(|| c.get_name()));
        let path = dir.join(name);
        let bytes = page(c.clone())?;
        crate::atomic_file::write_atomic(&path, &bytes)
            .map_err(|e| Failure { message: crate::oserror::write_failed(&path, &e), code: 1 })?;
    }
    outln!("{}", K::ManWritten.fill(&[&all.len(), &dir.display()]));
    Ok(())
}
