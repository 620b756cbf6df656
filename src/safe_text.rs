//! Text made safe for where it is going: spreadsheet cells that never run as formulas, HTML and
//! Markdown that never carry markup from the data, and terminal output without the control
//! characters that could move the cursor, clear the screen, set the window title or make text
//! read as something else.
//!
//! The records come from rosters, paper sheets and follow-up files that anyone may have edited,
//! and the outputs are opened by people who trust them: escaping happens at every output.

use std::borrow::Cow;

/// Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"): `=`, `+`,
/// `-`, `@`, and tab and carriage return, which some spreadsheets skip before looking.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A CSV cell that no spreadsheet runs: a leading apostrophe before a cell that starts like a
/// formula. Excel and WPS show the apostrophe-prefixed cell as the text it was.
/// Text that already starts with apostrophes before a formula character gets one more, so that
/// [`unguard_formula`] gives back exactly what was written.
pub fn guard_formula(cell: &str) -> Cow<'_, str> {
    if cell.trim_start_matches('\'').starts_with(FORMULA_STARTS) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

/// The inverse of [`guard_formula`] for reading our own exports back: drops exactly the one
/// apostrophe that precedes a formula character (after any further apostrophes).
pub fn unguard_formula(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// Text for HTML element content and double-quoted attributes.
pub fn escape_html(s: &str) -> Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text for a Markdown document: no raw HTML (`&`, `<`, `>` as entities) and no links or images
/// (`[` and `]` escaped, and the backslash, so that an escape in the data cannot undo ours).
/// Double quotes stay: in Markdown text they are only quotes, and the office's titles use them.
pub fn escape_markdown(s: &str) -> Cow<'_, str> {
    if !s.contains(['&', '<', '>', '\\', '[', ']']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' => out.push_str("\\\\"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A cell of a Markdown table: escaped text, the pipe escaped so it cannot open a column, and line
/// breaks as `<br>` (a raw line break would end the table).
pub fn markdown_cell(s: &str) -> String {
    escape_markdown(s).replace('|', "\\|").replace("\r\n", "<br>").replace(['\n', '\r'], "<br>")
}

/// Bidirectional overrides and isolates: they reorder the text that follows, so that a name can
/// read as something else on screen.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters a terminal must never receive from the data: C0 controls except line feed and tab
/// (escape sequences start with ESC; BEL, BS and CR rewrite what is shown), DEL, C1 controls
/// (CSI and OSC have one-byte forms), and the bidi controls.
pub fn is_terminal_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)
}

/// The text without terminal-unsafe characters; line feeds and tabs stay.
pub fn strip_controls(s: &str) -> Cow<'_, str> {
    if s.contains(is_terminal_unsafe) { Cow::Owned(s.chars().filter(|c| !is_terminal_unsafe(*c)).collect()) } else { Cow::Borrowed(s) }
}

/// The first character that has no place in a code or a name (any control character, tab and
/// line feed included, or a bidi control): its position (from 1, in characters) and the character.
pub fn first_control(s: &str) -> Option<(usize, char)> {
    s.chars().enumerate().find(|(_, c)| c.is_control() || is_bidi_control(*c)).map(|(i, c)| (i + 1, c))
}

/// JSON text (as serde_json writes it) with the terminal-unsafe characters it leaves raw (DEL,
/// C1, bidi controls) written as `\uXXXX` escapes: the same value, safe to print. serde_json
/// already escapes C0 inside strings, and outside strings it writes only ASCII structure.
pub fn escape_json_controls(json: &str) -> Cow<'_, str> {
    if !json.contains(is_terminal_unsafe) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_terminal_unsafe(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_get_an_apostrophe_and_lose_it_when_read_back() {
        for cell in ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1)", "\tX", "\rX", "=HYPERLINK(\"http://x\",\"y\")"] {
            let guarded = guard_formula(cell);
            assert_eq!(guarded, format!("'{cell}"), "{cell:?}");
            assert_eq!(unguard_formula(&guarded), cell, "{cell:?} round-trips");
        }
        for cell in ["", "红旗村", "1+1", "a=b", "2026-11-22", "'quoted", " =1"] {
            assert_eq!(guard_formula(cell), cell, "{cell:?} is left alone");
            assert_eq!(unguard_formula(cell), cell, "{cell:?} is read as it is");
        }
        // Text that itself starts with apostrophes before a formula character keeps them.
        for cell in ["'=x", "''-1", "'@a"] {
            assert_eq!(guard_formula(cell), format!("'{cell}"), "{cell:?}");
            assert_eq!(unguard_formula(&guard_formula(cell)), cell, "{cell:?} round-trips");
        }
        // Exactly one apostrophe goes, and only before a formula character.
        assert_eq!(unguard_formula("'='x"), "='x");
        assert_eq!(unguard_formula("'a"), "'a");
    }

    #[test]
    fn html_and_markdown_come_out_inert() {
        let name = r#"<script>alert("1")</script>红旗村 & [x](javascript:y)"#;
        assert_eq!(escape_html(name), "&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt;红旗村 &amp; [x](javascript:y)");
        assert_eq!(escape_markdown(name), r#"&lt;script&gt;alert("1")&lt;/script&gt;红旗村 &amp; \[x\](javascript:y)"#);
        // A backslash in the data cannot cancel the escape of the bracket after it.
        assert_eq!(escape_markdown(r"\[a]"), r"\\\[a\]");
        assert_eq!(markdown_cell("a|b\nc"), r"a\|b<br>c");
        assert_eq!(escape_html("纯文本"), "纯文本");
    }

    #[test]
    fn terminal_controls_are_stripped_and_lines_stay() {
        let hostile = "\x1b]0;pwned\x07王\x1b[2J\u{202E}cba\u{2066}x\u{2069}\u{7f}\u{9b}31m\r\n第二行\t完";
        assert_eq!(strip_controls(hostile), "]0;pwned王[2Jcbax31m\n第二行\t完");
        assert!(strip_controls(hostile).chars().all(|c| !is_terminal_unsafe(c)));
        assert_eq!(strip_controls("红旗村党支部"), "红旗村党支部");
        assert!(is_terminal_unsafe('\u{202A}') && is_terminal_unsafe('\u{2069}') && !is_terminal_unsafe('\u{2070}'));
    }

    #[test]
    fn codes_and_names_report_the_first_control() {
        assert_eq!(first_control("红旗\x1b村"), Some((3, '\x1b')));
        assert_eq!(first_control("a\tb"), Some((2, '\t')));
        assert_eq!(first_control("\u{202E}x"), Some((1, '\u{202E}')));
        assert_eq!(first_control("红旗村党支部"), None);
    }

    #[test]
    fn json_keeps_its_value_and_loses_raw_controls() {
        let v = serde_json::json!({ "name": "王\u{202E}\u{7f}\u{85}\x1b红" });
        let text = serde_json::to_string_pretty(&v).unwrap();
        let safe = escape_json_controls(&text);
        assert!(!safe.contains(is_terminal_unsafe), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, v, "the same value");
    }
}
