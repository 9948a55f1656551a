//! The API reference: an OpenAPI 3.1 document generated from the handlers' own annotations
//! (utoipa), so it changes with them. Served at `GET /openapi.json` and turned into the
//! console's **API reference** page.

use crate::brand_api::credentials::ApiError;
use crate::brand_api::introspect::{Introspection, IntrospectionForm, RateLimitMember};
use crate::brand_api::limit_answers::LimitProblem;
use crate::brand_api::oauth_error::{OAuthError, OAuthErrorCode};
use crate::brand_api::revoke::RevocationForm;
use crate::brand_api::sandbox::Decision;
use crate::brand_api::secret_reports::github::{Feedback, GitHubMatch};
use crate::brand_api::secret_reports::public::{Received, ReportedSecret};
use crate::brand_api::secret_reports::{github, public};
use crate::brand_api::{introspect, revoke, sandbox};
use axum::response::{IntoResponse, Response};
use http::header;
use std::sync::OnceLock;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

mod reference;
pub use reference::reference;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tokensmith APIs",
        description = "What an integration calls with a Tokensmith access token, and what a resource server calls to check one. Tokens are created in the console (**Settings → API → Create API Access Token**); the Token SID and Auth Token are shown once.",
        license(name = "MIT", identifier = "MIT"),
    ),
    paths(
        sandbox::handle,
        introspect::handle,
        revoke::handle,
        github::handle,
        public::handle
    ),
    components(schemas(
        Decision,
        ApiError,
        LimitProblem,
        OAuthError,
        OAuthErrorCode,
        Introspection,
        IntrospectionForm,
        RateLimitMember,
        RevocationForm,
        GitHubMatch,
        Feedback,
        ReportedSecret,
        Received
    )),
    modifiers(&Schemes),
    tags(
        (name = "Sandbox brand API", description = "Authorizes exactly as the production brand API and answers with the decision. HTTP Basic: the Token SID as user name, the Auth Token as password."),
        (name = "Introspection", description = "For resource servers: is this Auth Token usable, and for what?"),
        (name = "Revocation", description = "For whoever holds an Auth Token: kill it."),
        (name = "Secret scanning", description = "For whoever finds an Auth Token in public (GitHub's secret scanning, or anyone): report it, and the account's policy acts within a second."),
    )
)]
struct Document;

/// The security schemes the annotations name.
struct Schemes;

impl Modify for Schemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut basic = Http::new(HttpAuthScheme::Basic);
        basic.description =
            Some("Token SID as the user name, Auth Token (`tsm_…`) as the password.".into());
        components.add_security_scheme("basic", SecurityScheme::Http(basic));
        let mut bearer = Http::new(HttpAuthScheme::Bearer);
        bearer.description =
            Some("The operator's introspection key (`TOKENSMITH_INTROSPECTION_KEY`).".into());
        components.add_security_scheme("introspection_key", SecurityScheme::Http(bearer));
        // One annotation may name several methods; each operation needs an id of its own.
        for item in openapi.paths.paths.values_mut() {
            let methods = [
                ("get", &mut item.get),
                ("post", &mut item.post),
                ("put", &mut item.put),
                ("patch", &mut item.patch),
                ("delete", &mut item.delete),
            ];
            let shared = methods.iter().filter(|(_, op)| op.is_some()).count() > 1;
            for (method, operation) in methods {
                let Some(operation) = operation.as_mut() else {
                    continue;
                };
                if shared {
                    let id = operation.operation_id.take().unwrap_or_default();
                    operation.operation_id = Some(format!("{id}_{method}"));
                }
                add_outer_answers(operation, method != "get");
            }
        }
    }
}

/// The answers every operation can get from the server's outer layers, before its
/// handler runs: a body too large or too slow, and (for a method that changes something)
/// a browser page on another site.
fn add_outer_answers(operation: &mut utoipa::openapi::path::Operation, changes: bool) {
    use utoipa::openapi::{RefOr, Response};
    let answers = &mut operation.responses.responses;
    let add = |answers: &mut std::collections::BTreeMap<String, RefOr<Response>>,
               status: &str,
               description: String| {
        answers
            .entry(status.to_string())
            .or_insert_with(|| RefOr::T(Response::new(description)));
    };
    let slow = format!(
        "The request's body did not arrive within {} seconds of its headers (the connection \
         is closed), or the answer took longer than the request timeout \
         (`TOKENSMITH_REQUEST_TIMEOUT_SECS`).",
        crate::http::request_body::BODY_TIME.as_secs()
    );
    add(answers, "408", slow);
    let limit = crate::config::BODY_LIMIT / 1024;
    let large = format!("The request's body is larger than {limit} KiB.");
    add(answers, "413", large);
    if !changes {
        return;
    }
    let cross_site = "Sent from a browser page elsewhere (`Sec-Fetch-Site` other than \
                      `same-origin` or `none`, or an `Origin` that isn't this host): refused, \
                      as plain text.";
    match answers.get_mut("403") {
        Some(RefOr::T(refused)) => {
            refused.description = format!("{} Or: {cross_site}", refused.description)
        }
        _ => add(answers, "403", cross_site.into()),
    }
}

pub fn document() -> utoipa::openapi::OpenApi {
    Document::openapi()
}

/// The document as JSON, built once.
pub fn json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| document().to_pretty_json().unwrap_or_default())
}

/// `GET /openapi.json`.
pub async fn serve() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=300"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        json(),
    )
        .into_response()
}
