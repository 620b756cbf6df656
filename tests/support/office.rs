//! LibreOffice for the tests of the office's documents (.docx, .xlsx): a document is opened and
//! printed to PDF by a real office suite, then read back with poppler (page count, text, a page
//! as a picture). LibreOffice (writer and calc, without the GUI), free fonts that stand in for
//! the ones the documents name (see `STAND_INS`) and poppler-utils are installed from the Debian packages when missing (`install_packages`, as
//! root or through `sudo -n`), once per test process and behind a file lock, so that two test
//! processes never run apt-get at once. LibreOffice runs as the test's own user (root too, as in
//! CI) with a private profile in a fresh temporary folder; conversions run one at a time behind
//! another file lock (each starts a whole office suite: several at once only fight over the two
//! cores and time out).

use super::{found, install_packages_with};
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long one conversion may take (the first start of LibreOffice on a cold machine is slow).
const CONVERSION_TIMEOUT: Duration = Duration::from_secs(240);

/// LibreOffice's program (`soffice`), installed when missing. Panics saying what is missing.
pub fn soffice() -> &'static Path {
    static SOFFICE: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match SOFFICE.get_or_init(prepare) {
        Ok(p) => p,
        Err(e) => panic!("the office document tests need {e}"),
    }
}

fn find_soffice() -> Option<PathBuf> {
    for name in ["soffice", "libreoffice"] {
        if found(name) {
            return Some(PathBuf::from(name));
        }
    }
    ["/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// The fonts the documents name, and what stands in for them on a Debian machine: an office
/// has the Founder and Windows fonts, a test machine only free ones. Liberation Serif has the
/// widths of Times New Roman (so lines break where they would in Word), AR PL UMing is a Song
/// (宋体, serif) face, AR PL UKai a Kai (楷体) face, Noto Sans CJK a Hei (黑体) face.
const STAND_INS: &[(&str, &str)] = &[
    ("仿宋_GB2312", "AR PL UMing CN"),
    ("仿宋", "AR PL UMing CN"),
    ("方正小标宋简体", "AR PL UMing CN"),
    ("宋体", "AR PL UMing CN"),
    ("SimSun", "AR PL UMing CN"),
    ("楷体_GB2312", "AR PL UKai CN"),
    ("黑体", "Noto Sans CJK SC"),
    ("Times New Roman", "Liberation Serif"),
];

/// The Debian packages of the fonts above, each with a family it installs.
const FONT_PACKAGES: &[(&str, &str)] = &[
    ("fonts-noto-cjk", "Noto Sans CJK SC"),
    ("fonts-arphic-uming", "AR PL UMing CN"),
    ("fonts-arphic-ukai", "AR PL UKai CN"),
    ("fonts-liberation2", "Liberation Serif"),
];

fn has_font(family: &str) -> bool {
    Command::new("fc-list").arg(format!("{family}:")).arg("family").output().is_ok_and(|o| o.status.success() && !o.stdout.is_empty())
}

/// A fontconfig file that reads the machine's and then maps the documents' font names to
/// their stand-ins (LibreOffice asks fontconfig for a font it does not have).
fn fontconfig_file(dir: &Path) -> PathBuf {
    let mut xml = String::from(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n  <include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>\n",
    );
    for (name, stand_in) in STAND_INS {
        xml.push_str(&format!(
            "  <alias binding=\"same\"><family>{name}</family><prefer><family>{stand_in}</family><family>Noto Sans CJK SC</family></prefer></alias>\n"
        ));
    }
    xml.push_str("</fontconfig>\n");
    let path = dir.join("fonts.conf");
    fs::write(&path, xml).unwrap();
    path
}

fn poppler() -> bool {
    ["pdfinfo", "pdftotext", "pdftoppm"].iter().all(|t| found(t))
}

/// A Debian package's name if this machine's package lists offer it, else the fallback's.
fn offered<'a>(name: &'a str, fallback: &'a str) -> &'a str {
    let out = Command::new("apt-cache").args(["policy", name]).output();
    let has = out.is_ok_and(|o| {
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        text.lines().any(|l| l.trim_start().starts_with("Candidate:") && !l.contains("(none)"))
    });
    if has { name } else { fallback }
}

fn prepare() -> Result<PathBuf, String> {
    let fonts_missing = || FONT_PACKAGES.iter().filter(|(_, family)| !has_font(family)).map(|(p, _)| *p).collect::<Vec<_>>();
    if find_soffice().is_none() || !fonts_missing().is_empty() || !poppler() {
        // One test process installs at a time (the lock is released when the file is closed).
        let lock = File::create(std::env::temp_dir().join("xuncha-office-install.lock")).map_err(|e| format!("a lock file: {e}"))?;
        lock.lock().map_err(|e| format!("the install lock: {e}"))?;
        let mut packages = Vec::new();
        if find_soffice().is_none() {
            packages.push(offered("libreoffice-writer-nogui", "libreoffice-writer"));
            packages.push(offered("libreoffice-calc-nogui", "libreoffice-calc"));
        }
        packages.extend(fonts_missing());
        if !poppler() {
            packages.push("poppler-utils");
        }
        if !packages.is_empty() && !install_packages_with(&packages, &["--no-install-recommends"]) {
            // The package lists may be old or missing: install_packages_with updated them once.
            return Err(format!("LibreOffice, fonts and poppler (apt-get install --no-install-recommends {})", packages.join(" ")));
        }
    }
    if !poppler() {
        return Err("pdfinfo, pdftotext and pdftoppm (apt-get install poppler-utils)".into());
    }
    find_soffice().ok_or_else(|| "LibreOffice (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)".into())
}

/// Converts `file` (.docx, .xlsx…) to PDF beside it with LibreOffice and returns the PDF's path.
/// One conversion at a time on the machine; panics with soffice's output when it fails or takes
/// longer than four minutes.
pub fn to_pdf(file: &Path) -> PathBuf {
    let soffice = soffice();
    let dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
    let pdf = dir.join(file.with_extension("pdf").file_name().unwrap());
    let _ = fs::remove_file(&pdf);
    let lock = File::create(std::env::temp_dir().join("xuncha-soffice.lock")).unwrap();
    lock.lock().unwrap();
    // A private profile: no shared ~/.config/libreoffice, no first-start dialogue, no lock held
    // by another run.
    let profile = tempfile::Builder::new().prefix("xuncha-lo-profile-").tempdir().unwrap();
    let log = profile.path().join("soffice.log");
    let started = Instant::now();
    let mut child = Command::new(soffice)
        .args(["--headless", "--norestore", "--nolockcheck"])
        .arg(format!("-env:UserInstallation=file://{}", profile.path().join("user").display()))
        .args(["--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(file)
        .env("HOME", profile.path())
        .env("FONTCONFIG_FILE", fontconfig_file(profile.path()))
        .stdin(Stdio::null())
        .stdout(File::create(&log).unwrap())
        .stderr(File::create(profile.path().join("soffice.err")).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", soffice.display()));
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if started.elapsed() > CONVERSION_TIMEOUT {
            // Our own child, by its handle.
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let said = format!(
        "{}{}",
        fs::read_to_string(&log).unwrap_or_default(),
        fs::read_to_string(profile.path().join("soffice.err")).unwrap_or_default()
    );
    match status {
        None => panic!("soffice did not convert {} to PDF within {CONVERSION_TIMEOUT:?}; it said:\n{said}", file.display()),
        Some(s) => assert!(
            s.success() && pdf.exists(),
            "soffice could not convert {} to PDF ({s}, after {:?}); it said:\n{said}",
            file.display(),
            started.elapsed()
        ),
    }
    pdf
}

/// The PDF's number of pages (pdfinfo).
pub fn pdf_pages(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "pdfinfo {}: {}", pdf.display(), String::from_utf8_lossy(&out.stderr));
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo gave no page count for {}:\n{text}", pdf.display()))
}

/// The PDF's text, laid out as on the page (pdftotext -layout); pages end in a form feed.
pub fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext").args(["-layout", "-enc", "UTF-8"]).arg(pdf).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext {}: {}", pdf.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The PDF's text in the order it was drawn, its spaces kept (pdftotext -raw: -layout drops a
/// narrow space, as in "— 1 —").
pub fn pdf_text_raw(pdf: &Path) -> String {
    let out = Command::new("pdftotext").args(["-raw", "-enc", "UTF-8"]).arg(pdf).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext {}: {}", pdf.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Page `page` (from 1) of the PDF as a PNG at 80 dpi, written to `out` (pdftoppm).
pub fn png_of_page(pdf: &Path, page: usize, out: &Path) {
    let n = page.to_string();
    let prefix = out.with_extension("");
    let res =
        Command::new("pdftoppm").args(["-png", "-r", "80", "-singlefile", "-f", &n, "-l", &n]).arg(pdf).arg(&prefix).output().unwrap();
    assert!(res.status.success(), "pdftoppm {}: {}", pdf.display(), String::from_utf8_lossy(&res.stderr));
    let made = prefix.with_extension("png");
    if made != out {
        fs::rename(&made, out).unwrap();
    }
}
