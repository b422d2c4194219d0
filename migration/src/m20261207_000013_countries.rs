//! Countries become ISO 3166-1 alpha-2 codes: the `country` of events, speakers and
//! registrations that names a country of `assets/countries.tsv` (its code in any case, its
//! English, Russian or Turkmen name, or an English alias such as "Russian Federation") is
//! replaced by the code. Anything else is left as it was and is shown as written. `down`
//! writes the English names back.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000013_countries"
    }
}

const DATA: &str = include_str!("../../assets/countries.tsv");

/// The tables with a `country` column.
const TABLES: [&str; 3] = ["events", "speakers", "registrations"];

/// Every (name or code, lower-cased and as written; its code; its English name) of the list.
fn names() -> Vec<(String, &'static str, &'static str)> {
    let mut out = Vec::new();
    for line in DATA.lines() {
        if line.starts_with('#') || line.starts_with("code\t") || line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&'static str> = line.split('\t').collect();
        let [code, en, ru, tk, rest @ ..] = cells.as_slice() else {
            continue;
        };
        let aliases = rest.first().copied().unwrap_or_default();
        for name in [*code, *en, *ru, *tk]
            .into_iter()
            .chain(aliases.split(';').filter(|a| !a.is_empty()))
        {
            // SQLite lowers ASCII only: the name as written matches there, lowered in PostgreSQL.
            out.push((name.trim().to_lowercase(), *code, *en));
            out.push((name.trim().to_owned(), *code, *en));
        }
    }
    out
}

/// A text as an SQL string literal (the names come from the compiled-in list).
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut cases = String::new();
        let mut seen = std::collections::HashSet::new();
        for (name, code, _) in names() {
            if seen.insert(name.clone()) {
                cases.push_str(&format!(" WHEN {} THEN {}", quoted(&name), quoted(code)));
            }
        }
        let db = manager.get_connection();
        for table in TABLES {
            db.execute_unprepared(&format!(
                "UPDATE {table} SET country = CASE LOWER(TRIM(country)){cases} ELSE country END \
                 WHERE country IS NOT NULL"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut cases = String::new();
        let mut seen = std::collections::HashSet::new();
        for (_, code, en) in names() {
            if seen.insert(code) {
                cases.push_str(&format!(" WHEN {} THEN {}", quoted(code), quoted(en)));
            }
        }
        let db = manager.get_connection();
        for table in TABLES {
            db.execute_unprepared(&format!(
                "UPDATE {table} SET country = CASE country{cases} ELSE country END \
                 WHERE country IS NOT NULL"
            ))
            .await?;
        }
        Ok(())
    }
}
