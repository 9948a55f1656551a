//! The OpenAPI document read into the console's [`ApiReference`]: sections by tag,
//! operations that share a path and description merged, `$ref`s resolved to schema names.

use app::domain::api_reference::{Answer, ApiReference, Body, Field, Operation, Schema, Section};
use serde_json::Value;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// The reference of the served document.
pub fn reference() -> ApiReference {
    let document: Value = serde_json::from_str(super::json()).unwrap_or_default();
    read(&document)
}

/// `document` (OpenAPI 3.1 as JSON) as the page shows it.
pub fn read(document: &Value) -> ApiReference {
    let mut sections: Vec<Section> = document["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|tag| Section {
            name: text(&tag["name"]),
            description: text(&tag["description"]),
            operations: Vec::new(),
        })
        .collect();
    let paths = document["paths"].as_object().into_iter().flatten();
    for (path, item) in paths {
        for method in METHODS {
            let found = &item[method];
            if found.is_null() {
                continue;
            }
            let section = section_named(&mut sections, text(&found["tags"][0]));
            // Methods of one path with one description are shown once.
            let summary = text(&found["summary"]);
            let same = |o: &&mut Operation| o.path == *path && o.summary == summary;
            match section.operations.iter_mut().find(same) {
                Some(same) => same.methods.push(method.to_uppercase()),
                None => section
                    .operations
                    .push(operation(path, method, found, document)),
            }
        }
    }
    ApiReference {
        title: text(&document["info"]["title"]),
        version: text(&document["info"]["version"]),
        description: text(&document["info"]["description"]),
        sections,
        schemas: schemas(document),
    }
}

/// The section for `tag`, added at the end if the document's tags don't name it.
fn section_named(sections: &mut Vec<Section>, tag: String) -> &mut Section {
    match sections.iter().position(|s| s.name == tag) {
        Some(i) => &mut sections[i],
        None => {
            sections.push(Section {
                name: tag,
                ..Section::default()
            });
            sections.last_mut().expect("just pushed")
        }
    }
}

/// The document's named schemas, with their fields and example.
fn schemas(document: &Value) -> Vec<Schema> {
    document["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, schema)| Schema {
            name: name.clone(),
            description: text(&schema["description"]),
            fields: fields(schema, "body"),
            example: (!schema["example"].is_null())
                .then(|| serde_json::to_string_pretty(&schema["example"]).unwrap_or_default()),
        })
        .collect()
}

/// A string of the document, empty where it has none.
fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_string()
}

fn operation(path: &str, method: &str, found: &Value, document: &Value) -> Operation {
    let parameters = found["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| Field {
            name: text(&p["name"]),
            location: text(&p["in"]),
            kind: kind(&p["schema"]),
            required: p["required"].as_bool().unwrap_or(false),
            description: text(&p["description"]),
        })
        .collect();
    let request = found["requestBody"]["content"]
        .as_object()
        .and_then(|content| content.iter().next())
        .map(|(content_type, media)| {
            // A JSON array of objects (a secret-scanning report): the fields of each item.
            let schema = resolve(&media["schema"], document);
            let (schema, at) = match schema["type"].as_str() {
                Some("array") => (resolve(&schema["items"], document), "each item"),
                _ => (schema, "form"),
            };
            Body {
                content_type: content_type.clone(),
                fields: fields(schema, at),
            }
        });
    let responses = answers(found);
    let (summary, description) = {
        let summary = text(&found["summary"]);
        (summary, text(&found["description"]))
    };
    let id = text(&found["operationId"]);
    Operation {
        id: id
            .strip_suffix(&format!("_{method}"))
            .unwrap_or(&id)
            .to_string(),
        methods: vec![method.to_uppercase()],
        path: path.to_string(),
        summary,
        description,
        authentication: authentication(&found["security"], document),
        parameters,
        request,
        responses,
    }
}

/// An operation's answers, by status.
fn answers(found: &Value) -> Vec<Answer> {
    let mut responses: Vec<Answer> = found["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(status, answer)| Answer {
            status: status.clone(),
            description: text(&answer["description"]),
            schemas: answer["content"]
                .as_object()
                .into_iter()
                .flatten()
                .filter_map(|(_, media)| {
                    let schema = &media["schema"];
                    schema["$ref"].as_str().or(schema["items"]["$ref"].as_str())
                })
                .map(|r| r.rsplit('/').next().unwrap_or(r).to_string())
                .collect(),
            headers: answer["headers"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(name, header)| Field {
                    name: name.clone(),
                    location: "header".into(),
                    kind: kind(&header["schema"]),
                    required: true,
                    description: text(&header["description"]),
                })
                .collect(),
        })
        .collect();
    responses.sort_by(|a, b| a.status.cmp(&b.status));
    responses
}

/// The schema `$ref` points to, or `schema` itself.
fn resolve<'a>(schema: &'a Value, document: &'a Value) -> &'a Value {
    match schema["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
        Some(name) => &document["components"]["schemas"][name],
        None => schema,
    }
}

/// The properties of an object schema, each with its location `at`.
fn fields(schema: &Value, at: &str) -> Vec<Field> {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, property)| Field {
            name: name.clone(),
            location: at.to_string(),
            kind: kind(property),
            required: required.contains(&name.as_str()),
            description: property["description"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        })
        .collect()
}

/// A schema's type in words: `string`, `integer or null`, `array of string`.
fn kind(schema: &Value) -> String {
    let one = |value: &Value| match value.as_str() {
        Some("array") => format!("array of {}", kind(&schema["items"])),
        Some(name) => name.to_string(),
        None => "any".to_string(),
    };
    match &schema["type"] {
        Value::Array(types) => types.iter().map(one).collect::<Vec<_>>().join(" or "),
        Value::Null if schema["$ref"].is_string() => schema["$ref"]
            .as_str()
            .and_then(|r| r.rsplit('/').next())
            .unwrap_or("object")
            .to_string(),
        single => one(single),
    }
}

/// The operation's security requirement in words.
fn authentication(security: &Value, document: &Value) -> String {
    let names: Vec<&str> = security
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|requirement| requirement.keys().map(String::as_str))
        .collect();
    if names.is_empty() {
        return "None: the Auth Token in the body is the credential.".to_string();
    }
    names
        .iter()
        .map(|name| {
            let scheme = &document["components"]["securitySchemes"][name];
            let how = match scheme["scheme"].as_str() {
                Some("basic") => "HTTP Basic",
                Some("bearer") => "Bearer",
                _ => "",
            };
            format!(
                "{how}: {}",
                scheme["description"].as_str().unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_operation_with_its_answers() {
        let reference = reference();
        assert_eq!(reference.title, "Tokensmith APIs");
        let names: Vec<&str> = reference.sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Sandbox brand API",
                "Introspection",
                "Revocation",
                "Secret scanning"
            ]
        );
        let sandbox = &reference.sections[0].operations[0];
        assert_eq!(sandbox.methods, ["GET", "POST", "PUT", "DELETE"]);
        assert_eq!(sandbox.path, "/Advertisers/{AccountSid}/{Resource}");
        assert!(sandbox.authentication.starts_with("HTTP Basic: Token SID"));
        let statuses: Vec<&str> = sandbox
            .responses
            .iter()
            .map(|r| r.status.as_str())
            .collect();
        assert_eq!(
            statuses,
            ["200", "400", "401", "403", "404", "405", "408", "413", "429", "503"]
        );
        assert_eq!(sandbox.responses[0].schemas, ["Decision"]);
        assert_eq!(sandbox.responses[8].schemas, ["ApiError", "LimitProblem"]);
        assert_eq!(sandbox.responses[5].headers[0].name, "Allow");
        let introspect = &reference.sections[1].operations[0];
        let body = introspect.request.as_ref().unwrap();
        assert_eq!(body.content_type, "application/x-www-form-urlencoded");
        assert!(body.fields.iter().any(|f| f.name == "token" && f.required));
        let revoke = &reference.sections[2].operations[0];
        assert!(revoke.authentication.starts_with("None"));
        let github = &reference.sections[3].operations[0];
        assert_eq!(github.path, "/secret-scanning/github");
        let body = github.request.as_ref().unwrap();
        assert_eq!(body.content_type, "application/json");
        assert!(body.fields.iter().any(|f| f.name == "token" && f.required));
        assert_eq!(github.responses[0].schemas, ["Feedback"]);
        let headers: Vec<&str> = github.parameters.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            headers,
            [
                "Github-Public-Key-Identifier",
                "Github-Public-Key-Signature"
            ]
        );
        assert_eq!(
            reference.sections[3].operations[1].path,
            "/secret-scanning/report"
        );
        let decision = reference
            .schemas
            .iter()
            .find(|s| s.name == "Decision")
            .unwrap();
        assert!(decision.example.as_deref().unwrap().contains("actions:get"));
        assert!(decision
            .fields
            .iter()
            .any(|f| f.name == "api_version" && f.kind == "integer" && f.required));
    }
}
