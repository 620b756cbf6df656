//! xuncha (巡查): field inspections of grassroots Party organisations, from the unannounced visit
//! to the rectification list.
//!
//! Layers, each importing only those above it: `domain` (pure rules) → `store` (the only code
//! that names sled) → `service` (use cases shared by the CLI and the TUI) → `cli`.

#![forbid(unsafe_code)]

/// Files written whole or not at all (temporary file, fsync, rename), with the mode they should have.
pub mod atomic_file;
/// The bundle file: changes between laptops, gzip JSON lines, signed; read and written here.
pub mod bundle;
/// Command-line definitions and the handlers that call `service`.
pub mod cli;
/// Where "now" comes from: the system clock, or a fixed moment for tests and `--now`.
pub mod clock;
/// Where data and settings live, and who is acting.
pub mod config;
/// Generated realistic organisation trees for trying the program and for benchmarks.
pub mod demo;
/// Plain types and rules: organisations, templates, rounds, visits, findings, statuses.
pub mod domain;
/// The office hub on PostgreSQL: connection, password, schema, the rows that travel.
pub mod hub;
/// Every user-visible string, in Chinese and English.
pub mod i18n;
/// This laptop's signing key (ed25519): rosters and bundles are signed with it.
pub mod identity;
/// Operating-system errors as a sentence in the user's language.
pub mod oserror;
/// Private by default: the process umask, and the user's own for exports.
pub mod privacy;
/// The rectification list and the quarterly bulletin: builders and writers.
pub mod report;
/// Organisation roster files: validation of every row.
pub mod roster;
/// Text made safe for its output: spreadsheet formula guard, HTML and Markdown escaping,
/// terminal control characters.
pub mod safe_text;
/// Use cases on the store, shared by every front end.
pub mod service;
/// The sled store: trees, keys, versioned records, audit chain, backup and restore.
pub mod store;
/// Tabular files people bring (rosters, visit sheets, follow-up lists): CSV and XLSX read within
/// limits, encodings recognised, errors that name the kind of file.
pub mod tabular;
/// Checklist template files: format, validation, loading.
pub mod template;
/// The terminal interface.
pub mod tui;
