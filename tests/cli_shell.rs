//! The command line fits the shell, through the binary: completion scripts and man pages made
//! from the clap definitions, and the help in the user's language (Chinese by default, English
//! with --lang en, XUNCHA_LANG or the config file).

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Folder;
use std::process::Command;

/// The commands a person types after `xuncha`.
const COMMANDS: [&str; 15] = [
    "status",
    "template",
    "org",
    "demo",
    "round",
    "visit",
    "finding",
    "export",
    "rectify",
    "review",
    "audit",
    "backup",
    "restore",
    "completions",
    "man",
];

fn has(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok_and(|o| o.status.success())
}

#[test]
fn the_bash_script_names_every_command_and_bash_reads_it() {
    let f = Folder::new();
    let script = f.run_ok(&["completions", "bash"]);
    assert!(script.contains("complete -F _xuncha") && script.contains("_xuncha()"), "{script}");
    for c in COMMANDS {
        assert!(script.contains(&format!("xuncha,{c})")), "the script completes `{c}`");
    }
    // Subcommands, options and the values an option takes.
    assert!(script.contains("xuncha__subcmd__review,approve)") && script.contains("--all"), "review approve --all is completed");
    assert!(script.contains("xlsx csv json md"), "export rectification's formats are offered");
    if has("bash") {
        let path = f.path("xuncha.bash");
        std::fs::write(&path, &script).unwrap();
        let r = Command::new("bash").arg("-n").arg(&path).output().unwrap();
        assert!(r.status.success(), "bash -n: {}", String::from_utf8_lossy(&r.stderr));
        // Sourced, it registers the completion for xuncha.
        let r = Command::new("bash").arg("-c").arg(format!("source {} && complete -p xuncha", path.display())).output().unwrap();
        assert!(String::from_utf8_lossy(&r.stdout).contains("_xuncha"), "{}", String::from_utf8_lossy(&r.stderr));
    }
}

#[test]
fn zsh_fish_and_powershell_get_their_scripts() {
    let f = Folder::new();
    let zsh = f.run_ok(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef xuncha"), "{zsh}");
    let fish = f.run_ok(&["completions", "fish"]);
    assert!(fish.contains("complete -c xuncha"), "{fish}");
    let ps = f.run_ok(&["completions", "powershell"]);
    assert!(ps.contains("Register-ArgumentCompleter") && ps.contains("'xuncha'"), "{ps}");
    for (shell, script) in [("zsh", &zsh), ("fish", &fish), ("powershell", &ps)] {
        for c in ["review", "export", "completions", "man"] {
            assert!(script.contains(c), "{shell} completes `{c}`");
        }
    }
    // The descriptions are in the user's language.
    assert!(zsh.contains("督导审核已提交的检查"), "zsh shows Chinese descriptions under zh");
    assert!(f.run_ok(&["--lang", "en", "completions", "zsh"]).contains("The supervisor"), "and English under en");
    if has("zsh") {
        let path = f.path("_xuncha");
        std::fs::write(&path, &zsh).unwrap();
        let r = Command::new("zsh").arg("-n").arg(&path).output().unwrap();
        assert!(r.status.success(), "zsh -n: {}", String::from_utf8_lossy(&r.stderr));
    }
    let r = f.run(&["completions", "tcsh"]);
    assert_eq!(r.code, 2, "an unknown shell is refused");
}

#[test]
fn the_man_page_opens_with_its_title_and_lists_the_commands() {
    let f = Folder::new();
    let page = f.run_ok(&["man"]);
    assert!(page.starts_with(".TH xuncha 1"), "{page}");
    assert!(page.contains(".SH NAME") && page.contains(".SH SYNOPSIS"), "{page}");
    for c in COMMANDS {
        assert!(page.contains(&format!("xuncha\\-{c}(1)")), "the page lists `{c}`: {page}");
    }
    let en = f.run_ok(&["--lang", "en", "man"]);
    assert!(en.starts_with(".TH xuncha 1") && en.contains("Write the whole data folder"), "{en}");
    if has("groff") {
        // groff reads both pages (-k: UTF-8 input); the English one without a single warning, the
        // Chinese one without an unreadable character (it may say a long Chinese line cannot break).
        for (name, page, strict) in [("en.1", &en, true), ("zh.1", &page, false)] {
            let path = f.path(name);
            std::fs::write(&path, page).unwrap();
            let r = Command::new("groff").args(["-k", "-man", "-Tutf8", "-ww", "-z"]).arg(&path).output().unwrap();
            let warnings = String::from_utf8_lossy(&r.stderr);
            assert!(r.status.success(), "groff on {name}: {warnings}");
            assert!(if strict { warnings.is_empty() } else { !warnings.contains("invalid input") }, "groff on {name}: {warnings}");
        }
    }
}

#[test]
fn man_writes_one_page_per_command_into_a_folder() {
    let f = Folder::new();
    let dir = f.path("man/man1");
    let out = f.run_ok(&["man", "-o", dir.to_str().unwrap()]);
    let mut names: Vec<String> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert!(out.contains(&format!("已写出 {} 个手册页", names.len())), "{out}");
    for name in ["xuncha.1", "xuncha-review.1", "xuncha-review-approve.1", "xuncha-export-rectification.1", "xuncha-completions.1"] {
        assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
    }
    assert!(!names.iter().any(|n| n.contains("help")), "clap's help subcommands get no page: {names:?}");
    for n in &names {
        let text = std::fs::read_to_string(dir.join(n)).unwrap();
        assert!(text.starts_with(".TH "), "{n}: {text}");
    }
    let approve = std::fs::read_to_string(dir.join("xuncha-review-approve.1")).unwrap();
    assert!(approve.contains("\\-\\-all") && approve.contains("\\-\\-round"), "{approve}");
    // A folder that cannot be made is an I/O failure, named.
    std::fs::write(f.path("file"), "").unwrap();
    let r = f.run(&["man", "-o", f.path("file/man").to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("file"), "{}", r.stderr);
}

/// The about and help texts of `xuncha ARGS --help` that clap does not write itself.
fn help(f: &Folder, args: &[&str], env_lang: Option<&str>) -> String {
    let mut c = f.command();
    c.args(args).arg("--help");
    if let Some(l) = env_lang {
        c.env("XUNCHA_LANG", l);
    }
    let r: common::Run = c.output().unwrap().into();
    assert_eq!(r.code, 0, "{args:?} --help: {}", r.stderr);
    r.stdout
}

#[test]
fn the_help_is_chinese_under_zh_and_english_under_en() {
    let f = Folder::new();
    let zh = help(&f, &[], None);
    assert!(zh.contains("用法：xuncha") && zh.contains("命令:") && zh.contains("显示帮助"), "{zh}");
    assert!(zh.contains("督导审核已提交的检查") && zh.contains("输出 shell 自动补全脚本"), "{zh}");
    assert!(!zh.contains("Usage:") && !zh.contains("Print help") && !zh.contains("The supervisor"), "no English under zh: {zh}");

    let en = help(&f, &["--lang", "en"], None);
    assert!(en.contains("Usage: xuncha") && en.contains("The supervisor's review of submitted visits"), "{en}");
    assert!(!en.contains("用法") && !en.contains("督导审核已提交的检查"), "{en}");
    let by_env = help(&f, &[], Some("en"));
    assert!(by_env.contains("Usage: xuncha") && by_env.contains("The supervisor's review") && !by_env.contains("用法"), "XUNCHA_LANG=en");
    std::fs::create_dir_all(f.config()).unwrap();
    std::fs::write(f.config().join("config.toml"), "lang = \"en\"\n").unwrap();
    assert_eq!(help(&f, &[], None), en, "the config file's lang");
    assert_eq!(help(&f, &["--lang", "zh"], None), zh, "--lang beats the config");
}

#[test]
fn every_subcommand_help_is_in_the_users_language() {
    let f = Folder::new();
    let cases: [(&[&str], &str, &str); 6] = [
        (&["review", "approve"], "审核通过 --round 批次中每一个可以通过的已提交检查", "Approve every submitted visit of --round"),
        (&["round", "show"], "批次中每个组织的进度、得分、等次和预警", "Each organisation of a round"),
        (&["export", "bulletin"], "\"好的做法\"和\"工作要求\"的文字", "Free text for 好的做法 and 工作要求"),
        (&["org", "import"], "按此编码读取 CSV 文本", "Read CSV text in this encoding"),
        (&["completions"], "哪种 shell", "Which shell"),
        (&["man"], "为每个命令写一个手册页到此目录", "Write one manual page per command into this folder"),
    ];
    for (args, zh_text, en_text) in cases {
        let zh = help(&f, args, None);
        assert!(zh.contains(zh_text) && !zh.contains(en_text), "{args:?} under zh: {zh}");
        assert!(zh.contains("全局选项") && zh.contains("[环境变量：XUNCHA_DATA_DIR]"), "{args:?}: {zh}");
        let mut en_args = vec!["--lang", "en"];
        en_args.extend_from_slice(args);
        let en = help(&f, &en_args, None);
        assert!(en.contains(en_text) && !en.contains(zh_text), "{args:?} under en: {en}");
        assert!(en.contains("Global options") && en.contains("[env: XUNCHA_DATA_DIR="), "{args:?}: {en}");
    }
    // Every command's help, at every depth, has no English about under zh: walk the command list.
    let top = help(&f, &[], None);
    for c in COMMANDS {
        let h = help(&f, &[c], None);
        assert!(h.contains("用法：xuncha") && !h.contains("Usage:") && !h.contains("Print help"), "{c}: {h}");
        let mut subs = h.lines().skip_while(|l| !l.starts_with("命令")).skip(1).take_while(|l| l.starts_with("  "));
        for line in subs.by_ref() {
            let sub = line.split_whitespace().next().unwrap();
            if sub == "help" {
                continue;
            }
            let h = help(&f, &[c, sub], None);
            assert!(h.contains("用法：xuncha") && !h.contains("Usage:") && !h.contains("Print help"), "{c} {sub}: {h}");
        }
        assert!(top.contains(c), "{c} is listed at the top");
    }
}
