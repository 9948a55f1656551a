//! What the console's **API reference** page shows: the OpenAPI document, read into
//! sections of operations with their parameters, bodies and answers.

use serde::{Deserialize, Serialize};

/// The whole reference.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiReference {
    /// The document's title.
    pub title: String,
    /// Its version (the server's).
    pub version: String,
    /// Its introduction.
    pub description: String,
    /// One per tag, in the document's order.
    pub sections: Vec<Section>,
    /// The bodies the answers name, by name.
    pub schemas: Vec<Schema>,
}

/// A group of operations.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// The tag's name.
    pub name: String,
    /// What they are for.
    pub description: String,
    pub operations: Vec<Operation>,
}

/// One path and the methods that share its description.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    /// The id, used as the page's anchor.
    pub id: String,
    /// `GET`, `POST`, …
    pub methods: Vec<String>,
    /// The path, with `{Parameters}`.
    pub path: String,
    /// One line.
    pub summary: String,
    /// The rest of the description.
    pub description: String,
    /// How to authenticate, in words.
    pub authentication: String,
    /// Path, query and header parameters.
    pub parameters: Vec<Field>,
    /// The request body, if any.
    pub request: Option<Body>,
    /// Every answer.
    pub responses: Vec<Answer>,
}

/// A parameter or a field of a body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    /// `path`, `header`, `query` or `body`.
    pub location: String,
    /// `string`, `integer`, `boolean`, `array of string`, …
    pub kind: String,
    /// Whether it must be sent (or is always answered).
    pub required: bool,
    /// What it is.
    pub description: String,
}

/// A request body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    pub content_type: String,
    pub fields: Vec<Field>,
}

/// One status an operation answers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// The HTTP status.
    pub status: String,
    /// When and why.
    pub description: String,
    /// The body's schemas, one per content type (see [`ApiReference::schemas`]); none
    /// for an empty body.
    pub schemas: Vec<String>,
    /// Headers that come with it.
    pub headers: Vec<Field>,
}

/// A named body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    pub name: String,
    /// What it is.
    pub description: String,
    pub fields: Vec<Field>,
    /// An example, as pretty JSON.
    pub example: Option<String>,
}

/// The anchor of schema `name` on the page.
pub fn schema_anchor(name: &str) -> String {
    format!("schema-{}", name.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_anchors_are_lower_case() {
        assert_eq!(schema_anchor("ApiError"), "schema-apierror");
        assert_eq!(schema_anchor("Decision"), "schema-decision");
    }
}
