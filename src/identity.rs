//! This laptop's signing key: an ed25519 key pair made at first use and kept in the config
//! folder (`laptop.key`, readable by the owner only). The team roster names members by their
//! public keys; bundles and rosters are signed with it, so a change can be traced to the laptop
//! that made it and a forged or altered one is refused.
//!
//! Signing and checking are pure functions of bytes (`sign`, `verify`); only `load_or_make`
//! touches the disk.

use crate::i18n::K;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The key file's name in the config folder.
pub const KEY_FILE: &str = "laptop.key";

/// A laptop's key pair.
pub struct Keys {
    signing: SigningKey,
}

impl Keys {
    /// The key pair of a 32-byte secret.
    pub fn from_secret(secret: &[u8; 32]) -> Keys {
        Keys { signing: SigningKey::from_bytes(secret) }
    }

    /// The public key, hex.
    pub fn public_hex(&self) -> String {
        hex(self.signing.verifying_key().as_bytes())
    }

    /// The public key's fingerprint, as people compare it aloud.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.public_hex())
    }

    /// The signature of `bytes`, hex.
    pub fn sign(&self, bytes: &[u8]) -> String {
        hex(&self.signing.sign(bytes).to_bytes())
    }
}

/// The fingerprint of a public key given in hex: the first 16 bytes of its SHA-256, in groups of
/// four hex digits (`3f2a-91c0-…`). The same key always gives the same fingerprint.
pub fn fingerprint(public_hex: &str) -> String {
    let digest = Sha256::digest(public_hex.as_bytes());
    let h = hex(&digest[..16]);
    h.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// Whether `signature_hex` is `public_hex`'s signature of `bytes` (strict: no malleable
/// encodings). Bad hex or a bad key is simply not a valid signature.
pub fn verify(public_hex: &str, bytes: &[u8], signature_hex: &str) -> bool {
    let (Some(key), Some(sig)) = (unhex::<32>(public_hex), unhex::<64>(signature_hex)) else { return false };
    let Ok(key) = VerifyingKey::from_bytes(&key) else { return false };
    key.verify_strict(bytes, &Signature::from_bytes(&sig)).is_ok()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex<const N: usize>(s: &str) -> Option<[u8; N]> {
    let s = s.trim();
    if s.len() != N * 2 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(s.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

/// Where this laptop's key lives.
pub fn key_path() -> PathBuf {
    crate::config::config_dir().join(KEY_FILE)
}

/// Reads the key at `path`, or makes one there (from the system's random source, written
/// owner-only and durably) when there is none. A key file that is there but unreadable is an
/// error, never silently replaced: members know this laptop by that key.
/// The error is the sentence for the user.
pub fn load_or_make(path: &Path) -> Result<Keys, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => unhex::<32>(&text).map(|s| Keys::from_secret(&s)).ok_or_else(|| K::KeyBad.fill(&[&path.display()])),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut secret = [0u8; 32];
            getrandom::fill(&mut secret).map_err(|e| K::KeyUnmade.fill(&[&e]))?;
            write_private(path, &hex(&secret)).map_err(|e| crate::oserror::write_failed(path, &e))?;
            Ok(Keys::from_secret(&secret))
        }
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => Err(K::KeyBad.fill(&[&path.display()])),
        Err(e) => Err(format!("{}：{}", path.display(), crate::oserror::describe(&e))),
    }
}

/// Writes `text` to `path` readable by the owner only: a temporary file, fsync, rename.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("key.tmp");
    // A leftover from a cut-off run may have other permissions: the secret goes into a new file.
    match std::fs::remove_file(&tmp) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(&tmp)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_bytes_and_its_key() {
        let a = Keys::from_secret(&[7u8; 32]);
        let b = Keys::from_secret(&[8u8; 32]);
        let sig = a.sign(b"roster v1");
        assert!(verify(&a.public_hex(), b"roster v1", &sig));
        assert!(!verify(&a.public_hex(), b"roster v2", &sig), "other bytes");
        assert!(!verify(&b.public_hex(), b"roster v1", &sig), "other key");
        assert!(!verify(&a.public_hex(), b"roster v1", "zz"), "bad hex");
        let mut flipped = sig.clone().into_bytes();
        flipped[10] = if flipped[10] == b'0' { b'1' } else { b'0' };
        assert!(!verify(&a.public_hex(), b"roster v1", &String::from_utf8(flipped).unwrap_or_default()), "flipped digit");
    }

    #[test]
    fn the_key_is_made_once_owner_only_and_read_back() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("cfg").join(KEY_FILE);
        let made = load_or_make(&path).unwrap_or_else(|e| panic!("{e}"));
        let again = load_or_make(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(made.public_hex(), again.public_hex());
        assert_eq!(made.fingerprint().len(), 39, "8 groups of 4 and 7 dashes: {}", made.fingerprint());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).map(|m| m.permissions().mode() & 0o777).unwrap_or(0);
            assert_eq!(mode, 0o600);
        }
        std::fs::write(&path, "not a key").unwrap_or_else(|e| panic!("{e}"));
        assert!(load_or_make(&path).is_err(), "a damaged key is an error, not a new key");
    }
}
