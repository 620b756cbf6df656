//! The driver's part for the team's exchange: the 同步 and 冲突 screens' data, bundles written
//! and read through the same services as `xuncha bundle …`, conflicts settled as by
//! `xuncha conflict resolve`.

use super::app::{App, Screen, Tone};
use super::driver::Driver;
use super::views::{ConflictsView, SyncView};
use crate::i18n::K;
use crate::identity::{Keys, load_or_make};
use crate::service::{Result, ServiceError, conflicts, sync, team};
use std::path::Path;

impl Driver {
    /// This laptop's signing key (made on first use, as the command line makes it).
    fn keys(&self) -> Result<Keys> {
        load_or_make(&self.key_path).map_err(ServiceError::Invalid)
    }

    pub fn sync_view(&self) -> Result<SyncView> {
        let s = &self.session;
        Ok(SyncView {
            team: team::roster(s)?.map(|r| r.roster.team),
            rows: sync::status(s)?,
            conflicts: conflicts::list(s)?.len(),
            export_dir: s.exports_dir().display().to_string(),
            import_dir: std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default(),
            ..Default::default()
        })
    }

    /// Reloads the 同步 screen, keeping its selection, prompt and last report.
    pub fn reload_sync(&self, v: &mut SyncView) -> Result<()> {
        let fresh = self.sync_view()?;
        v.selected = v.selected.min(fresh.rows.len().saturating_sub(1));
        v.team = fresh.team;
        v.rows = fresh.rows;
        v.conflicts = fresh.conflicts;
        Ok(())
    }

    pub fn conflicts_view(&self) -> Result<ConflictsView> {
        Ok(ConflictsView { rows: conflicts::list(&self.session)?, ..Default::default() })
    }

    pub fn reload_conflicts(&self, c: &mut ConflictsView) -> Result<()> {
        let id = c.row().map(|r| r.id.clone());
        let fresh = self.conflicts_view()?;
        match fresh.rows.iter().position(|r| Some(&r.id) == id.as_ref()) {
            Some(i) => c.selected = i,
            None => {
                c.selected = c.selected.min(fresh.rows.len().saturating_sub(1));
                c.take = 0;
            }
        }
        c.rows = fresh.rows;
        Ok(())
    }

    /// Writes a bundle for `to` (everyone without), and says what it holds.
    pub fn export_bundle(&mut self, app: &mut App, to: Option<&str>, path: &Path) -> Result<()> {
        let keys = self.keys()?;
        // The suggested folder is made on first use.
        let dir = self.session.exports_dir();
        if path.parent() == Some(dir.as_path()) {
            std::fs::create_dir_all(&dir).map_err(|e| ServiceError::Io(crate::oserror::write_failed(&dir, &e)))?;
        }
        let e = sync::export(&self.session, &keys, path, to, None)?;
        self.refresh(app)?;
        let mut text = K::BundleWritten.fill(&[&path.display(), &e.changes, &e.laptops, &sync::size_label(e.bytes)]);
        if e.files > 0 {
            text = format!("{text} {}", K::BundleFilesCarried.fill(&[&e.files]));
        }
        if let Some(name) = e.to {
            text = format!("{text} {}", K::BundleWrittenTo.fill(&[&name]));
        }
        app.say(text, Tone::Ok);
        Ok(())
    }

    /// Reads and imports a bundle; what it did, or why it was refused, stays on the screen.
    pub fn import_bundle(&mut self, app: &mut App, path: &Path) -> Result<()> {
        let name = path.display().to_string();
        let outcome = match std::fs::read(path) {
            Ok(bytes) => {
                let keys = self.keys()?;
                let label = K::HelpImportBundle.text();
                let progress = &mut self.progress;
                let mut tick = |done: usize, total: usize| {
                    if total >= 2000
                        && let Some(p) = progress.as_mut()
                    {
                        p(label, done as f64 / total as f64);
                    }
                };
                sync::import_with(&self.session, &keys, &name, &bytes, &mut tick).map_err(|e| e.to_string())
            }
            Err(e) => Err(K::BundleRefused.fill(&[&name, &crate::oserror::describe(&e)])),
        };
        let conflicts_key = app.keymap.key_of(super::keymap::Ctx::Sync, super::keymap::Act::Conflicts);
        let report = match outcome {
            Ok(i) => {
                let mut lines = Vec::new();
                if let Some(v) = i.roster_version {
                    lines.push(K::BundleImportedRoster.fill(&[&v]));
                    // A roster that names this laptop says who acts here from now on.
                    let name = self.session.actor.clone();
                    app.actor = self.session.act_as(name);
                }
                lines.push(K::BundleImported.fill(&[&name, &i.sender, &i.applied, &i.records]));
                if i.known > 0 {
                    lines.push(K::BundleImportedKnown.fill(&[&i.known]));
                }
                if i.held > 0 {
                    lines.push(K::BundleImportedHeld.fill(&[&i.held]));
                }
                if i.conflicts > 0 {
                    lines.push(K::SyncConflictsWaiting.fill(&[&i.conflicts, &conflicts_key]));
                }
                (lines, false)
            }
            Err(why) => (vec![why], true),
        };
        // What was taken shows everywhere: this screen now, the others when they are back on top.
        self.refresh(app)?;
        if let Some(Screen::Sync(v)) = app.screens.last_mut() {
            v.report = Some(report);
        }
        Ok(())
    }

    /// Settles a conflict (a reviewer's act: the service says who may).
    pub fn resolve(&mut self, app: &mut App, id: &str, take: usize) -> Result<()> {
        let row = conflicts::resolve(&self.session, id, take)?;
        self.refresh(app)?;
        let value = row.choices.get(take.saturating_sub(1)).map(|c| conflicts::value_text(&c.value)).unwrap_or_default();
        app.say(K::ConflictResolved.fill(&[&row.id, &value]), Tone::Ok);
        Ok(())
    }
}
