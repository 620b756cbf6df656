//! The terminal interface: state (`app`), keys (`keymap`: the only place that reads key codes;
//! the contexts and actions it binds keys to in `actions`), each screen's, form's and popup's own
//! keys (`screens`), forms and views, rendering (`ui`), and the driver that runs effects through
//! the services.

mod actions;
pub mod app;
pub mod complete;
pub mod driver;
mod exchange;
pub mod field;
pub mod forms;
pub mod keymap;
pub mod screens;
pub mod ui;
pub mod views;

use app::{App, Screen, Tone};
use driver::Driver;
use ratatui::crossterm::event::{self, Event, KeyEventKind};
use std::sync::mpsc;
use std::time::Duration;

/// Builds the app on its first screen: setup when nobody is named yet, else the rounds.
pub fn start(driver: &Driver, keymap: keymap::Keymap, needs_setup: bool) -> crate::service::Result<App> {
    let mut app = App::new(keymap, driver.session.actor.clone(), driver.session.clock);
    app.screens.push(Screen::Rounds(driver.rounds_view()?));
    if needs_setup {
        // The first-run form, as it was typed if the program stopped while it was.
        let kept = driver.session.drafts()?.into_iter().find(|(k, _)| k == "form/setup").and_then(|(_, v)| driver::form_draft(v));
        let form = match kept {
            Some(d) => forms::Form::from_draft(d),
            None => forms::Form::setup(driver.session.has_no_orgs()),
        };
        app.screens.push(Screen::Form(Box::new(form)));
    } else {
        app.offer_drafts = true;
        driver.offer_drafts(&mut app)?;
    }
    Ok(app)
}

/// Runs the interface until the user quits. Input is read on its own thread and sent over a
/// channel; this thread owns the app and the terminal and redraws after every event.
pub fn run(mut driver: Driver, mut app: App, keys_message: Option<String>) -> std::io::Result<()> {
    if let Some(m) = keys_message {
        app.say(m, Tone::Error);
    }
    // Shared with the driver's progress gauge, which draws during long work.
    // Without a terminal (a pipe, a script), say so instead of panicking.
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) || !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        return Err(std::io::Error::other(crate::i18n::K::NeedTerminal.text()));
    }
    let terminal = std::rc::Rc::new(std::cell::RefCell::new(ratatui::try_init()?));
    let gauge_terminal = terminal.clone();
    driver.progress = Some(Box::new(move |label: &str, ratio: f64| {
        let _ = gauge_terminal.borrow_mut().draw(|f| ui::gauge(f, label, ratio));
    }));
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        while let Ok(ev) = event::read() {
            if tx.send(ev).is_err() {
                break;
            }
        }
    });
    let result = (|| -> std::io::Result<()> {
        loop {
            terminal.borrow_mut().draw(|f| ui::draw(f, &app))?;
            let ev = match rx.recv_timeout(Duration::from_secs(60)) {
                Ok(ev) => ev,
                Err(mpsc::RecvTimeoutError::Timeout) => continue,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            match ev {
                // Only presses: Windows also reports releases.
                Event::Key(k) if k.kind == KeyEventKind::Press => {
                    let effects = app.key(k);
                    driver.run(&mut app, effects);
                }
                Event::Resize(..) => terminal.borrow_mut().autoresize()?,
                _ => {}
            }
            if app.quit {
                break;
            }
        }
        Ok(())
    })();
    driver.progress = None;
    ratatui::restore();
    result
}
