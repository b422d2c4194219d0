//! Countries: stored as ISO 3166-1 alpha-2 codes, named in Turkmen, Russian and English from
//! `assets/countries.tsv` (compiled in; the UN member and observer states and a few more).
//! Input is a code in any case or, for older clients, a name (English, and also Russian or
//! Turkmen) that is normalized to its code. A stored value that is not a code (rows from before
//! codes that migration 13 could not map) is shown as written.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::validation::ValidationErrors;

/// One country of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2, upper case.
    pub code: &'static str,
    pub en: &'static str,
    pub ru: &'static str,
    pub tk: &'static str,
}

impl Country {
    /// The country's name in `language` (`tk`, `ru`; English otherwise).
    pub fn name(&self, language: &str) -> &'static str {
        match language {
            "tk" => self.tk,
            "ru" => self.ru,
            _ => self.en,
        }
    }
}

const DATA: &str = include_str!("../../assets/countries.tsv");

struct Table {
    countries: Vec<Country>,
    /// Lower-cased codes, names and aliases → index in `countries`.
    lookup: HashMap<String, usize>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let mut countries = Vec::new();
    let mut lookup = HashMap::new();
    for line in DATA.lines() {
        if line.starts_with('#') || line.starts_with("code\t") || line.trim().is_empty() {
            continue;
        }
        let mut cells = line.split('\t');
        let (Some(code), Some(en), Some(ru), Some(tk)) =
            (cells.next(), cells.next(), cells.next(), cells.next())
        else {
            continue;
        };
        let aliases = cells.next().unwrap_or_default();
        let index = countries.len();
        for name in [code, en, ru, tk]
            .into_iter()
            .chain(aliases.split(';').filter(|a| !a.is_empty()))
        {
            lookup.entry(key(name)).or_insert(index);
        }
        countries.push(Country { code, en, ru, tk });
    }
    Table { countries, lookup }
});

/// How names are compared: trimmed, lower case, one kind of apostrophe.
fn key(name: &str) -> String {
    name.trim().to_lowercase().replace(['’', '`'], "'")
}

/// Every country on the list, in the order of the file.
pub fn all() -> &'static [Country] {
    &TABLE.countries
}

/// The country a code or a name stands for.
pub fn find(value: &str) -> Option<&'static Country> {
    TABLE
        .lookup
        .get(&key(value))
        .and_then(|&index| TABLE.countries.get(index))
}

/// The country with this stored code (exactly; not a name).
pub fn by_code(code: &str) -> Option<&'static Country> {
    // The look-up first; a name of another country that reads like this code falls back to
    // the list.
    find(code)
        .filter(|c| c.code == code)
        .or_else(|| all().iter().find(|c| c.code == code))
}

/// The lists of [`choices`], sorted once: Turkmen, Russian, English.
static CHOICES: LazyLock<[Vec<(&'static str, &'static str)>; 3]> =
    LazyLock::new(|| ["tk", "ru", "en"].map(sorted_choices));

/// Every country named in `language`, sorted by that language's alphabet: (code, name).
pub fn choices(language: &str) -> &'static [(&'static str, &'static str)] {
    let at = match language {
        "tk" => 0,
        "ru" => 1,
        _ => 2,
    };
    &CHOICES[at]
}

fn sorted_choices(language: &str) -> Vec<(&'static str, &'static str)> {
    let mut list: Vec<_> = all().iter().map(|c| (c.code, c.name(language))).collect();
    list.sort_by_cached_key(|(_, name)| sort_key(name, language));
    list
}

/// A name's place in the alphabet of `language` (Turkmen: a b ç d e ä f … ý z; Russian: ё
/// with е).
fn sort_key(name: &str, language: &str) -> Vec<u32> {
    const TURKMEN: &str = "abçdeäfghijžklmnňoöprsştuüwyýz";
    name.to_lowercase()
        .chars()
        .map(|c| match language {
            "tk" => TURKMEN
                .chars()
                .position(|t| t == c)
                .map_or(u32::from(c) + 1000, |p| p as u32 * 2),
            "ru" if c == 'ё' => u32::from('е') * 2 + 1,
            "ru" => u32::from(c) * 2,
            _ => u32::from(c),
        })
        .collect()
}

/// What a visitor reads for a stored value: the country's name in `language`, or the value
/// as written when it is not a code of the list.
pub fn display(stored: &str, language: &str) -> String {
    match by_code(stored) {
        Some(country) => country.name(language).to_owned(),
        None => stored.to_owned(),
    }
}

/// The code of a typed value: `Ok(None)` when blank, the code when it names a country of
/// the list, else the message that the API answers for `country`.
pub fn parse(value: Option<&str>) -> Result<Option<&'static str>, String> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(value) => find(value).map(|c| Some(c.code)).ok_or_else(|| {
            "must be an ISO 3166-1 alpha-2 country code (e.g. \"TM\") or a country's English name"
                .to_owned()
        }),
    }
}

/// Checks `country`: blank, a code or a name of the list; a value `kept` as it was stored
/// (a row from before codes) also passes.
pub fn check(errors: &mut ValidationErrors, value: Option<&str>, kept: bool) {
    if kept {
        return;
    }
    if let Err(message) = parse(value) {
        errors.add("country", message);
    }
}

/// What is stored for a value that passed [`check`]: its code, nothing when blank, and a kept
/// value that is not on the list as it was.
pub fn stored(value: Option<&str>) -> Option<String> {
    match parse(value) {
        Ok(code) => code.map(str::to_owned),
        Err(_) => value.map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_holds_every_un_member_with_three_names() {
        assert!(all().len() >= 195, "{}", all().len());
        for c in all() {
            assert_eq!(c.code.len(), 2, "{c:?}");
            assert!(c.code.chars().all(|ch| ch.is_ascii_uppercase()), "{c:?}");
            assert!(
                !c.en.is_empty() && !c.ru.is_empty() && !c.tk.is_empty(),
                "{c:?}"
            );
        }
        let mut codes: Vec<_> = all().iter().map(|c| c.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all().len());
    }

    #[test]
    fn codes_and_names_normalize() {
        assert_eq!(parse(Some("tm")), Ok(Some("TM")));
        assert_eq!(parse(Some(" Turkmenistan ")), Ok(Some("TM")));
        assert_eq!(parse(Some("Russian Federation")), Ok(Some("RU")));
        assert_eq!(parse(Some("")), Ok(None));
        assert!(parse(Some("Atlantis")).is_err());
        assert_eq!(display("KZ", "tk"), "Gazagystan");
        assert_eq!(display("KZ", "ru"), "Казахстан");
        assert_eq!(display("Atlantis", "ru"), "Atlantis");
        assert_eq!(stored(Some("Atlantis")), Some("Atlantis".to_owned()));
    }

    #[test]
    fn choices_follow_the_turkmen_alphabet() {
        let names: Vec<_> = choices("tk").iter().map(|(_, n)| *n).collect();
        let position = |n: &str| names.iter().position(|x| *x == n);
        // "Ç" comes after "B" and before "D" in Turkmen.
        assert!(position("Bolgariýa") < position("Çad"));
        assert!(position("Çad") < position("Daniýa"));
        assert!(position("Ýemen") < position("Zambiýa"));
    }
}
