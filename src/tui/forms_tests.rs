//! The forms' unit tests (beside forms.rs, which stays under 600 lines).

use super::*;
use crate::tui::keymap::{Act, Ctx, Input};

#[test]
fn rates_in_every_spelling() {
    assert_eq!(parse_rate("25%"), Some(0.25));
    assert_eq!(parse_rate("25"), Some(0.25));
    assert_eq!(parse_rate("0.3"), Some(0.3));
    assert_eq!(parse_rate("0"), None);
    assert_eq!(parse_rate("150%"), None);
    assert_eq!(parse_rate("许多"), None);
}

#[test]
fn an_invalid_finding_keeps_its_text_and_names_the_fields() {
    let org = Org {
        level_word: None,
        code: "B1".into(),
        name: "红旗村党支部".into(),
        parent: None,
        level: crate::domain::Level::Branch,
        field: None,
        secretary: "王书记".into(),
        members: None,
    };
    let mut f = Form::new_finding(Id::new(), &org, Some(("C3.1", Severity::Significant)), "t".into());
    assert_eq!(f.value(4), "王书记", "the responsible person defaults to the secretary");
    assert_eq!(f.index(1), 1, "the severity defaults to the item's");
    f.focus = 5;
    for _ in 0..3 {
        f.focused().input(Input::Act(Ctx::Text, Act::DeleteBack));
    }
    let now = "2026-11-22T09:30:00".parse().unwrap();
    assert!(f.submit(now).is_none());
    assert!(f.errors.contains_key(&0) && f.errors.contains_key(&5), "{:?}", f.errors);
    for c in "会议记录代签".chars() {
        f.fields[0].1.input(Input::Char(c));
    }
    assert_eq!(f.value(0), "会议记录代签");
    assert!(f.submit(now).is_none(), "the deadline is still missing");
    assert!(!f.errors.contains_key(&0));
}

mod draft_tests {
    use super::*;
    use crate::tui::keymap::{Act, Ctx, Input};

    #[test]
    fn every_form_comes_back_from_its_draft_as_typed() {
        let v = Visit::new(Id::new(), "B1");
        let q: Quarter = "2026Q4".parse().unwrap();
        let mut f = Form::info(&v, "红旗村党支部", q, "2026-11-22T09:30:00".parse().unwrap());
        f.focus = 2;
        for c in "门开着".chars() {
            f.focused().input(Input::Char(c));
        }
        f.focus = 1;
        f.focused().input(Input::Act(Ctx::Choice, Act::NextOption));
        let json = serde_json::to_value(f.snapshot()).unwrap();
        let back = Form::from_draft(serde_json::from_value(json).unwrap());
        assert_eq!(back.draft_key(), f.draft_key());
        assert_eq!((back.value(2), back.index(1), back.focus, back.title.as_str()), ("门开着".to_string(), 1, 1, f.title.as_str()));
        assert!(back.dirty && matches!(back.kind, FormKind::Info { quarter, .. } if quarter == q));
    }

    #[test]
    fn draft_keys_name_their_subject() {
        let (round, id) = (Id::new(), Id::new());
        assert_eq!(Form::return_visit(round, "B1", "甲", "").draft_key(), format!("form/return_visit/{round}/B1"));
        assert_eq!(Form::veto(round, "B1", "甲", "V2", "伪造记录").draft_key(), format!("form/veto/{round}/B1/V2"));
        let f = crate::domain::Finding {
            id,
            round,
            org: "B1".into(),
            ..crate::domain::Finding::sample(crate::domain::RectStatus::Pending, None)
        };
        assert_eq!(Form::return_finding(&f, "甲").draft_key(), format!("form/return_finding/{id}"));
        assert_eq!(Form::setup(true).draft_key(), "form/setup");
    }

    #[test]
    fn arrival_in_the_future_or_before_the_quarter_is_refused_at_the_field() {
        let v = Visit::new(Id::new(), "B1");
        let now: NaiveDateTime = "2026-11-22T09:30:00".parse().unwrap();
        let mut f = Form::info(&v, "甲", "2026Q4".parse().unwrap(), now);
        f.fields[0].1 = Field::text("2026-11-22 10:00");
        assert!(f.submit(now).is_none() && f.errors[&0].contains("晚于现在"), "{:?}", f.errors);
        f.fields[0].1 = Field::text("2026-09-30 10:00");
        assert!(f.submit(now).is_none() && f.errors[&0].contains("2026-10-01"), "{:?}", f.errors);
        f.fields[0].1 = Field::text("2026-11-22 09:00");
        f.fields[1].1 = Field::choice(vec!["-".into(), "开门".into()], 1);
        assert!(matches!(f.submit(now), Some(Submit::Info { .. })), "{:?}", f.errors);
    }
}
