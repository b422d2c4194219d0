//! The OpenAPI document as clients get it: poem-openapi's output with the facts it cannot
//! express added, so the document tells the truth and generated clients cover every operation.
//!
//! - An optional field is answered as `null` when it has no value, and `null` is accepted for
//!   it in requests (poem-openapi's `Option<T>`), so every optional field without a default
//!   is marked `nullable`.
//! - Every operation with a request body may answer `413` (over the size limit) and `415`
//!   (missing or other `Content-Type`); both come from the HTTP layer, not from the operation.
//! - Every public write and every operation that takes a token may answer `429` with
//!   `Retry-After` (the per-client rate limits, applied in front of every operation).
//! - A documented field of an enumeration type is written by poem-openapi as `allOf` of the
//!   reference and a second schema holding only the description, which client generators
//!   cannot combine with an enumeration; the description stays on the field, the `allOf`
//!   keeps the reference alone.

use serde_json::{Map, Value, json};

/// The corrected document, pretty-printed like poem-openapi's own.
pub fn corrected(spec: &str) -> String {
    let Ok(mut document) = serde_json::from_str::<Value>(spec) else {
        return spec.to_owned();
    };
    if let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for schema in schemas.values_mut() {
            mark_optional_fields_nullable(schema);
        }
    }
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            let Some(operations) = item.as_object_mut() else {
                continue;
            };
            for (method, operation) in operations.iter_mut() {
                declare_body_statuses(operation);
                declare_rate_limit(method, operation);
            }
        }
    }
    serde_json::to_string_pretty(&document).unwrap_or_else(|_| spec.to_owned())
}

/// The JSON paths of keys that occur twice in one object of `spec` (for example a status that
/// two response types of one operation both declare, which JSON readers silently collapse).
pub fn duplicate_keys(spec: &str) -> Result<Vec<String>, serde_json::Error> {
    use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

    struct Walk<'a> {
        path: String,
        found: &'a mut Vec<String>,
    }

    impl<'de> DeserializeSeed<'de> for Walk<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Walk<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                let path = format!("{}/{key}", self.path);
                if !seen.insert(key) {
                    self.found.push(path.clone());
                }
                map.next_value_seed(Walk {
                    path,
                    found: self.found,
                })?;
            }
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut index = 0;
            while seq
                .next_element_seed(Walk {
                    path: format!("{}/{index}", self.path),
                    found: self.found,
                })?
                .is_some()
            {
                index += 1;
            }
            Ok(())
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
    }

    let mut found = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_str(spec);
    Walk {
        path: String::new(),
        found: &mut found,
    }
    .deserialize(&mut deserializer)?;
    Ok(found)
}

/// Marks the properties of an object schema that are neither required nor defaulted as
/// nullable. A `$ref` cannot carry siblings in OpenAPI 3.0, so such a property becomes
/// `allOf` around the reference.
fn mark_optional_fields_nullable(schema: &mut Value) {
    let required: Vec<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for (name, property) in properties.iter_mut() {
        let Some(fields) = property.as_object_mut() else {
            continue;
        };
        drop_description_only_parts(fields);
        if required.contains(name) {
            continue;
        }
        if fields.contains_key("default") || fields.get("readOnly") == Some(&Value::Bool(true)) {
            continue;
        }
        if let Some(reference) = fields.remove("$ref") {
            let mut wrapped = Map::new();
            wrapped.insert("allOf".into(), json!([{ "$ref": reference }]));
            wrapped.extend(std::mem::take(fields));
            *fields = wrapped;
        }
        fields.insert("nullable".into(), Value::Bool(true));
    }
}

/// Keeps only the parts of an `allOf` that say more than a description.
fn drop_description_only_parts(fields: &mut Map<String, Value>) {
    if let Some(Value::Array(parts)) = fields.get_mut("allOf") {
        parts.retain(|part| {
            part.as_object()
                .is_none_or(|p| p.keys().any(|key| key != "description"))
        });
    }
}

/// Adds `413` and `415` problem answers to an operation that takes a request body.
fn declare_body_statuses(operation: &mut Value) {
    if operation.get("requestBody").is_none() {
        return;
    }
    let Some(responses) = operation
        .get_mut("responses")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for (status, description) in [
        ("413", "The request body is larger than the limit."),
        (
            "415",
            "The request body is not of a declared media type (or has no `Content-Type`).",
        ),
    ] {
        responses.entry(status).or_insert_with(|| {
            json!({
                "description": description,
                "content": {
                    crate::api::problem::PROBLEM_JSON: {
                        "schema": { "$ref": "#/components/schemas/Problem" }
                    }
                }
            })
        });
    }
}

/// `429` on the operations the rate limits apply to: writes and operations with a token.
fn declare_rate_limit(method: &str, operation: &mut Value) {
    let limited = method != "get" || operation.get("security").is_some();
    let Some(responses) = operation
        .get_mut("responses")
        .and_then(Value::as_object_mut)
        .filter(|_| limited)
    else {
        return;
    };
    responses.entry("429").or_insert_with(|| {
        json!({
            "description": "Too many requests from this client (public writes, or requests \
                            with unknown tokens); wait the seconds `Retry-After` gives.",
            "headers": {
                "Retry-After": {
                    "description": "Seconds to wait before trying again.",
                    "required": true,
                    "schema": { "type": "integer", "format": "int32" }
                }
            },
            "content": {
                crate::api::problem::PROBLEM_JSON: {
                    "schema": { "$ref": "#/components/schemas/Problem" }
                }
            }
        })
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_fields_become_nullable_and_bodies_get_413_and_415() {
        let spec = json!({
            "paths": { "/x": {
                "post": { "requestBody": {}, "responses": { "200": {} } },
                "get": { "responses": { "200": {} } }
            }},
            "components": { "schemas": { "Thing": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": { "type": "string" },
                    "note": { "type": "string" },
                    "kind": { "$ref": "#/components/schemas/Kind" },
                    "size": { "type": "integer", "default": 1 },
                    "status": {
                        "description": "Said twice.",
                        "allOf": [
                            { "$ref": "#/components/schemas/Status" },
                            { "description": "Said twice." }
                        ]
                    }
                }
            }}}
        });
        let fixed: Value = serde_json::from_str(&corrected(&spec.to_string())).unwrap();
        let props = &fixed["components"]["schemas"]["Thing"]["properties"];
        assert!(props["id"].get("nullable").is_none());
        assert_eq!(props["note"]["nullable"], true);
        assert_eq!(props["kind"]["nullable"], true);
        assert_eq!(
            props["kind"]["allOf"][0]["$ref"],
            "#/components/schemas/Kind"
        );
        assert!(props["size"].get("nullable").is_none());
        assert_eq!(
            props["status"]["allOf"],
            json!([{ "$ref": "#/components/schemas/Status" }])
        );
        assert_eq!(props["status"]["description"], "Said twice.");
        assert!(fixed["paths"]["/x"]["post"]["responses"]["415"].is_object());
        assert!(fixed["paths"]["/x"]["post"]["responses"]["413"].is_object());
        assert!(
            fixed["paths"]["/x"]["get"]["responses"]
                .get("415")
                .is_none()
        );
    }

    #[test]
    fn duplicate_keys_are_found_with_their_path() {
        let found = duplicate_keys(r#"{"a": {"422": 1, "b": [{"x": 1, "x": 2}], "422": 2}}"#);
        assert_eq!(found.unwrap(), vec!["/a/b/0/x", "/a/422"]);
    }
}
