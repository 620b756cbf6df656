//! The office hub: a PostgreSQL database that laptops push their signed changes to and pull
//! the team's changes from. This module speaks to the database (connection, password, schema
//! migrations, the rows that travel); what a push or pull means for a laptop's data is the
//! service's (`service::hub`). The hub checks every change itself (hash, roster, signature,
//! chain, the team's rules: `hub/migrations/`), so a laptop cannot write past it.

use crate::domain::sync::{Known, SyncChange};
use crate::domain::team::SignedRoster;
use crate::domain::{Id, LaptopId};
use postgres::error::SqlState;
use postgres::{Client, Config};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

/// The schema's migrations, in order, kept in the repository (`hub/migrations/`): number, name,
/// SQL. `xuncha hub init` applies those a hub lacks; an applied one is never edited.
pub const MIGRATIONS: &[(i32, &str, &str)] = &[
    (1, "changes", include_str!("../hub/migrations/0001_changes.sql")),
    (2, "state", include_str!("../hub/migrations/0002_state.sql")),
    (3, "views", include_str!("../hub/migrations/0003_views.sql")),
    (4, "evidence", include_str!("../hub/migrations/0004_evidence.sql")),
    (5, "lookback", include_str!("../hub/migrations/0005_lookback.sql")),
    (6, "arrivals", include_str!("../hub/migrations/0006_arrivals.sql")),
];

/// Why talking to the hub failed, with what the message needs.
#[derive(Debug, Clone, PartialEq)]
pub enum HubError {
    /// The URL cannot be read.
    BadUrl(String),
    /// The URL carries a password: it belongs in PGPASSWORD or .pgpass.
    PasswordInUrl,
    /// The .pgpass file is readable by others (libpq ignores such a file too).
    PgpassOpen(PathBuf),
    /// The root certificate file for checking the hub's certificate cannot be read (file, why).
    RootCert(PathBuf, String),
    /// The server cannot be reached or refused the login.
    Connect(String),
    /// The hub has no xuncha schema, or an older one than this xuncha needs.
    NotInitialised { have: i32, need: i32 },
    /// A migration applied on the hub differs from this xuncha's text of it.
    MigrationEdited { number: i32, name: String },
    /// The hub refused a change or roster: its check (SQLSTATE XC...), its message, the rule.
    Refused { code: String, message: String, detail: Option<String> },
    /// The database refused for want of rights (a laptop trying to delete, say).
    Denied(String),
    /// Another laptop stored the same change at the same moment, or two transactions waited on
    /// each other: running it again completes it.
    Busy,
    /// A record on the hub cannot be read as xuncha's (what, and why).
    Unreadable(String),
    /// Anything else the database said.
    Db(String),
    /// What the hub sent is not what a laptop wrote (a change whose text and hash differ).
    Corrupt(String),
}

impl std::fmt::Display for HubError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

fn db_error(e: postgres::Error) -> HubError {
    match e.as_db_error() {
        Some(d) if d.code().code().starts_with("XC") => HubError::Refused {
            code: d.code().code().to_string(),
            message: d.message().to_string(),
            detail: d.detail().map(str::to_string),
        },
        Some(d) if *d.code() == SqlState::INSUFFICIENT_PRIVILEGE => HubError::Denied(d.message().to_string()),
        Some(d)
            if [SqlState::UNIQUE_VIOLATION, SqlState::T_R_DEADLOCK_DETECTED, SqlState::T_R_SERIALIZATION_FAILURE].contains(d.code()) =>
        {
            HubError::Busy
        }
        // A login refused (wrong password, unknown user, no entry in pg_hba.conf): the laptop
        // cannot reach the hub; it works on.
        Some(d) if d.code().code().starts_with("28") => HubError::Connect(d.message().to_string()),
        Some(d) => HubError::Db(format!("{} ({})", d.message(), d.code().code())),
        None if e.is_closed() => HubError::Connect(e.to_string()),
        None => {
            // The connection broke (the server stopped, the network went): say so as such.
            let text = e.to_string();
            let source = std::error::Error::source(&e).map(|s| s.to_string()).unwrap_or_default();
            HubError::Connect(if source.is_empty() { text } else { format!("{text}: {source}") })
        }
    }
}

/// Where the password comes from when the URL names none: PGPASSWORD, then the password file
/// (PGPASSFILE, or ~/.pgpass), as libpq and psql look for it. Written here because no
/// well-kept crate reads .pgpass alone (the parsers on crates.io are parts of larger clients).
fn password_for(host: &str, port: u16, db: &str, user: &str) -> Result<Option<String>, HubError> {
    if let Some(p) = std::env::var_os("PGPASSWORD") {
        return Ok(Some(p.to_string_lossy().into_owned()));
    }
    let file = match std::env::var_os("PGPASSFILE") {
        Some(f) => PathBuf::from(f),
        None => match directories::BaseDirs::new() {
            Some(b) => b.home_dir().join(".pgpass"),
            None => return Ok(None),
        },
    };
    let Ok(text) = std::fs::read_to_string(&file) else { return Ok(None) };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if std::fs::metadata(&file).is_ok_and(|m| m.permissions().mode() & 0o077 != 0) {
            return Err(HubError::PgpassOpen(file));
        }
    }
    Ok(pgpass_lookup(&text, host, &port.to_string(), db, user))
}

/// The password of the first line of a .pgpass text that matches (`*` matches anything; `\:`
/// and `\\` are a colon and a backslash).
pub fn pgpass_lookup(text: &str, host: &str, port: &str, db: &str, user: &str) -> Option<String> {
    for line in text.lines() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let mut fields: Vec<String> = vec![String::new()];
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if let (Some(n), Some(last)) = (chars.next(), fields.last_mut()) {
                        last.push(n);
                    }
                }
                ':' if fields.len() < 5 => fields.push(String::new()),
                c => {
                    if let Some(last) = fields.last_mut() {
                        last.push(c);
                    }
                }
            }
        }
        if fields.len() != 5 {
            continue;
        }
        let ok = |pattern: &str, value: &str| pattern == "*" || pattern == value;
        if ok(&fields[0], host) && ok(&fields[1], port) && ok(&fields[2], db) && ok(&fields[3], user) {
            return fields.pop();
        }
    }
    None
}

/// The URL with nothing secret in it, as the audit log and messages name the hub.
pub fn label(url: &str) -> String {
    match Config::from_str(url) {
        Ok(c) => {
            let host = c
                .get_hosts()
                .first()
                .map(|h| match h {
                    postgres::config::Host::Tcp(h) => h.clone(),
                    #[cfg(unix)]
                    postgres::config::Host::Unix(p) => p.display().to_string(),
                })
                .unwrap_or_default();
            let port = c.get_ports().first().copied().unwrap_or(5432);
            format!("{}@{host}:{port}/{}", c.get_user().unwrap_or(""), c.get_dbname().unwrap_or(""))
        }
        Err(_) => "?".into(),
    }
}

/// Refuses a URL that cannot be read or that carries a password, before anything else is done.
pub fn check_url(url: &str) -> Result<(), HubError> {
    let config = Config::from_str(url).map_err(|e| HubError::BadUrl(e.to_string()))?;
    if config.get_password().is_some() {
        return Err(HubError::PasswordInUrl);
    }
    Ok(())
}

/// Connects to the hub at `url` (postgres://user@host:port/db or key=value form). The password
/// never comes from the URL.
pub fn connect(url: &str) -> Result<Client, HubError> {
    let mut config = Config::from_str(url).map_err(|e| HubError::BadUrl(e.to_string()))?;
    if config.get_password().is_some() {
        return Err(HubError::PasswordInUrl);
    }
    if config.get_user().is_none() {
        config.user(&whoami::username().unwrap_or_default());
    }
    let user = config.get_user().unwrap_or("").to_string();
    let db = config.get_dbname().unwrap_or(&user).to_string();
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(_)) => "localhost".into(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    if let Some(p) = password_for(&host, port, &db, &user)? {
        config.password(p);
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    config.application_name("xuncha");
    config.connect(tls()?).map_err(db_error)
}

/// The root certificates that the hub's certificate must chain to, where libpq looks for them:
/// PGSSLROOTCERT, or ~/.postgresql/root.crt when it exists.
fn root_cert_file() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PGSSLROOTCERT") {
        return Some(PathBuf::from(p));
    }
    let home = directories::BaseDirs::new()?.home_dir().join(".postgresql").join("root.crt");
    home.exists().then_some(home)
}

/// TLS as libpq does it: used whenever the server offers it (`sslmode=prefer`, the default),
/// required with `sslmode=require`, never with `sslmode=disable`. With a root certificate file
/// the hub's certificate must chain to it and name the host (libpq's verify-full); without one
/// the connection is encrypted but the server is not authenticated (libpq's require).
fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect, HubError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    use std::sync::Arc;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| HubError::Connect(e.to_string()))?;
    let config = match root_cert_file() {
        Some(file) => {
            let bad = |why: String| HubError::RootCert(file.clone(), why);
            let mut roots = rustls::RootCertStore::empty();
            for cert in CertificateDer::pem_file_iter(&file).map_err(|e| bad(e.to_string()))? {
                roots.add(cert.map_err(|e| bad(e.to_string()))?).map_err(|e| bad(e.to_string()))?;
            }
            if roots.is_empty() {
                return Err(bad("no certificate".into()));
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        }
        None => builder.dangerous().with_custom_certificate_verifier(Arc::new(Unverified(provider))).with_no_client_auth(),
    };
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// Accepts the hub's certificate without a root to check it against (libpq's sslmode=require):
/// the handshake's signatures are still checked, so the channel is encrypted to whoever holds
/// the certificate's key.
#[derive(Debug)]
struct Unverified(std::sync::Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// The highest migration the hub has applied (0: none, or no xuncha schema at all).
pub fn schema_version(c: &mut Client) -> Result<i32, HubError> {
    let exists = c.query_one("SELECT to_regclass('xuncha.migrations') IS NOT NULL", &[]).map_err(db_error)?;
    if !exists.get::<_, bool>(0) {
        return Ok(0);
    }
    let row = c.query_one("SELECT coalesce(max(n), 0) FROM xuncha.migrations", &[]).map_err(db_error)?;
    Ok(row.get(0))
}

/// Refuses a hub whose schema is older than this xuncha's (run `xuncha hub init`).
pub fn ready(c: &mut Client) -> Result<(), HubError> {
    let need = MIGRATIONS.last().map_or(0, |m| m.0);
    let have = schema_version(c)?;
    if have < need {
        return Err(HubError::NotInitialised { have, need });
    }
    Ok(())
}

fn sha256_hex(text: &str) -> String {
    crate::domain::sync::hex(&Sha256::digest(text.as_bytes()))
}

/// Creates or upgrades the hub's schema: applies, each in its own transaction and under a lock
/// (two admins at once wait for each other), the migrations the hub lacks. Returns their numbers.
/// A migration already applied whose text differs from this xuncha's is refused: edited history.
pub fn migrate(c: &mut Client) -> Result<Vec<i32>, HubError> {
    c.batch_execute(
        "CREATE SCHEMA IF NOT EXISTS xuncha;
         CREATE TABLE IF NOT EXISTS xuncha.migrations (
           n integer PRIMARY KEY, name text NOT NULL, sha256 text NOT NULL,
           applied_by name NOT NULL DEFAULT session_user, applied_at timestamptz NOT NULL DEFAULT now())",
    )
    .map_err(db_error)?;
    let mut applied = Vec::new();
    for (n, name, sql) in MIGRATIONS {
        let mut tx = c.transaction().map_err(db_error)?;
        tx.execute("SELECT pg_advisory_xact_lock(7720261130)", &[]).map_err(db_error)?;
        let have = tx.query_opt("SELECT sha256 FROM xuncha.migrations WHERE n = $1", &[n]).map_err(db_error)?;
        match have {
            Some(row) => {
                if row.get::<_, String>(0) != sha256_hex(sql) {
                    return Err(HubError::MigrationEdited { number: *n, name: (*name).to_string() });
                }
            }
            None => {
                tx.batch_execute(sql).map_err(db_error)?;
                tx.execute("INSERT INTO xuncha.migrations (n, name, sha256) VALUES ($1, $2, $3)", &[n, name, &sha256_hex(sql)])
                    .map_err(db_error)?;
                applied.push(*n);
            }
        }
        tx.commit().map_err(db_error)?;
    }
    // The migrations table itself is readable by everyone who uses the hub.
    c.batch_execute("GRANT SELECT ON xuncha.migrations TO xuncha_laptop, xuncha_reader, xuncha_office").map_err(db_error)?;
    Ok(applied)
}

/// Puts the team's roster on the hub unless it holds that version already.
pub fn put_roster(c: &mut Client, r: &SignedRoster) -> Result<(), HubError> {
    let body = String::from_utf8(r.roster.signed_bytes()).unwrap_or_default();
    let team = r.roster.team_id.to_string();
    let version = i64::try_from(r.roster.version).unwrap_or(i64::MAX);
    c.execute(
        "INSERT INTO xuncha.rosters (team, version, body, signature) VALUES ($1::text::uuid, $2, $3, $4)
         ON CONFLICT (team, version) DO NOTHING",
        &[&team, &version, &body, &r.signature],
    )
    .map_err(db_error)?;
    Ok(())
}

/// The newest roster of `team` the hub holds.
pub fn roster(c: &mut Client, team: Id) -> Result<Option<SignedRoster>, HubError> {
    let row = c
        .query_opt(
            "SELECT body, signature FROM xuncha.rosters WHERE team = $1::text::uuid ORDER BY version DESC LIMIT 1",
            &[&team.to_string()],
        )
        .map_err(db_error)?;
    let Some(row) = row else { return Ok(None) };
    let body: String = row.get(0);
    let roster = serde_json::from_str(&body).map_err(|e| HubError::Unreadable(format!("roster: {e}")))?;
    Ok(Some(SignedRoster { roster, signature: row.get(1) }))
}

/// Lets `logins` write for `team` (and read its changes): the administrator's act.
pub fn allow(c: &mut Client, team: Id, logins: &[String]) -> Result<usize, HubError> {
    let mut n = 0;
    for login in logins {
        n += c
            .execute(
                "INSERT INTO xuncha.team_logins (team, login) VALUES ($1::text::uuid, $2::text::name) ON CONFLICT DO NOTHING",
                &[&team.to_string(), login],
            )
            .map_err(db_error)?;
    }
    Ok(usize::try_from(n).unwrap_or(0))
}

/// The team whose newest roster on the hub names `laptop` with the key `key`: how a member
/// admitted by the leader finds the team with nothing but the hub.
pub fn team_of(c: &mut Client, laptop: LaptopId, key: &str) -> Result<Option<Id>, HubError> {
    let row = c
        .query_opt(
            "SELECT team::text FROM xuncha.members WHERE laptop = $1::text::uuid AND key = $2 LIMIT 1",
            &[&laptop.0.to_string(), &key],
        )
        .map_err(db_error)?;
    Ok(row.and_then(|r| Id::from_str(&r.get::<_, String>(0)).ok()))
}

/// Per laptop of `team`, the highest sequence number the hub holds.
pub fn heads(c: &mut Client, team: Id) -> Result<Known, HubError> {
    let rows = c
        .query("SELECT laptop::text, max(seq) FROM xuncha.changes WHERE team = $1::text::uuid GROUP BY laptop", &[&team.to_string()])
        .map_err(db_error)?;
    let mut out = Known::new();
    for row in rows {
        let laptop: String = row.get(0);
        let seq: i64 = row.get(1);
        if let Ok(id) = Id::from_str(&laptop) {
            out.insert(LaptopId(id), u64::try_from(seq).unwrap_or(0));
        }
    }
    Ok(out)
}

/// Inserts `changes` (each signed) in one transaction: all of them or none.
pub fn insert_changes(c: &mut Client, team: Id, changes: &[SyncChange]) -> Result<(), HubError> {
    let mut tx = c.transaction().map_err(db_error)?;
    let stmt = tx
        .prepare(
            "INSERT INTO xuncha.changes (team, laptop, seq, prev, hash, author, at, action, sig, payload)
             VALUES ($1::text::uuid, $2::text::uuid, $3, $4, $5, $6, $7::text::timestamptz, $8, $9, $10)",
        )
        .map_err(db_error)?;
    let team = team.to_string();
    for ch in changes {
        let payload = String::from_utf8(ch.hashed_json()).unwrap_or_default();
        let seq = i64::try_from(ch.seq).unwrap_or(i64::MAX);
        let at = ch.at.to_rfc3339();
        let sig = ch.sig.clone().unwrap_or_default();
        tx.execute(&stmt, &[&team, &ch.laptop.0.to_string(), &seq, &ch.prev, &ch.hash(), &ch.author, &at, &ch.action, &sig, &payload])
            .map_err(db_error)?;
    }
    tx.commit().map_err(db_error)
}

/// Which of the evidence files `hashes` the hub lacks for `team`.
pub fn files_missing(c: &mut Client, team: Id, hashes: &[String]) -> Result<Vec<String>, HubError> {
    if hashes.is_empty() {
        return Ok(Vec::new());
    }
    let rows = c
        .query(
            "SELECT h FROM unnest($2::text[]) AS h WHERE NOT EXISTS (SELECT 1 FROM xuncha.files f WHERE f.team = $1::text::uuid AND f.sha256 = h)",
            &[&team.to_string(), &hashes],
        )
        .map_err(db_error)?;
    Ok(rows.into_iter().map(|r| r.get(0)).collect())
}

/// Stores evidence files (SHA-256, content) for `team` in one transaction; the hub checks each
/// against its hash itself, and one it holds already is left as it is.
pub fn put_files(c: &mut Client, team: Id, files: &[(String, Vec<u8>)]) -> Result<(), HubError> {
    let mut tx = c.transaction().map_err(db_error)?;
    let stmt = tx
        .prepare(
            "INSERT INTO xuncha.files (team, sha256, size, content) VALUES ($1::text::uuid, $2, $3, $4)
             ON CONFLICT (team, sha256) DO NOTHING",
        )
        .map_err(db_error)?;
    let team = team.to_string();
    for (sha, bytes) in files {
        let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        tx.execute(&stmt, &[&team, sha, &size, bytes]).map_err(db_error)?;
    }
    tx.commit().map_err(db_error)
}

/// The evidence files of `team` among `hashes` that the hub holds, as stored (the caller checks
/// each against its hash).
pub fn files(c: &mut Client, team: Id, hashes: &[String]) -> Result<Vec<(String, Vec<u8>)>, HubError> {
    if hashes.is_empty() {
        return Ok(Vec::new());
    }
    let rows = c
        .query(
            "SELECT sha256, content FROM xuncha.files WHERE team = $1::text::uuid AND sha256 = ANY($2::text[])",
            &[&team.to_string(), &hashes],
        )
        .map_err(db_error)?;
    Ok(rows.into_iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// Up to `limit` changes of `team` that `have` lacks, stored after the hub's id `after`, in the
/// order the hub took them, and no more than `records` records (at least one change); with the
/// id of the last one.
pub fn changes_after(
    c: &mut Client,
    team: Id,
    have: &Known,
    after: i64,
    limit: i64,
    records: i64,
) -> Result<(Vec<SyncChange>, i64), HubError> {
    let laptops: Vec<String> = have.keys().map(|l| l.0.to_string()).collect();
    let seqs: Vec<i64> = have.values().map(|n| i64::try_from(*n).unwrap_or(i64::MAX)).collect();
    let rows = c
        .query(
            "SELECT id, payload, sig, hash FROM (
               SELECT c.id, c.payload, c.sig, c.hash, c.records, sum(c.records) OVER (ORDER BY c.id) AS upto
               FROM xuncha.changes c
               LEFT JOIN unnest($2::text[]::uuid[], $3::bigint[]) AS h(laptop, seq) ON h.laptop = c.laptop
               WHERE c.team = $1::text::uuid AND c.id > $4 AND c.seq > coalesce(h.seq, 0)
               ORDER BY c.id LIMIT $5) page
             WHERE upto - records < $6 ORDER BY id",
            &[&team.to_string(), &laptops, &seqs, &after, &limit, &records],
        )
        .map_err(db_error)?;
    let mut out = Vec::with_capacity(rows.len());
    let mut last = after;
    for row in rows {
        last = row.get(0);
        let payload: String = row.get(1);
        let mut ch: SyncChange = serde_json::from_str(&payload).map_err(|e| HubError::Corrupt(e.to_string()))?;
        let hash: String = row.get(3);
        // The text as this xuncha writes it must be the text the hub holds: otherwise the hash
        // and signature the laptop checks would not be of what it merges.
        if ch.hashed_json() != payload.as_bytes() || ch.hash() != hash {
            return Err(HubError::Corrupt(format!("{}/{}", ch.laptop, ch.seq)));
        }
        ch.sig = Some(row.get(2));
        out.push(ch);
    }
    Ok((out, last))
}

/// One field of a record as the hub holds it: the value and the write that set it.
struct FieldRow {
    path: String,
    value: serde_json::Value,
    order: (i64, String, i64),
}

/// Which visits, results and findings to read: those of the organisations under an area (all
/// with an empty code), or of the organisations listed.
pub enum Scope<'a> {
    Area(&'a str),
    Orgs(&'a [String]),
}

/// The records the laptops hold, rebuilt from the hub's fields: every organisation, template
/// and round, and the visits, results and findings of the organisations `scope` names. Each record is its fields put back in the order they were written, as on a laptop;
/// a rectification log holds every step any write carried (what a laptop shows after merging).
#[allow(clippy::type_complexity)]
pub fn records(c: &mut Client, scope: &Scope) -> Result<(Vec<(String, String, serde_json::Value)>, (i64, String)), HubError> {
    let (area, orgs): (&str, Vec<String>) = match scope {
        Scope::Area(a) => (a, Vec::new()),
        Scope::Orgs(list) => ("\u{1}none", list.to_vec()),
    };
    // One snapshot of the hub for every query: pushes going on meanwhile are not half seen.
    let mut c =
        c.build_transaction().isolation_level(postgres::IsolationLevel::RepeatableRead).read_only(true).start().map_err(db_error)?;
    let head = c
        .query_opt("SELECT id, hash FROM xuncha.changes ORDER BY id DESC LIMIT 1", &[])
        .map_err(db_error)?
        .map_or((0, String::new()), |r| (r.get(0), r.get(1)));
    let rows = c
        .query(
            "WITH area AS (SELECT code FROM xuncha.org_paths WHERE $1 = '' OR $1 = ANY(path_codes)
                           UNION SELECT unnest($2::text[])),
                  picked AS (
                    SELECT 'orgs' AS tree, key FROM xuncha.organisations
                    UNION ALL SELECT 'templates', key FROM xuncha.templates
                    UNION ALL SELECT 'rounds', key FROM xuncha.rounds
                    UNION ALL SELECT 'visits', key FROM xuncha.visits WHERE org IN (SELECT code FROM area)
                    UNION ALL SELECT 'results', key FROM xuncha.results WHERE org IN (SELECT code FROM area)
                    UNION ALL SELECT 'findings', key FROM xuncha.findings WHERE org IN (SELECT code FROM area))
             SELECT f.tree, f.key, f.path, f.value::text, f.at_ns, f.laptop::text, f.seq
             FROM xuncha.fields f JOIN picked p ON p.tree = f.tree AND p.key = f.key
             ORDER BY f.tree, f.key",
            &[&area, &orgs],
        )
        .map_err(db_error)?;
    let steps = c
        .query(
            "SELECT s.finding, s.entry::text FROM xuncha.rect_steps s JOIN xuncha.findings f ON f.key = s.finding
             WHERE $1 = '' OR f.org IN (SELECT code FROM xuncha.org_paths WHERE $1 = ANY(path_codes))
                OR f.org = ANY($2::text[])",
            &[&area, &orgs],
        )
        .map_err(db_error)?;
    let attached = c
        .query(
            "SELECT s.finding, s.entry::text FROM xuncha.finding_files s JOIN xuncha.findings f ON f.key = s.finding
             WHERE $1 = '' OR f.org IN (SELECT code FROM xuncha.org_paths WHERE $1 = ANY(path_codes))
                OR f.org = ANY($2::text[])",
            &[&area, &orgs],
        )
        .map_err(db_error)?;
    let mut logs: std::collections::HashMap<String, Vec<serde_json::Value>> = std::collections::HashMap::new();
    for r in steps {
        let entry: String = r.get(1);
        if let Ok(v) = serde_json::from_str(&entry) {
            logs.entry(r.get(0)).or_default().push(v);
        }
    }
    let mut file_logs: std::collections::HashMap<String, Vec<serde_json::Value>> = std::collections::HashMap::new();
    for r in attached {
        let entry: String = r.get(1);
        if let Ok(v) = serde_json::from_str(&entry) {
            file_logs.entry(r.get(0)).or_default().push(v);
        }
    }
    let mut out = Vec::new();
    let mut current: Option<(String, String, Vec<FieldRow>)> = None;
    let finish = |cur: Option<(String, String, Vec<FieldRow>)>, out: &mut Vec<(String, String, serde_json::Value)>| {
        if let Some((tree, key, mut fields)) = cur {
            fields.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.path.cmp(&b.path)));
            let mut data = serde_json::Value::Object(Default::default());
            for f in fields {
                crate::domain::fields::set_path(&mut data, &f.path, f.value);
            }
            if tree == "findings"
                && let Some(all) = logs.get(&key)
            {
                merge_log(&mut data, "rect.updates", all);
            }
            if tree == "findings"
                && let Some(all) = file_logs.get(&key)
            {
                merge_log(&mut data, "attachments", all);
            }
            out.push((tree, key, data));
        }
    };
    for r in rows {
        let (tree, key): (String, String) = (r.get(0), r.get(1));
        let value: String = r.get(3);
        let row = FieldRow {
            path: r.get(2),
            value: serde_json::from_str(&value).map_err(|e| HubError::Unreadable(e.to_string()))?,
            order: (r.get(4), r.get(5), r.get(6)),
        };
        match &mut current {
            Some((t, k, fields)) if *t == tree && *k == key => fields.push(row),
            _ => {
                finish(current.take(), &mut out);
                current = Some((tree, key, vec![row]));
            }
        }
    }
    finish(current.take(), &mut out);
    c.commit().map_err(db_error)?;
    Ok((out, head))
}

/// A finding's log at `path` (its steps, its files): the latest write's list, unless other
/// writes carried entries it lacks (two laptops appended at once); then all of them, ordered as
/// the merge orders a log.
fn merge_log(data: &mut serde_json::Value, path: &str, all: &[serde_json::Value]) {
    let shown = crate::domain::fields::get_path(data, path).as_array().cloned().unwrap_or_default();
    if all.iter().all(|e| shown.contains(e)) {
        return;
    }
    let lists: Vec<serde_json::Value> = vec![serde_json::Value::Array(shown), serde_json::Value::Array(all.to_vec())];
    let merged = crate::domain::sync::union_of(&lists.iter().collect::<Vec<_>>());
    crate::domain::fields::set_path(data, path, merged);
}

/// One visit's figures as the office's views show them (see `xuncha hub refresh`).
pub struct ScoreRow {
    pub visit: String,
    pub round: String,
    pub org: String,
    pub score: Option<f64>,
    pub health: Option<f64>,
    pub grade: Option<String>,
    pub veto: bool,
    pub answered: i32,
    pub applicable: i32,
    pub findings: i32,
    pub warning_calm: Option<String>,
    pub warning_overdue: Option<String>,
    pub first_deadline: Option<String>,
}

/// Where the scores stand: the last change they take into account, and the newest change
/// stored. Takes the refresh lock for the session (one refresh at a time; the connection's end
/// frees it). Changes are stored one transaction at a time with ids in commit order, so every
/// change after the newest seen here gets a higher id.
pub fn scores_position(c: &mut Client) -> Result<(i64, i64), HubError> {
    c.execute("SELECT pg_advisory_lock(7720261131)", &[]).map_err(db_error)?;
    let done = c
        .query_opt("SELECT value FROM xuncha.office_state WHERE name = 'scores'", &[])
        .map_err(db_error)?
        .map_or(0, |r| r.get::<_, i64>(0));
    let newest = c.query_one("SELECT coalesce(max(id), 0) FROM xuncha.changes", &[]).map_err(db_error)?.get::<_, i64>(0);
    Ok((done, newest))
}

/// The organisations whose visits' figures the changes after `after` up to `upto` may move: a
/// visit, result or finding of theirs, or the organisation itself (its field picks items).
pub fn orgs_touched(c: &mut Client, after: i64, upto: i64) -> Result<Vec<String>, HubError> {
    let rows = c
        .query(
            "SELECT DISTINCT coalesce(v.org, r.org, f.org, o.code) FROM xuncha.changes c
             CROSS JOIN LATERAL jsonb_array_elements(c.payload::jsonb->'ops') op
             LEFT JOIN xuncha.visits v ON op->>'t' = 'visits' AND v.key = op->>'k'
             LEFT JOIN xuncha.results r ON op->>'t' = 'results' AND r.key = op->>'k'
             LEFT JOIN xuncha.findings f ON op->>'t' = 'findings' AND f.key = op->>'k'
             LEFT JOIN xuncha.organisations o ON op->>'t' = 'orgs' AND o.key = op->>'k'
             WHERE c.id > $1 AND c.id <= $2 AND coalesce(v.org, r.org, f.org, o.code) IS NOT NULL",
            &[&after, &upto],
        )
        .map_err(db_error)?;
    Ok(rows.into_iter().map(|r| r.get(0)).collect())
}

/// Writes the figures of `rows` and moves the position to `upto`, in one transaction.
pub fn put_scores(c: &mut Client, rows: &[ScoreRow], upto: i64) -> Result<(), HubError> {
    let mut tx = c.transaction().map_err(db_error)?;
    tx.execute("SELECT pg_advisory_xact_lock(7720261131)", &[]).map_err(db_error)?;
    let stmt = tx
        .prepare(
            "INSERT INTO xuncha.visit_scores (visit, round, org, score, health, grade, veto, answered, applicable, findings,
                                              warning_calm, warning_overdue, first_deadline, computed_at)
             VALUES ($1, $2::text::uuid, $3, $4::float8::numeric, $5::float8::numeric, $6, $7, $8, $9, $10, $11, $12, $13::text::date, now())
             ON CONFLICT (visit) DO UPDATE SET round = EXCLUDED.round, org = EXCLUDED.org, score = EXCLUDED.score,
               health = EXCLUDED.health, grade = EXCLUDED.grade, veto = EXCLUDED.veto, answered = EXCLUDED.answered,
               applicable = EXCLUDED.applicable, findings = EXCLUDED.findings, warning_calm = EXCLUDED.warning_calm,
               warning_overdue = EXCLUDED.warning_overdue, first_deadline = EXCLUDED.first_deadline, computed_at = now()",
        )
        .map_err(db_error)?;
    for r in rows {
        tx.execute(
            &stmt,
            &[
                &r.visit,
                &r.round,
                &r.org,
                &r.score,
                &r.health,
                &r.grade,
                &r.veto,
                &r.answered,
                &r.applicable,
                &r.findings,
                &r.warning_calm,
                &r.warning_overdue,
                &r.first_deadline,
            ],
        )
        .map_err(db_error)?;
    }
    tx.execute(
        "INSERT INTO xuncha.office_state (name, value) VALUES ('scores', $1)
         ON CONFLICT (name) DO UPDATE SET value = greatest(xuncha.office_state.value, EXCLUDED.value)",
        &[&upto],
    )
    .map_err(db_error)?;
    tx.commit().map_err(db_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpass_lines_match_field_by_field_with_wildcards_and_escapes() {
        let text = "# comment\n\n10.0.0.5:5432:xuncha:wang:first\n*:*:*:wang:pa\\:ss\\\\word\nbad line\n*:*:*:*:any\n";
        assert_eq!(pgpass_lookup(text, "10.0.0.5", "5432", "xuncha", "wang").as_deref(), Some("first"));
        assert_eq!(pgpass_lookup(text, "other", "5433", "db", "wang").as_deref(), Some("pa:ss\\word"));
        assert_eq!(pgpass_lookup(text, "h", "1", "d", "li").as_deref(), Some("any"));
        assert_eq!(pgpass_lookup("10.0.0.5:5432:xuncha:wang\n", "10.0.0.5", "5432", "xuncha", "wang"), None, "four fields is no entry");
    }

    #[test]
    fn a_url_is_named_without_secrets_and_a_password_in_it_is_refused() {
        assert_eq!(label("postgres://wang@10.0.0.5:6543/xuncha"), "wang@10.0.0.5:6543/xuncha");
        assert!(matches!(connect("postgres://wang:secret@127.0.0.1:1/xuncha"), Err(HubError::PasswordInUrl)));
        assert!(matches!(connect("postgres://wang@127.0.0.1:1/xuncha?nonsense=1"), Err(HubError::BadUrl(_))));
    }

    #[test]
    fn the_migrations_are_numbered_in_order_from_one() {
        for (i, (n, name, sql)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*n as usize, i + 1, "{name}");
            assert!(sql.contains(&format!("migration {n}:")), "{name} says its own number");
        }
    }
}
