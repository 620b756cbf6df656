//! Organisations: the tree from city down to grid Party groups.

use super::vocab::Vocab;
use serde::{Deserialize, Serialize};

/// Where a node sits in the tree. Several words name one level (县, 区 and 县级市 are all 县级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    City,
    County,
    Township,
    Village,
    Community,
    Unit,
    Committee,
    GeneralBranch,
    Branch,
    Group,
}

impl Vocab for Level {
    const ALL: &'static [Self] = &[
        Level::City,
        Level::County,
        Level::Township,
        Level::Village,
        Level::Community,
        Level::Unit,
        Level::Committee,
        Level::GeneralBranch,
        Level::Branch,
        Level::Group,
    ];
    fn words(self) -> (&'static str, &'static str, &'static [&'static str]) {
        match self {
            Level::City => ("市", "city", &["地级市", "prefecture"]),
            Level::County => ("县", "county", &["区", "县级市", "县(市、区)", "district"]),
            Level::Township => ("乡镇", "township", &["乡", "镇", "街道", "town", "street", "subdistrict"]),
            Level::Village => ("村", "village", &["行政村"]),
            Level::Community => ("社区", "community", &[]),
            Level::Unit => ("单位", "unit", &[]),
            Level::Committee => ("党委", "party committee", &["committee", "基层党委"]),
            Level::GeneralBranch => ("党总支", "general branch", &["党总支部"]),
            Level::Branch => ("党支部", "branch", &["支部", "party branch"]),
            Level::Group => ("党小组", "party group", &["网格党小组", "group", "grid group", "grid party group"]),
        }
    }
}
crate::vocab_serde!(Level);

impl Level {
    /// Area nodes (市, 县, 乡镇) hold other organisations and need no field of work.
    pub fn is_area(self) -> bool {
        matches!(self, Level::City | Level::County | Level::Township)
    }
}

/// The field of work (领域); templates and items may apply to some fields only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Rural,
    Community,
    Government,
    PublicInstitution,
    StateEnterprise,
    PrivateEnterprise,
    SocialOrganisation,
    School,
    Hospital,
}

impl Vocab for Field {
    const ALL: &'static [Self] = &[
        Field::Rural,
        Field::Community,
        Field::Government,
        Field::PublicInstitution,
        Field::StateEnterprise,
        Field::PrivateEnterprise,
        Field::SocialOrganisation,
        Field::School,
        Field::Hospital,
    ];
    fn words(self) -> (&'static str, &'static str, &'static [&'static str]) {
        match self {
            Field::Rural => ("农村", "rural", &["村"]),
            Field::Community => ("社区", "community", &["城市社区"]),
            Field::Government => ("机关", "government", &["党政机关", "organ"]),
            Field::PublicInstitution => ("事业单位", "public institution", &["institution"]),
            Field::StateEnterprise => ("国企", "state enterprise", &["国有企业", "soe"]),
            Field::PrivateEnterprise => ("非公企业", "private enterprise", &["非公有制企业", "non-public enterprise"]),
            Field::SocialOrganisation => ("社会组织", "social organisation", &["social organization", "ngo"]),
            Field::School => ("学校", "school", &["高校", "中小学"]),
            Field::Hospital => ("公立医院", "public hospital", &["医院", "hospital"]),
        }
    }
}
crate::vocab_serde!(Field);

/// One organisation. The code is the stable key: rosters are re-imported by code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Org {
    pub code: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub level: Level,
    /// The level as the roster wrote it (区, 县级市, 街道), when that is not the canonical word:
    /// several words are one level for the rules, but people read the word they wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_word: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<Field>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub secretary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<u32>,
}

impl Org {
    /// The level as people wrote it: 区 stays 区 though the rules treat it as 县.
    pub fn level_name(&self) -> &str {
        self.level_word.as_deref().unwrap_or_else(|| self.level.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_words_map_to_one_level() {
        for w in ["县", "区", "县级市", "district"] {
            assert_eq!(Level::parse_word(w), Some(Level::County), "{w}");
        }
        for w in ["乡镇", "乡", "镇", "街道"] {
            assert_eq!(Level::parse_word(w), Some(Level::Township), "{w}");
        }
        assert_eq!(Level::parse_word("网格党小组"), Some(Level::Group));
        assert_eq!(Level::parse_word(" Branch "), Some(Level::Branch));
        assert_eq!(Level::parse_word("省"), None);
    }

    #[test]
    fn area_levels_are_city_county_township() {
        let areas: Vec<Level> = Level::ALL.iter().copied().filter(|l| l.is_area()).collect();
        assert_eq!(areas, vec![Level::City, Level::County, Level::Township]);
    }

    #[test]
    fn fields_parse_and_serialise_by_chinese_label() {
        assert_eq!(Field::parse_word("非公企业"), Some(Field::PrivateEnterprise));
        assert_eq!(Field::parse_word("SOE"), Some(Field::StateEnterprise));
        let json = serde_json::to_string(&Field::Hospital).unwrap();
        assert_eq!(json, "\"公立医院\"");
        assert_eq!(serde_json::from_str::<Field>("\"hospital\"").unwrap(), Field::Hospital);
        assert!(serde_json::from_str::<Field>("\"军队\"").is_err());
    }
}
