//! A throwaway PostgreSQL cluster for the hub's tests: the hub keeps the team's record in
//! PostgreSQL and checks each change's ed25519 signature inside the database (plpython3u with
//! PyNaCl), so its tests need a real server, not a mock. Each test starts its own cluster in a
//! fresh temporary folder on a free port (tests run in parallel threads: nothing global), with
//! fsync off to stay quick; dropping it stops the server and removes the folder.
//!
//! The server, plpython3 and PyNaCl are installed from the Debian packages when missing (see
//! `install_packages`), once per test process. PostgreSQL refuses to run as root, so when the
//! tests run as root (CI does) the server runs as the system user `xuncha-pg`, created when
//! missing; the psql client runs as the test's own user and connects over TCP with a password.

use super::{install_packages, is_root};
use std::fs;
use std::io::Write;
use std::net::TcpListener;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// The cluster's superuser's password (the superuser is `xuncha_admin`).
pub const ADMIN_PASSWORD: &str = "admin-secret";
const ADMIN: &str = "xuncha_admin";
const DATABASE: &str = "xuncha";
const OS_USER: &str = "xuncha-pg";
const PG_ROOT: &str = "/usr/lib/postgresql";

/// What every cluster of this test process shares: where the binaries are, and who runs them.
struct Machine {
    bin: PathBuf,
    psql: PathBuf,
    /// The OS user the server runs as (when the tests run as root); `None`: the current user.
    run_as: Option<&'static str>,
}

pub struct Pg {
    machine: &'static Machine,
    dir: tempfile::TempDir,
    port: u16,
}

impl Pg {
    /// Creates a cluster in a fresh temporary folder and starts it on a free port, with the
    /// database `xuncha` and the superuser `xuncha_admin` (password `ADMIN_PASSWORD`).
    pub fn start() -> Pg {
        let machine = machine();
        let dir = tempfile::Builder::new()
            .prefix("xuncha-pg-")
            .permissions(fs::Permissions::from_mode(0o700))
            .tempdir_in("/tmp")
            .expect("a temporary folder in /tmp");
        fs::write(dir.path().join("pwfile"), format!("{ADMIN_PASSWORD}\n")).unwrap();
        if let Some(user) = machine.run_as {
            let out = Command::new("chown").arg("-R").arg(format!("{user}:")).arg(dir.path()).output().unwrap();
            assert!(out.status.success(), "chown {user} {}: {}", dir.path().display(), String::from_utf8_lossy(&out.stderr));
        }
        let mut pg = Pg { machine, dir, port: 0 };
        pg.initdb();
        let mut taken = Vec::new();
        loop {
            pg.port = free_port();
            match pg.pg_ctl_start() {
                Ok(()) => break,
                Err(e) if e.contains("already in use") && taken.len() < 4 => taken.push(pg.port),
                Err(e) => panic!("PostgreSQL did not start on port {} (ports found taken before: {taken:?}): {e}", pg.port),
            }
        }
        let out = pg
            .server_command(&pg.machine.psql)
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(pg.dir.path())
            .args(["-p", &pg.port.to_string(), "-U", ADMIN, "-d", "postgres", "-c", &format!("CREATE DATABASE {DATABASE}")])
            .output()
            .unwrap();
        pg.check(&out, "creating the database xuncha");
        pg
    }

    /// `postgres://USER@127.0.0.1:PORT/xuncha`: no password (it comes from PGPASSWORD or a
    /// .pgpass file).
    pub fn url(&self, user: &str) -> String {
        format!("postgres://{user}@127.0.0.1:{}/{DATABASE}", self.port)
    }

    pub fn admin_url(&self) -> String {
        self.url(ADMIN)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The cluster's folder (removed when the cluster is dropped).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `sql` with psql as `user` over TCP; Ok(what it printed, unaligned, tuples only,
    /// trimmed), Err(its error output).
    pub fn psql(&self, user: &str, password: &str, sql: &str) -> Result<String, String> {
        let out = Command::new(&self.machine.psql)
            .args(["-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(["-U", user, "-d", DATABASE, "-c", sql])
            .env("PGPASSWORD", password)
            .env("PGCONNECT_TIMEOUT", "10")
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", self.machine.psql.display()));
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    /// Runs `sql` as the superuser; panics on an error.
    pub fn admin(&self, sql: &str) -> String {
        self.psql(ADMIN, ADMIN_PASSWORD, sql)
            .unwrap_or_else(|e| panic!("as {ADMIN}: {sql}\nfailed: {e}\nthe server's log ends:\n{}", self.log_tail()))
    }

    /// Creates a role that can log in with `password`, member of the roles `member_of`.
    pub fn create_login(&self, name: &str, password: &str, member_of: &[&str]) {
        let mut sql = format!("CREATE ROLE {} LOGIN PASSWORD {}", ident(name), literal(password));
        if !member_of.is_empty() {
            let roles: Vec<String> = member_of.iter().map(|r| ident(r)).collect();
            sql.push_str(" IN ROLE ");
            sql.push_str(&roles.join(", "));
        }
        self.admin(&sql);
    }

    /// Writes `dir/pgpass` (mode 0600) with `user`'s password for this cluster; tests point
    /// PGPASSFILE at it.
    pub fn pgpass_file(&self, dir: &Path, user: &str, password: &str) -> PathBuf {
        let field = |s: &str| s.replace('\\', "\\\\").replace(':', "\\:");
        let path = dir.join("pgpass");
        let mut f = fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&path).unwrap();
        writeln!(f, "127.0.0.1:{}:{DATABASE}:{}:{}", self.port, field(user), field(password)).unwrap();
        path
    }

    /// Turns TLS on with a certificate for 127.0.0.1 signed by a certificate authority made for
    /// the test (with the openssl tool, installed from the OS packages when missing) and refuses
    /// every connection over TCP that is not TLS. Returns the authority's certificate (the root a
    /// client checks the server against).
    pub fn enable_tls(&self) -> PathBuf {
        super::ensure(&[("openssl", "openssl")]);
        let d = self.dir.path();
        let (ca_key, ca_crt, csr, ext) = (d.join("ca.key"), d.join("ca.crt"), d.join("server.csr"), d.join("server.ext"));
        let (crt, key) = (self.data().join("server.crt"), self.data().join("server.key"));
        fs::write(&ext, "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n").unwrap();
        let openssl = |args: &[&std::ffi::OsStr], what: &str| {
            let out = Command::new("openssl").args(args).output().unwrap();
            self.check(&out, what);
        };
        let os = |p: &Path| p.as_os_str().to_owned();
        let s = |t: &str| std::ffi::OsString::from(t);
        openssl(
            &[
                s("req"),
                s("-x509"),
                s("-newkey"),
                s("rsa:2048"),
                s("-nodes"),
                s("-days"),
                s("2"),
                s("-subj"),
                s("/CN=xuncha test CA"),
                s("-keyout"),
                os(&ca_key),
                s("-out"),
                os(&ca_crt),
            ]
            .iter()
            .map(|x| x.as_os_str())
            .collect::<Vec<_>>(),
            "openssl req (the authority)",
        );
        openssl(
            &[
                s("req"),
                s("-newkey"),
                s("rsa:2048"),
                s("-nodes"),
                s("-subj"),
                s("/CN=127.0.0.1"),
                s("-keyout"),
                os(&key),
                s("-out"),
                os(&csr),
            ]
            .iter()
            .map(|x| x.as_os_str())
            .collect::<Vec<_>>(),
            "openssl req (the server)",
        );
        openssl(
            &[
                s("x509"),
                s("-req"),
                s("-in"),
                os(&csr),
                s("-CA"),
                os(&ca_crt),
                s("-CAkey"),
                os(&ca_key),
                s("-CAcreateserial"),
                s("-days"),
                s("2"),
                s("-extfile"),
                os(&ext),
                s("-out"),
                os(&crt),
            ]
            .iter()
            .map(|x| x.as_os_str())
            .collect::<Vec<_>>(),
            "openssl x509 (signing)",
        );
        fs::set_permissions(&key, fs::Permissions::from_mode(0o600)).unwrap();
        if let Some(user) = self.machine.run_as {
            let out = Command::new("chown").arg(format!("{user}:")).arg(&key).arg(&crt).output().unwrap();
            self.check(&out, "chown of the certificate");
        }
        let hba = self.data().join("pg_hba.conf");
        let old = fs::read_to_string(&hba).unwrap();
        fs::write(&hba, format!("hostnossl all all 0.0.0.0/0 reject\nhostnossl all all ::/0 reject\n{old}")).unwrap();
        self.admin("ALTER SYSTEM SET ssl = on");
        self.admin("SELECT pg_reload_conf()");
        // The reload is asynchronous: wait until a new connection sees it.
        for _ in 0..100 {
            if self.admin("SHOW ssl") == "on" {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        ca_crt
    }

    /// Stops the server cleanly (`pg_ctl stop -m fast`).
    pub fn stop(&self) {
        let out = self.pg_ctl().args(["-m", "fast", "stop"]).output().unwrap();
        self.check(&out, "pg_ctl stop -m fast");
    }

    /// Stops the server as a crash would (`pg_ctl stop -m immediate`: no checkpoint, recovery
    /// at the next start).
    pub fn kill(&self) {
        let out = self.pg_ctl().args(["-m", "immediate", "stop"]).output().unwrap();
        self.check(&out, "pg_ctl stop -m immediate");
    }

    /// Starts the stopped (or killed) server again, on the same port.
    pub fn start_again(&self) {
        if let Err(e) = self.pg_ctl_start() {
            panic!("PostgreSQL did not start again on port {}: {e}", self.port);
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn log(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }

    /// A server program (initdb, pg_ctl, psql over the socket) run as the server's OS user,
    /// in the cluster's folder (the test's own may be closed to that user).
    fn server_command(&self, program: &Path) -> Command {
        let mut c = match self.machine.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(program);
                c
            }
            None => Command::new(program),
        };
        c.current_dir(self.dir.path()).stdin(Stdio::null());
        c
    }

    fn pg_ctl(&self) -> Command {
        let mut c = self.server_command(&self.machine.bin.join("pg_ctl"));
        c.arg("-D").arg(self.data()).args(["-w", "-t", "60"]);
        c
    }

    fn initdb(&self) {
        let mut last = String::new();
        for locale in ["C.UTF-8", "C"] {
            let _ = fs::remove_dir_all(self.data());
            let out = self
                .server_command(&self.machine.bin.join("initdb"))
                .arg("-D")
                .arg(self.data())
                .args(["-U", ADMIN, "--auth-local=trust", "--auth-host=scram-sha-256"])
                .arg(format!("--pwfile={}", self.dir.path().join("pwfile").display()))
                .args(["-E", "UTF8", &format!("--locale={locale}"), "--no-sync"])
                .output()
                .unwrap();
            if out.status.success() {
                return;
            }
            last = format!("--locale={locale}: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        }
        panic!("initdb failed in {}: {last}", self.dir.path().display());
    }

    /// `pg_ctl start -w` on `self.port`; Err(pg_ctl's output and what the server logged).
    fn pg_ctl_start(&self) -> Result<(), String> {
        let logged = fs::metadata(self.log()).map_or(0, |m| m.len() as usize);
        let options =
            format!("-p {} -k '{}' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40", self.port, self.dir.path().display());
        let out = self.pg_ctl().arg("-l").arg(self.log()).arg("-o").arg(options).arg("start").output().unwrap();
        if out.status.success() {
            return Ok(());
        }
        let log = fs::read(self.log()).unwrap_or_default();
        Err(format!(
            "{}{}\nthe server logged:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(log.get(logged..).unwrap_or_default())
        ))
    }

    fn check(&self, out: &Output, what: &str) {
        assert!(
            out.status.success(),
            "{what} failed: {}{}\nthe server's log ends:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            self.log_tail()
        );
    }

    /// The last 40 lines of the server's log.
    fn log_tail(&self) -> String {
        let log = fs::read_to_string(self.log()).unwrap_or_else(|e| format!("(no log: {e})"));
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        // As a crash would: the folder goes next (the TempDir's drop; root removes it even when
        // it belongs to the server's user).
        let _ = self.pg_ctl().args(["-m", "immediate", "stop"]).stdout(Stdio::null()).stderr(Stdio::null()).status();
    }
}

/// A TCP port free on 127.0.0.1 now (the OS picks it; it may be taken again before the server
/// binds it, hence the retries in `Pg::start`).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Finds (installing what is missing, once per test process) the server, plpython3, PyNaCl and
/// psql, and when running as root the OS user the server runs as. Panics saying what is missing.
fn machine() -> &'static Machine {
    static MACHINE: OnceLock<Result<Machine, String>> = OnceLock::new();
    match MACHINE.get_or_init(prepare) {
        Ok(m) => m,
        Err(e) => panic!("the PostgreSQL tests need {e}"),
    }
}

fn prepare() -> Result<Machine, String> {
    let major = match highest_major() {
        Some(m) => m,
        None => {
            install_packages(&["postgresql"]);
            highest_major().ok_or("a PostgreSQL server (apt-get install postgresql)")?
        }
    };
    let plpython = || Path::new(&format!("{PG_ROOT}/{major}/lib/plpython3.so")).exists();
    let nacl = || {
        Command::new("/usr/bin/python3")
            .args(["-c", "import nacl.signing"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let plpython_package = format!("postgresql-plpython3-{major}");
    let mut missing: Vec<&str> = Vec::new();
    if !plpython() {
        missing.push(&plpython_package);
    }
    if !nacl() {
        missing.push("python3-nacl");
    }
    let bin = PathBuf::from(format!("{PG_ROOT}/{major}/bin"));
    // The server's own psql (same version, no wrapper); else the Debian wrapper.
    let psql = || [bin.join("psql"), PathBuf::from("/usr/bin/psql")].into_iter().find(|p| p.exists());
    if psql().is_none() {
        missing.push("postgresql-client");
    }
    if !missing.is_empty() {
        install_packages(&missing);
    }
    if !plpython() {
        return Err(format!("plpython3 for PostgreSQL {major} (apt-get install {plpython_package})"));
    }
    if !nacl() {
        return Err("PyNaCl for /usr/bin/python3 (apt-get install python3-nacl)".into());
    }
    let psql = psql().ok_or("psql (apt-get install postgresql-client)")?;
    let run_as = if is_root() {
        os_user()?;
        Some(OS_USER)
    } else {
        None
    };
    Ok(Machine { bin, psql, run_as })
}

/// The highest PostgreSQL major version with a server in /usr/lib/postgresql/<major>/bin.
fn highest_major() -> Option<u32> {
    fs::read_dir(PG_ROOT)
        .ok()?
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|m| Path::new(&format!("{PG_ROOT}/{m}/bin/postgres")).exists())
        .max()
}

/// Makes sure the system user `xuncha-pg` exists. Another test process may be creating it at
/// the same moment (useradd then fails, or finds /etc/passwd locked): what counts is that the
/// user exists afterwards.
fn os_user() -> Result<(), String> {
    let exists =
        || Command::new("id").arg("-u").arg(OS_USER).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success());
    let mut last = String::new();
    for _ in 0..20 {
        if exists() {
            return Ok(());
        }
        let out = Command::new("useradd")
            .args(["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OS_USER])
            .output()
            .map_err(|e| format!("useradd (to create the user {OS_USER}): {e}"))?;
        if out.status.success() || exists() {
            return Ok(());
        }
        last = String::from_utf8_lossy(&out.stderr).into_owned();
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Err(format!("the OS user {OS_USER} to run the server (useradd failed: {last})"))
}
