//! The throwaway PostgreSQL cluster the hub's tests stand on (tests/support/pg.rs): logins with
//! passwords over TCP, plpython3u with PyNaCl (the hub checks signatures inside the database),
//! a crash and a restart, and nothing left behind. The server, plpython3 and PyNaCl are installed
//! when missing.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod common;

use std::net::TcpStream;
use std::time::Instant;
use support::pg::{ADMIN_PASSWORD, Pg};

#[test]
fn a_throwaway_cluster_takes_logins_runs_plpython_with_nacl_survives_a_crash_and_leaves_nothing() {
    let started = Instant::now();
    let pg = Pg::start();
    eprintln!("Pg::start took {:?} (port {}, folder {})", started.elapsed(), pg.port(), pg.dir().display());
    assert_eq!(pg.admin_url(), format!("postgres://xuncha_admin@127.0.0.1:{}/xuncha", pg.port()));
    assert_eq!(pg.admin("select current_database()"), "xuncha");

    // A login with a password; a wrong password is refused.
    pg.create_login("laptop_a", "pw-a'1", &[]);
    assert_eq!(pg.psql("laptop_a", "pw-a'1", "select current_user").unwrap(), "laptop_a");
    let refused = pg.psql("laptop_a", "wrong", "select 1").unwrap_err();
    assert!(refused.contains("password authentication failed"), "{refused}");
    assert!(pg.psql("xuncha_admin", "wrong", "select 1").is_err());
    pg.create_login("laptop_1", "pw-1", &["laptop_a"]);
    assert_eq!(pg.psql("laptop_1", "pw-1", "select pg_has_role('laptop_a', 'member')").unwrap(), "t");

    // A .pgpass file stands in for PGPASSWORD.
    let home = tempfile::tempdir().unwrap();
    let pgpass = pg.pgpass_file(home.path(), "laptop_a", "pw-a'1");
    let line = std::fs::read_to_string(&pgpass).unwrap();
    assert_eq!(line, format!("127.0.0.1:{}:xuncha:laptop_a:pw-a'1\n", pg.port()));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&pgpass).unwrap().permissions().mode() & 0o777, 0o600);

    // plpython3u, with PyNaCl: an ed25519 signature made and checked inside the database.
    pg.admin("CREATE EXTENSION plpython3u");
    pg.admin(
        "CREATE FUNCTION nacl_works() RETURNS boolean LANGUAGE plpython3u AS $$
import nacl.signing
key = nacl.signing.SigningKey.generate()
signed = key.sign(b'xuncha')
return key.verify_key.verify(signed) == b'xuncha'
$$",
    );
    assert_eq!(pg.admin("select nacl_works()"), "t");

    // A crash (immediate stop), a start again on the same port: the data is still there.
    pg.kill();
    assert!(pg.psql("xuncha_admin", ADMIN_PASSWORD, "select 1").is_err());
    pg.start_again();
    assert_eq!(pg.psql("laptop_a", "pw-a'1", "select current_user").unwrap(), "laptop_a");
    assert_eq!(pg.admin("select nacl_works()"), "t");
    pg.stop();
    pg.start_again();
    assert_eq!(pg.admin("select 1"), "1");

    // Dropped: the server is gone and so is its folder.
    let (dir, port) = (pg.dir().to_path_buf(), pg.port());
    drop(pg);
    assert!(!dir.exists(), "{} is still there", dir.display());
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "something still listens on {port}");
}
