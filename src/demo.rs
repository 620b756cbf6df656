//! Realistic generated organisation trees: city → counties → towns and streets → villages,
//! communities and 机关/企业/学校/医院 units → their Party organisations → grid Party groups.
//! Reproducible: the same (n, seed) gives the same tree on every machine. `rounds` adds used
//! rounds over it: visits, verdicts, findings, reviews and rectification steps.

mod phrases;
pub mod rounds;

use crate::domain::{Field, Level, Org};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub const MIN_ORGS: usize = 50;
pub const MAX_ORGS: usize = 200_000;

const PLACE: &[&str] = &[
    "东山", "西河", "南湖", "北岭", "青松", "白桦", "金沙", "红旗", "长青", "新华", "永安", "兴隆", "太平", "和平", "建设", "团结", "幸福",
    "光明", "富民", "柳河", "杏林", "梨树", "桃园", "石桥", "沙岗", "马场", "鹿鸣", "龙泉", "凤岭", "云溪", "清水", "碧水", "双河", "三合",
    "四方", "五星", "六合", "七星", "八里", "九龙", "十里", "黄泥", "青山", "绿洲", "丰收", "向阳", "朝阳", "东风", "胜利", "前进", "民主",
    "友谊", "安宁", "康乐", "福寿", "吉祥", "瑞丰", "宝山", "银河", "玉泉", "紫荆", "松林", "榆树", "槐花",
];
const SURNAME: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋",
    "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英",
    "建华", "建国", "志强", "海燕", "春梅", "红霞", "立新", "国庆", "玉兰", "德明", "文博", "思远", "晓东", "雪梅",
];
const GOV_UNITS: &[&str] = &[
    "党委办公室",
    "政府办公室",
    "财政局",
    "农业农村局",
    "民政局",
    "人力资源和社会保障局",
    "自然资源局",
    "住房和城乡建设局",
    "交通运输局",
    "水务局",
    "市场监督管理局",
    "统计局",
    "审计局",
    "司法局",
];
const INSTITUTIONS: &[&str] = &["农业技术推广中心", "疾病预防控制中心", "融媒体中心", "档案馆", "图书馆", "林业工作站", "水利工作站"];
const SOE: &[&str] = &["供电公司", "城市投资集团", "水务集团", "粮食储备库", "交通建设投资有限公司", "农业发展集团"];
const PRIVATE: &[&str] = &[
    "机械制造有限公司",
    "食品有限公司",
    "物流有限公司",
    "新能源科技有限公司",
    "建材有限公司",
    "农牧业专业合作社",
    "服装有限公司",
    "电子商务有限公司",
];
const SOCIAL: &[&str] = &["行业协会", "商会", "志愿者协会", "养老服务中心", "社会工作服务站"];
const SCHOOLS: &[&str] = &["第一中学", "第二中学", "实验小学", "中心小学", "职业技术学校", "幼儿园"];
const HOSPITALS: &[&str] = &["人民医院", "中医医院", "妇幼保健院", "卫生院"];

/// Shares of the fields among units, in percent: villages dominate, as they do in practice.
const FIELD_SHARES: &[(Field, u32)] = &[
    (Field::Rural, 42),
    (Field::Community, 14),
    (Field::Government, 12),
    (Field::PublicInstitution, 7),
    (Field::StateEnterprise, 4),
    (Field::PrivateEnterprise, 10),
    (Field::SocialOrganisation, 4),
    (Field::School, 5),
    (Field::Hospital, 2),
];

struct Gen {
    rng: ChaCha8Rng,
    orgs: Vec<Org>,
    limit: usize,
}

impl Gen {
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.rng.random_range(0..list.len())]
    }

    fn person(&mut self) -> String {
        format!("{}{}", self.pick(SURNAME), self.pick(GIVEN))
    }

    fn room(&self) -> usize {
        self.limit - self.orgs.len()
    }

    fn add(
        &mut self,
        code: String,
        name: String,
        parent: Option<&str>,
        level: Level,
        field: Option<Field>,
        members: Option<u32>,
    ) -> String {
        let secretary =
            if level.is_area() || matches!(level, Level::Village | Level::Community | Level::Unit) { String::new() } else { self.person() };
        // The level word as a roster would write it: 区, 县级市, 镇, 乡, 街道.
        let level_word = match level {
            Level::County if name.ends_with('区') => Some("区"),
            Level::County if name.ends_with('市') => Some("县级市"),
            Level::Township if name.ends_with("街道") => Some("街道"),
            Level::Township if name.ends_with('镇') => Some("镇"),
            Level::Township if name.ends_with('乡') => Some("乡"),
            _ => None,
        }
        .map(str::to_string);
        self.orgs.push(Org { code: code.clone(), name, parent: parent.map(str::to_string), level, level_word, field, secretary, members });
        code
    }

    fn field(&mut self) -> Field {
        let mut roll = self.rng.random_range(0..100u32);
        for (f, share) in FIELD_SHARES {
            if roll < *share {
                return *f;
            }
            roll -= share;
        }
        Field::Rural
    }

    /// A unit under a town, with its Party organisation(s) and, for villages and communities,
    /// grid Party groups. Needs at least two places left.
    fn unit(&mut self, town: &str, town_name: &str, county_name: &str, n: usize) {
        let field = self.field();
        // Places within a town are walked (13 is coprime with 64), so names repeat only after 64
        // units, and then as 东山二村, 东山三村 as people name them.
        const ROUND: &[&str] = &["", "二", "三", "四", "五", "六", "七", "八", "九"];
        let offset = town.bytes().map(usize::from).sum::<usize>();
        let base = PLACE[((n - 1) * 13 + offset) % PLACE.len()];
        let place = format!("{base}{}", ROUND[((n - 1) / PLACE.len()).min(ROUND.len() - 1)]);
        let (level, unit_name) = match field {
            Field::Rural => (Level::Village, format!("{place}村")),
            Field::Community => (Level::Community, format!("{place}社区")),
            Field::Government => (Level::Unit, format!("{county_name}{}", self.pick(GOV_UNITS))),
            Field::PublicInstitution => (Level::Unit, format!("{town_name}{}", self.pick(INSTITUTIONS))),
            Field::StateEnterprise => (Level::Unit, format!("{county_name}{}", self.pick(SOE))),
            Field::PrivateEnterprise => (Level::Unit, format!("{place}{}", self.pick(PRIVATE))),
            Field::SocialOrganisation => (Level::Unit, format!("{town_name}{}", self.pick(SOCIAL))),
            Field::School => (Level::Unit, format!("{town_name}{}", self.pick(SCHOOLS))),
            Field::Hospital => (Level::Unit, format!("{town_name}{}", self.pick(HOSPITALS))),
        };
        let unit = self.add(format!("{town}{n:03}"), unit_name.clone(), Some(town), level, Some(field), None);
        // Most units have one branch; larger ones a general branch with branches under it.
        let big = self.rng.random_range(0..100) < 12 && self.room() >= 4;
        if big {
            let members = self.rng.random_range(50..150);
            let gb =
                self.add(format!("{unit}D1"), format!("{unit_name}党总支"), Some(&unit), Level::GeneralBranch, Some(field), Some(members));
            let branches = self.rng.random_range(2..5).min(self.room());
            for b in 1..=branches {
                let m = self.rng.random_range(5..40);
                self.add(format!("{gb}{b:02}"), format!("{unit_name}第{b}党支部"), Some(&gb), Level::Branch, Some(field), Some(m));
            }
        } else {
            let members = self.rng.random_range(3..60);
            let branch =
                self.add(format!("{unit}D1"), format!("{unit_name}党支部"), Some(&unit), Level::Branch, Some(field), Some(members));
            if matches!(field, Field::Rural | Field::Community) {
                let groups = self.rng.random_range(0..4).min(self.room());
                for g in 1..=groups {
                    let m = self.rng.random_range(3..12);
                    self.add(
                        format!("{branch}{g:02}"),
                        format!("{unit_name}第{g}网格党小组"),
                        Some(&branch),
                        Level::Group,
                        Some(field),
                        Some(m),
                    );
                }
            }
        }
    }
}

/// Generates exactly `n` organisations (clamped to 50..=200,000) from `seed`.
pub fn generate(n: usize, seed: u64) -> Vec<Org> {
    let n = n.clamp(MIN_ORGS, MAX_ORGS);
    let mut g = Gen { rng: ChaCha8Rng::seed_from_u64(seed), orgs: Vec::with_capacity(n), limit: n };
    let counties = (n / 1500).clamp(2, 40);
    let towns_per_county = (n / (counties * 40)).clamp(2, 25);
    let city_name = format!("{}市", g.pick(PLACE));
    let city = g.add("01".into(), city_name, None, Level::City, None, None);
    let mut towns: Vec<(String, String, String)> = Vec::new();
    for c in 1..=counties {
        // Distinct county names: the place list is walked, not drawn.
        let suffix = match c % 5 {
            0 => "市",
            3 => "区",
            _ => "县",
        };
        let county_name = format!("{}{suffix}", PLACE[(c * 7 + seed as usize) % PLACE.len()]);
        let county = g.add(format!("{city}{c:02}"), county_name.clone(), Some(&city), Level::County, None, None);
        for t in 1..=towns_per_county {
            let place = PLACE[(t * 5 + c) % PLACE.len()];
            let suffix = match g.rng.random_range(0..10) {
                0..=4 => "镇",
                5..=6 => "乡",
                _ => "街道",
            };
            let town_name = format!("{place}{suffix}");
            let town = g.add(format!("{county}{t:03}"), town_name.clone(), Some(&county), Level::Township, None, None);
            towns.push((town, town_name, county_name.clone()));
        }
    }
    let mut next_unit = vec![1usize; towns.len()];
    let mut i = 0;
    while g.room() >= 2 {
        let ti = i % towns.len();
        let (town, town_name, county_name) = towns[ti].clone();
        g.unit(&town, &town_name, &county_name, next_unit[ti]);
        next_unit[ti] += 1;
        i += 1;
    }
    if g.room() == 1 {
        // One place left: a small social organisation branch directly under the last town.
        let (town, town_name, _) = towns[towns.len() - 1].clone();
        let name = format!("{town_name}联合党支部");
        let m = g.rng.random_range(3..10);
        g.add(format!("{town}L01"), name, Some(&town), Level::Branch, Some(Field::SocialOrganisation), Some(m));
    }
    g.orgs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::vocab::Vocab;
    use std::collections::{HashMap, HashSet};

    #[test]
    fn exactly_n_unique_codes_with_known_parents() {
        for n in [50, 51, 333, 6000] {
            let orgs = generate(n, 7);
            assert_eq!(orgs.len(), n);
            let codes: HashSet<&str> = orgs.iter().map(|o| o.code.as_str()).collect();
            assert_eq!(codes.len(), n, "codes are unique");
            for o in &orgs {
                if let Some(p) = &o.parent {
                    assert!(codes.contains(p.as_str()), "parent {p} of {} exists", o.code);
                }
                assert!(o.level.is_area() || o.field.is_some(), "{} has a field", o.code);
            }
        }
    }

    #[test]
    fn same_seed_same_tree_other_seed_other_tree() {
        assert_eq!(generate(500, 1), generate(500, 1));
        assert_ne!(generate(500, 1), generate(500, 2));
    }

    #[test]
    fn fields_come_in_realistic_shares() {
        let orgs = generate(6000, 3);
        let mut by_field: HashMap<Field, usize> = HashMap::new();
        for o in orgs.iter().filter(|o| o.level == Level::Branch) {
            *by_field.entry(o.field.unwrap()).or_default() += 1;
        }
        let total: usize = by_field.values().sum();
        let rural = by_field[&Field::Rural] as f64 / total as f64;
        assert!((0.3..0.55).contains(&rural), "rural share {rural}");
        assert_eq!(by_field.len(), Field::ALL.len(), "every field appears: {by_field:?}");
        assert!(orgs.iter().any(|o| o.level == Level::Group) && orgs.iter().any(|o| o.level == Level::GeneralBranch));
    }
}
