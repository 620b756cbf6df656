//! Where data and settings live, and who is acting.
//!
//! The data folder comes from `--data-dir`, `XUNCHA_DATA_DIR`, or the platform's data folder.
//! Settings live in `config.toml` in the config folder (`XUNCHA_CONFIG_DIR` overrides it, which
//! tests use to stay out of the real home folder).

use crate::i18n::K;
use directories::ProjectDirs;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("cn", "xuncha", "xuncha")
}

/// The platform's data folder for xuncha, or `./xuncha-data` where the platform has none.
pub fn default_data_dir() -> PathBuf {
    project_dirs().map_or_else(|| PathBuf::from("xuncha-data"), |d| d.data_dir().to_path_buf())
}

pub fn config_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("XUNCHA_CONFIG_DIR") {
        return PathBuf::from(dir);
    }
    project_dirs().map_or_else(|| PathBuf::from("xuncha-config"), |d| d.config_dir().to_path_buf())
}

/// The user's own template folder: `templates/` in the config folder.
pub fn user_template_dir() -> PathBuf {
    config_dir().join("templates")
}

/// Settings kept between runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The inspector's name, asked once at first run.
    pub inspector: Option<String>,
    pub team: Option<String>,
    /// "zh" or "en".
    pub lang: Option<String>,
    /// The language of the office's documents: "zh" (default) or "en" (`--doc-lang`).
    pub doc_lang: Option<String>,
    /// "inspector" (default) or "supervisor".
    pub role: Option<String>,
    /// The office hub (`xuncha hub …` without `--url`): postgres://user@host:port/db, no
    /// password (that comes from PGPASSWORD or ~/.pgpass).
    pub hub_url: Option<String>,
    /// The office that issues the bulletin as an official document (`[office]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<Office>,
    /// The escalation ladder's thresholds in days (`[escalation]`: remind_before,
    /// admonish_after, accountability_after; docs/escalation.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation: Option<crate::domain::escalation::Thresholds>,
    /// Evidence files (`[evidence]`: max_mb, the largest file accepted; docs/evidence.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
}

/// `[evidence]` in config.toml.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The largest file accepted, in MiB (default 20).
    pub max_mb: Option<u64>,
}

impl Config {
    /// The evidence size limit in MiB, or why the setting is refused.
    pub fn evidence_max_mb(&self) -> Result<u64, String> {
        let n = self.evidence.as_ref().and_then(|e| e.max_mb).unwrap_or(crate::service::evidence::DEFAULT_MAX_MB);
        if (1..=1024).contains(&n) { Ok(n) } else { Err(K::EvidenceBad.fill(&[&K::EvidenceMaxZero.text()])) }
    }
}

/// The issuing office of the quarterly bulletin (公文), `[office]` in config.toml
/// (docs/documents.md). Every key is optional; without a name the bulletin has no masthead.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Office {
    /// 发文机关名称 ("中共示例县委组织部"): the signature, and with 文件 the masthead.
    pub name: Option<String>,
    /// 发文机关标志 when it is not the name followed by 文件.
    pub mark: Option<String>,
    /// 发文机关代字 ("示组通"): `--number 12` is written 示组通〔2026〕12号.
    pub code: Option<String>,
    /// 主送机关 ("各乡镇党委，县直各单位党组织").
    pub recipients: Option<String>,
    /// 抄送机关.
    pub cc: Option<String>,
    /// 印发机关 in the 版记 (the name when not set).
    pub printed_by: Option<String>,
}

impl Config {
    pub fn path() -> PathBuf {
        config_dir().join("config.toml")
    }

    /// Reads the config file; a missing file is the empty config, a bad one is an error that
    /// names the file and what is wrong.
    pub fn load_from(path: &Path) -> Result<Config, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(K::ConfigBad.fill(&[&path.display(), &e])),
        };
        Self::parse(&text).map_err(|e| K::ConfigBad.fill(&[&path.display(), &e]))
    }

    /// The config file's text; a bad one is toml's message of what is wrong and where.
    pub fn parse(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| e.to_string().trim().to_string())
    }

    pub fn load() -> Result<Config, String> {
        Self::load_from(&Self::path())
    }

    pub fn save(&self) -> std::io::Result<()> {
        let path = Self::path();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = toml::to_string(self).map_err(std::io::Error::other)?;
        // Write then rename, so a pulled plug never leaves half a config file; the inspector's
        // name is nobody else's business (0600).
        crate::atomic_file::write_with(&path, crate::atomic_file::Access::Private, text.as_bytes())
    }
}

/// Who is acting: the `--inspector` flag or `XUNCHA_INSPECTOR` (both arrive as `flag`), then the
/// config file, then the OS user name.
pub fn actor(flag: Option<&str>, config: &Config) -> String {
    let clean = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    flag.and_then(clean)
        .or_else(|| config.inspector.as_deref().and_then(clean))
        .or_else(|| whoami::account().ok().as_deref().and_then(clean))
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actor_prefers_flag_then_config() {
        let cfg = Config { inspector: Some("王督查".into()), ..Default::default() };
        assert_eq!(actor(Some("李明"), &cfg), "李明");
        assert_eq!(actor(Some("  "), &cfg), "王督查");
        assert_eq!(actor(None, &cfg), "王督查");
        assert!(!actor(None, &Config::default()).is_empty());
    }

    #[test]
    fn config_file_round_trips_and_bad_keys_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        assert_eq!(Config::load_from(&p).unwrap(), Config::default());
        std::fs::write(&p, "inspector = \"张三\"\nteam = \"第一组\"\n").unwrap();
        let c = Config::load_from(&p).unwrap();
        assert_eq!(c.inspector.as_deref(), Some("张三"));
        std::fs::write(&p, "inspecter = \"张三\"\n").unwrap();
        let err = Config::load_from(&p).unwrap_err();
        assert!(err.contains("inspecter") && err.contains("config.toml"), "{err}");
    }
}
