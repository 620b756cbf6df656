//! The bytes of a text file as a string, in an encoding recognised rather than guessed into
//! mojibake: a BOM (UTF-8, UTF-16LE, UTF-16BE) says it; valid UTF-8 is UTF-8; otherwise chardetng
//! (Firefox's detector) judges, and only its GBK verdict is accepted (decoded as GB18030, the
//! superset Excel and WPS write on Chinese Windows). Anything else is refused with its name.

use super::Problem;
use crate::i18n::K;
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{BIG5, DecoderResult, EUC_JP, EUC_KR, Encoding, GB18030, GBK, REPLACEMENT, SHIFT_JIS, UTF_16BE, UTF_16LE};

/// How much of a file the detector scores: far more than a header and a few rows need, and a
/// 200 MB file is not scored 27 ways.
const DETECT_PREFIX: usize = 1 << 20;

/// The encoding for an `--encoding` label, as WHATWG names them (utf-8, utf-16le, gbk, gb18030,
/// big5, shift_jis, windows-1252, …); an unknown label is refused naming it.
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding, String> {
    // "replacement" is what WHATWG maps dangerous legacy labels to: it decodes nothing.
    Encoding::for_label(label.trim().as_bytes()).filter(|e| *e != REPLACEMENT).ok_or_else(|| K::EncodingUnknown.fill(&[&label]))
}

/// The text of `bytes`, in `forced` when given, else in the encoding recognised.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<String, Problem> {
    if let Some(enc) = forced {
        let body = match Encoding::for_bom(bytes) {
            Some((bom, len)) if bom == enc => &bytes[len..],
            _ => bytes,
        };
        if !is_utf16(enc) && looks_binary(body) {
            return Err(Problem::Binary);
        }
        return strict(enc, body);
    }
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        return strict(enc, &bytes[len..]);
    }
    // Text never holds NUL bytes (UTF-16 would, but Excel writes it with a BOM); an old .xls, a
    // PDF or an image does.
    if looks_binary(bytes) {
        return Err(Problem::Binary);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let enc = guess(bytes);
    if enc == GBK || enc == GB18030 {
        return strict(GB18030, bytes);
    }
    Err(Problem::Encoding { words: words(enc), label: enc.name().to_ascii_lowercase() })
}

fn is_utf16(enc: &'static Encoding) -> bool {
    enc == UTF_16LE || enc == UTF_16BE
}

fn looks_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, bytes).is_some()
}

/// chardetng's verdict on bytes that are not UTF-8.
///
/// A file with only a character or two of Chinese is too short for the detector to tell GBK from
/// a single-byte encoding; China's top-level domain as a hint settles that, but the hint alone
/// also turns Latin-1 and Big5 into GBK, which decodes them without an error into nonsense. So
/// the hint is asked only after the detector found no other East Asian encoding, and is taken
/// only when every two-byte character is in GB2312, the common core of simplified Chinese that
/// such short files hold: Latin-1 letters, read as GBK, pair with the ASCII after them and are not.
fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    let prefix = &bytes[..bytes.len().min(DETECT_PREFIX)];
    detector.feed(prefix, prefix.len() == bytes.len());
    let generic = detector.guess(None, Utf8Detection::Deny);
    if generic == GBK {
        return GBK;
    }
    let east_asian = [BIG5, SHIFT_JIS, EUC_JP, EUC_KR].contains(&generic);
    if !east_asian && detector.guess(Some(b"cn"), Utf8Detection::Deny) == GBK && all_gb2312(prefix) { GBK } else { generic }
}

/// Every non-ASCII byte is part of a GB2312 pair (lead A1–F7, trail A1–FE).
fn all_gb2312(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] < 0x80 {
            i += 1;
            continue;
        }
        // A pair cut by the end of a detection prefix counts as whole.
        let trail = bytes.get(i + 1).copied().unwrap_or(0xA1);
        if !(0xA1..=0xF7).contains(&bytes[i]) || !(0xA1..=0xFE).contains(&trail) {
            return false;
        }
        i += 2;
    }
    true
}

/// The whole of `bytes` in `enc`, or the line of the first byte sequence that is not valid in it.
fn strict(enc: &'static Encoding, bytes: &[u8]) -> Result<String, Problem> {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let room = |d: &encoding_rs::Decoder, n: usize| d.max_utf8_buffer_length_without_replacement(n).unwrap_or(n).max(16);
    let mut out = String::with_capacity(room(&decoder, bytes.len()));
    let mut rest = bytes;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut out, true);
        rest = &rest[read..];
        match result {
            DecoderResult::InputEmpty => return Ok(out),
            DecoderResult::OutputFull => out.reserve(room(&decoder, rest.len())),
            DecoderResult::Malformed(..) => {
                let encoding = enc.name().to_ascii_uppercase();
                return Err(Problem::Undecodable { encoding, line: out.matches('\n').count() + 1 });
            }
        }
    }
}

/// The name people know an encoding by: 繁体中文 Big5 rather than "Big5".
fn words(enc: &'static Encoding) -> String {
    let k = match enc.name() {
        "Big5" => K::EncBig5,
        "Shift_JIS" | "EUC-JP" | "ISO-2022-JP" => K::EncJapanese,
        "EUC-KR" => K::EncKorean,
        "windows-1252" | "ISO-8859-15" | "macintosh" => K::EncWestern,
        "windows-1250" | "ISO-8859-2" | "ISO-8859-3" | "ISO-8859-16" => K::EncCentralEuropean,
        "windows-1251" | "KOI8-R" | "KOI8-U" | "IBM866" | "ISO-8859-5" | "x-mac-cyrillic" => K::EncCyrillic,
        "windows-1253" | "ISO-8859-7" => K::EncGreek,
        "windows-1254" => K::EncTurkish,
        "windows-1255" | "ISO-8859-8" | "ISO-8859-8-I" => K::EncHebrew,
        "windows-1256" | "ISO-8859-6" => K::EncArabic,
        "windows-1257" | "ISO-8859-4" | "ISO-8859-13" | "ISO-8859-10" => K::EncBaltic,
        "windows-874" => K::EncThai,
        "windows-1258" => K::EncVietnamese,
        other => return other.to_string(),
    };
    k.text().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{UTF_8, WINDOWS_1252};

    /// A roster's header and two rows, as short as real files get.
    const ROSTER: &str = "编码,名称,上级编码,层级,领域,书记,党员数\n23,清河市,,市,,,\n2301,东山县红旗村党支部,23,党支部,农村,王建国,36\n";

    fn encoded(enc: &'static Encoding, text: &str) -> Vec<u8> {
        enc.encode(text).0.into_owned()
    }

    #[test]
    fn utf8_with_and_without_bom_utf16_with_bom_and_gbk_decode_alike() {
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(ROSTER.as_bytes());
        let mut le = vec![0xFF, 0xFE];
        le.extend(ROSTER.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xFE, 0xFF];
        be.extend(ROSTER.encode_utf16().flat_map(u16::to_be_bytes));
        for bytes in [ROSTER.as_bytes().to_vec(), bom, le, be, encoded(GBK, ROSTER), encoded(GB18030, ROSTER)] {
            assert_eq!(decode(&bytes, None).as_deref(), Ok(ROSTER));
        }
    }

    #[test]
    fn short_gbk_files_are_not_taken_for_a_look_alike() {
        for text in [
            ROSTER,
            "编码,名称\n1,城关镇党委\n2,红旗村党支部\n",
            "code,name\nA,王\n",
            "名称\n党支部\n",
            "问题编号,整改状态\n2026Q3-0001,整改中\n",
        ] {
            assert_eq!(decode(&encoded(GBK, text), None).as_deref(), Ok(text), "{text}");
        }
    }

    #[test]
    fn other_encodings_are_refused_with_their_name_and_the_label_to_pass() {
        let traditional = "編碼,名稱,上級編碼,層級\n23,清河市,,市\n2301,東山縣紅旗村黨支部,23,黨支部\n";
        let short_traditional = "名稱\n黨支部\n";
        let japanese = "コード,名称,上位コード,階層\n23,清河市,,市\n2301,東山県支部,23,支部\n";
        let korean = "코드,이름,상위,계층\n23,청하시,,시\n";
        let latin = "code,name,parent,level\nL1,Zürich,,city\nL2,Genève,L1,district\nL4,Cellule Ménétrier,L2,branch\n";
        for (enc, text, label) in
            [(BIG5, traditional, "big5"), (BIG5, short_traditional, "big5"), (SHIFT_JIS, japanese, "shift_jis"), (EUC_KR, korean, "euc-kr")]
        {
            match decode(&encoded(enc, text), None) {
                Err(Problem::Encoding { words: w, label: l }) => {
                    assert_eq!((w.as_str(), l.as_str()), (words(enc).as_str(), label), "{text}");
                }
                other => panic!("{label}: {other:?}"),
            }
        }
        for text in [latin, "code,name\nA,Müller\n"] {
            let e = decode(&encoded(WINDOWS_1252, text), None);
            assert_eq!(e, Err(Problem::Encoding { words: K::EncWestern.text().into(), label: "windows-1252".into() }), "{text}");
        }
    }

    #[test]
    fn a_forced_encoding_decodes_what_detection_refuses() {
        let traditional = "編碼,名稱\n2301,東山縣紅旗村黨支部\n";
        assert_eq!(decode(&encoded(BIG5, traditional), Some(BIG5)).as_deref(), Ok(traditional));
        assert_eq!(decode(ROSTER.as_bytes(), Some(UTF_8)).as_deref(), Ok(ROSTER));
    }

    #[test]
    fn invalid_bytes_are_reported_with_their_line() {
        let mut bytes = b"\xEF\xBB\xBFa,b\nc,d\n".to_vec();
        bytes.extend_from_slice(b"e,\xFF\n");
        assert_eq!(decode(&bytes, None), Err(Problem::Undecodable { encoding: "UTF-8".into(), line: 3 }));
        let mut gbk = encoded(GBK, "编码,名称\n1,城关镇党委\n");
        gbk.extend_from_slice(b"2,\x81\n");
        assert_eq!(decode(&gbk, Some(GBK)), Err(Problem::Undecodable { encoding: "GBK".into(), line: 3 }));
    }

    #[test]
    fn nul_bytes_are_binary_unless_the_text_is_utf16() {
        assert_eq!(decode(b"\xD0\xCF\x11\xE0\0\0", None), Err(Problem::Binary));
        assert_eq!(decode(b"%PDF-1.7\n\0\x01", Some(GBK)), Err(Problem::Binary));
        assert_eq!(decode(b"a\0,\0b\0", Some(UTF_16LE)).as_deref(), Ok("a,b"));
    }

    #[test]
    fn labels_are_whatwg_labels_and_unknown_ones_are_named() {
        for (label, enc) in
            [("utf-8", UTF_8), ("UTF-16LE", UTF_16LE), ("gbk", GBK), ("gb18030", GB18030), ("big5", BIG5), ("shift_jis", SHIFT_JIS)]
        {
            assert_eq!(encoding_for_label(label), Ok(enc), "{label}");
        }
        let e = encoding_for_label("klingon").unwrap_err();
        assert!(e.contains("\"klingon\""), "{e}");
        assert!(encoding_for_label("iso-2022-kr").is_err(), "labels WHATWG maps to nothing are refused");
    }
}
