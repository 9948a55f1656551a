//! `/openapi.json` is a valid OpenAPI 3.1 document (checked by Python's
//! openapi-spec-validator), and the console shows its reading to those who manage tokens.

use super::harness::{TestApp, ADMIN};
use super::openapi::document;
use http::StatusCode;
use std::process::Command;

#[tokio::test]
async fn the_document_is_valid_openapi_3_1() {
    let app = TestApp::new().await;
    let document = document(&app).await;
    assert_eq!(document["openapi"], "3.1.0");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, document.to_string()).unwrap();
    let checked = Command::new("python3")
        .args([
            "-c",
            "import json, sys\n\
             from openapi_spec_validator import validate\n\
             validate(json.load(open(sys.argv[1])))\n\
             print('valid')",
        ])
        .arg(&file)
        .output()
        .expect("python3 runs (scripts/test installs openapi-spec-validator)");
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
}

#[tokio::test]
async fn every_field_of_every_schema_is_described() {
    let app = TestApp::new().await;
    let document = document(&app).await;
    let schemas = document["components"]["schemas"].as_object().unwrap();
    assert!(schemas.len() >= 4, "{schemas:?}");
    let mut bare = Vec::new();
    for (name, schema) in schemas {
        let Some(properties) = schema["properties"].as_object() else {
            continue;
        };
        for (field, property) in properties {
            let described = property["description"]
                .as_str()
                .is_some_and(|text| !text.trim().is_empty());
            if !described {
                bare.push(format!("{name}.{field}"));
            }
        }
    }
    assert!(
        bare.is_empty(),
        "fields the reference shows without a word: {bare:?}"
    );
}

#[tokio::test]
async fn the_console_shows_the_reference_to_those_who_manage_tokens() {
    use super::harness::{ANALYST, FINANCE, SPECIALIST};
    let app = TestApp::new().await;
    for (email, allowed) in [
        (ADMIN, true),
        (SPECIALIST, true),
        (ANALYST, false),
        (FINANCE, false),
    ] {
        let cookie = app.sign_in(email).await;
        let page = app.get("/settings/api/reference", Some(&cookie)).await;
        let call = app.call("api_reference", Some(&cookie), "").await;
        if !allowed {
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{email}");
            assert_eq!(call.status, StatusCode::FORBIDDEN, "{email}");
            continue;
        }
        assert_eq!(page.status, StatusCode::OK, "{email}");
        assert_eq!(call.status, StatusCode::OK, "{email}");
        // Complete without JavaScript: every operation, every status, every body.
        for text in [
            "<h1>API reference</h1>",
            ">GET | POST | PUT | DELETE /Advertisers/{AccountSid}/{Resource}<",
            ">POST /oauth/introspect<",
            ">POST /oauth/revoke<",
            "application/x-www-form-urlencoded",
            "<th scope=\"row\">405",
            "<th scope=\"row\">503",
            "href=\"#schema-decision\"",
            "id=\"schema-introspection\"",
            "href=\"/openapi.json\"",
            "Retry-After",
        ] {
            assert!(page.body.contains(text), "{text} on the page as {email}");
        }
        assert!(!page.body.contains("**"), "markdown left on the page");
    }
    let page = app.get("/settings/api/reference", None).await;
    assert_eq!(page.header("location"), "/login");
}
