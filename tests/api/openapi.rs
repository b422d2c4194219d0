//! The committed OpenAPI document matches what the server serves; docs and probes answer.

use crate::db_test;

db_test!(
    committed_openapi_document_matches_the_served_one,
    |app| async move {
        let served = app.get("/api/v1/openapi.json").await;
        served.expect(200);
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");
        let committed = std::fs::read_to_string(path).expect(
            "openapi/openapi.json is missing: run `cargo run -- openapi > openapi/openapi.json`",
        );
        let committed: serde_json::Value =
            serde_json::from_str(&committed).expect("committed JSON");
        assert!(
            committed == served.body,
            "openapi/openapi.json differs from the served document: \
         run `cargo run -- openapi > openapi/openapi.json` and commit it"
        );
        // Every operation is tagged and described, and declares its error responses.
        for (path, item) in served.body["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                assert!(
                    operation["tags"].as_array().is_some_and(|t| !t.is_empty()),
                    "{method} {path} untagged"
                );
                assert!(
                    operation["summary"].is_string(),
                    "{method} {path} has no summary"
                );
                if path.starts_with("/api/") {
                    assert!(
                        operation["responses"]["500"].is_object(),
                        "{method} {path} lacks 500"
                    );
                }
            }
        }
    }
);

db_test!(no_operation_declares_a_status_twice, |app| async move {
    // Two response types of one operation declaring the same status write the key twice;
    // JSON readers keep one and the other's media type silently disappears.
    let raw = dialogue::api::service(&app.state).spec();
    let duplicates = dialogue::api::document::duplicate_keys(&raw).expect("JSON");
    assert!(duplicates.is_empty(), "declared twice: {duplicates:?}");
    // The check-in answer carries a decision or a problem under the same statuses.
    let served = app.get("/api/v1/openapi.json").await;
    let responses = &served.body["paths"]["/api/v1/events/{event}/checkins"]["post"]["responses"];
    for status in ["404", "422"] {
        let content = responses[status]["content"].as_object().expect("content");
        assert!(content.contains_key("application/problem+json"), "{status}");
        assert!(
            content.contains_key("application/json; charset=utf-8"),
            "{status}"
        );
    }
});

db_test!(status_fields_list_their_values, |app| async move {
    let served = app.get("/api/v1/openapi.json").await;
    let schemas = &served.body["components"]["schemas"];
    for (schema, field) in [
        ("Registration", "status"),
        ("Registration", "category"),
        ("RegistrationCreated", "status"),
        ("SessionChoice", "status"),
        ("CheckinResult", "result"),
        ("Attendee", "status"),
        ("Revocation", "status"),
        ("Event", "status"),
        ("Session", "status"),
    ] {
        let property = &schemas[schema]["properties"][field];
        let reference = property["$ref"]
            .as_str()
            .or_else(|| property["allOf"][0]["$ref"].as_str())
            .unwrap_or_else(|| panic!("{schema}.{field} is not an enumeration: {property}"));
        let name = reference.trim_start_matches("#/components/schemas/");
        let values = schemas[name]["enum"].as_array();
        assert!(
            values.is_some_and(|v| v.len() >= 2),
            "{schema}.{field}: {name} lists no values"
        );
    }
});

db_test!(docs_and_probes_answer, |app| async move {
    let docs = app.get("/docs").await;
    docs.expect(200);
    assert!(docs.text.contains("swagger"));
    let health = app.get("/healthz").await;
    health.expect(200);
    assert_eq!(health.text, "ok");
    app.get("/readyz").await.expect(200);
});
