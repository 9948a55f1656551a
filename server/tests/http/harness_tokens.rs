//! The harness's helpers for users, tokens, their lists and the brand API: made through the
//! same server functions and routes the console and a holder use.

use super::harness::{Reply, TestApp, ADMIN, DEVELOPER, HOST, INTROSPECTION_KEY, PASSWORD};
use app::ssr::db::engine::query;
use axum::body::Body;
use http::{header, Request, StatusCode};

/// A token made through the wizard's server function.
pub struct Made {
    pub sid: String,
    pub secret: String,
}

impl TestApp {
    /// The id of the demo user with this email.
    pub async fn user_id(&self, email: &str) -> i64 {
        query("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .scalar(&self.pool)
            .await
            .unwrap()
    }

    /// A second account, "Birch Cycles", with its administrator `boss@birch.test`
    /// (Robin Birch); their session cookie.
    pub async fn second_account_admin(&self) -> String {
        let other = server::commands::users::create_account(&self.pool, "Birch Cycles")
            .await
            .unwrap();
        server::commands::users::create_user(
            &self.pool,
            other.as_str(),
            "boss@birch.test",
            "Robin Birch",
            app::domain::Role::AccountAdmin,
            PASSWORD,
        )
        .await
        .unwrap();
        self.sign_in("boss@birch.test").await
    }

    /// Creates a token named `name` with two scopes and one developer email.
    pub async fn make_token(&self, cookie: &str, name: &str) -> Made {
        self.make_token_with(cookie, name, ADMIN).await
    }

    /// As [`Self::make_token`] in another account; returns the SID.
    pub async fn make_token_for(&self, cookie: &str, name: &str, contact: &str) -> String {
        self.make_token_with(cookie, name, contact).await.sid
    }

    async fn make_token_with(&self, cookie: &str, name: &str, contact: &str) -> Made {
        let contact = self.user_id(contact).await;
        let draft = self
            .review_draft(name, serde_json::json!({ "primary_contact": contact }))
            .await;
        let reply = self
            .call_json(
                "create_token",
                Some(cookie),
                &serde_json::json!({ "draft": draft }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let created: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        Made {
            sid: created["sid"].as_str().unwrap().to_string(),
            secret: created["secret"].as_str().unwrap().to_string(),
        }
    }

    /// A wizard draft at its last step, as **Create** sends it: `name`, API version 12, the
    /// administrator as primary contact, [`DEVELOPER`] as the one developer email (so a
    /// new token tells two people), `reports:get` and `actions:get`; then each field of
    /// `overrides` (the open categories follow the scopes unless given).
    pub async fn review_draft(
        &self,
        name: &str,
        overrides: serde_json::Value,
    ) -> serde_json::Value {
        let mut draft = serde_json::json!({
            "step": "Review",
            "name": name,
            "description": "",
            "api_version": 12,
            "primary_contact": self.user_id(ADMIN).await,
            "developer_emails": [DEVELOPER],
            "scopes": ["reports:get", "actions:get"],
        });
        for (key, value) in overrides.as_object().unwrap() {
            draft[key] = value.clone();
        }
        if draft.get("open_categories").is_none() {
            let mut categories: Vec<String> = draft["scopes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().split(':').next().unwrap().to_string())
                .collect();
            categories.sort();
            categories.dedup();
            draft["open_categories"] = serde_json::json!(categories);
        }
        draft
    }

    /// `POST /oauth/introspect` with the `form`, under `key` (`None`: no `Authorization`).
    #[allow(dead_code)]
    pub async fn introspect_with(&self, key: Option<&str>, form: &str) -> Reply {
        let bearer = key.map(|k| format!("Bearer {k}"));
        let form_type = [("content-type", "application/x-www-form-urlencoded")];
        self.api(
            "POST",
            "/oauth/introspect",
            bearer.as_deref(),
            &form_type,
            form,
        )
        .await
    }

    /// What introspection says of `secret`, asked with the configured key (200 asserted).
    #[allow(dead_code)]
    pub async fn introspect(&self, secret: &str) -> serde_json::Value {
        let form = format!("token={secret}");
        let reply = self.introspect_with(Some(INTROSPECTION_KEY), &form).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        serde_json::from_str(&reply.body).unwrap()
    }

    /// The token's current revision, straight from the database.
    pub async fn revision(&self, sid: &str) -> i64 {
        query("SELECT version FROM tokens WHERE sid = $1")
            .bind(sid)
            .scalar(&self.pool)
            .await
            .unwrap()
    }

    /// Sends one change from the detail page at the token's current revision.
    pub async fn change(&self, cookie: &str, sid: &str, change: serde_json::Value) -> Reply {
        let version = self.revision(sid).await;
        self.change_at(cookie, sid, version, change).await
    }

    /// Sends one change as a page showing revision `version` would.
    pub async fn change_at(
        &self,
        cookie: &str,
        sid: &str,
        version: i64,
        change: serde_json::Value,
    ) -> Reply {
        let body = serde_json::json!({ "sid": sid, "version": version, "change": change });
        self.call_json("change_token", Some(cookie), &body).await
    }

    /// The token's detail as the page gets it.
    pub async fn detail(&self, cookie: &str, sid: &str) -> Reply {
        self.call_json(
            "get_token",
            Some(cookie),
            &serde_json::json!({ "sid": sid }),
        )
        .await
    }

    /// The list as the page gets it with `filter`.
    pub async fn list(&self, cookie: &str, filter: serde_json::Value) -> serde_json::Value {
        let reply = self
            .call_json(
                "list_tokens",
                Some(cookie),
                &serde_json::json!({ "filter": filter }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        serde_json::from_str(&reply.body).unwrap()
    }
}

impl TestApp {
    /// The names on every page of the unfiltered list, newest first.
    pub async fn list_all(&self, cookie: &str) -> Vec<String> {
        let mut all = Vec::new();
        for page in 1.. {
            let reply = self
                .call_json(
                    "list_tokens",
                    Some(cookie),
                    &serde_json::json!({ "filter": {}, "page": page }),
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            let list: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
            all.extend(names(&list));
            if list["page"]["number"] == list["page"]["count"] {
                break;
            }
        }
        all
    }
}

/// The names of the cards in a list answer.
pub fn names(list: &serde_json::Value) -> Vec<String> {
    list["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

/// The fields named by a 422 or 409 field-error answer.
pub fn error_fields(body: &str) -> Vec<String> {
    let error: serde_json::Value = serde_json::from_str(body).unwrap();
    error
        .get("Validation")
        .or_else(|| error.get("FieldConflict"))
        .and_then(serde_json::Value::as_array)
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect()
}

impl TestApp {
    /// Switches the demo account's **Enable API access**.
    pub async fn set_api_access(&self, cookie: &str, on: bool) {
        let reply = self
            .call("set_api_access", Some(cookie), &format!("enabled={on}"))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }

    /// The demo account's SID.
    pub async fn account_sid(&self) -> String {
        query("SELECT sid FROM accounts WHERE name = 'Acme Outdoor'")
            .scalar(&self.pool)
            .await
            .unwrap()
    }

    /// A request to the brand API, as another service sends it (no browser headers).
    pub async fn api(
        &self,
        method: &str,
        path: &str,
        authorization: Option<&str>,
        extra: &[(&str, &str)],
        body: &str,
    ) -> Reply {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, HOST);
        if let Some(value) = authorization {
            request = request.header(header::AUTHORIZATION, value);
        }
        for (name, value) in extra {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// A GET to the brand API from the client address `client` (`ip:port`).
    pub async fn api_from(&self, client: &str, path: &str, authorization: &str) -> Reply {
        self.api_forwarded(client, &[], path, authorization).await
    }

    /// A GET to the brand API from `client` (`ip:port`, a proxy) with these
    /// `X-Forwarded-For` lines, as raw bytes.
    pub async fn api_forwarded(
        &self,
        client: &str,
        forwarded: &[&[u8]],
        path: &str,
        authorization: &str,
    ) -> Reply {
        let mut request = Request::get(path)
            .header(header::HOST, HOST)
            .header(header::AUTHORIZATION, authorization);
        for line in forwarded {
            request = request.header(
                "x-forwarded-for",
                http::HeaderValue::from_bytes(line).unwrap(),
            );
        }
        let mut request = request.body(Body::empty()).unwrap();
        let address: std::net::SocketAddr = client.parse().unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(address));
        self.send(request).await
    }
}

/// `Basic base64(user:password)`.
pub fn basic(user: &str, password: &str) -> String {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {encoded}")
}

impl TestApp {
    /// Sends `body` to `POST /secret-scanning/github`, signed with this app's key, as
    /// GitHub would.
    #[allow(dead_code)]
    pub async fn report_github(&self, body: &str) -> Reply {
        use base64::Engine;
        use p256::ecdsa::signature::Signer;
        let signature: p256::ecdsa::DerSignature = self.scanning_key.sign(body.as_bytes());
        let signature = base64::engine::general_purpose::STANDARD.encode(signature.as_bytes());
        let headers = [
            ("content-type", "application/json"),
            (
                "github-public-key-identifier",
                super::harness::SCANNING_KEY_ID,
            ),
            ("github-public-key-signature", signature.as_str()),
        ];
        self.api("POST", "/secret-scanning/github", None, &headers, body)
            .await
    }
}

/// A new P-256 key pair: its private half, and its public half as the server reads it
/// (GitHub's `public_keys` document, under [`super::harness::SCANNING_KEY_ID`]).
pub fn scanning_key_pair() -> (
    p256::ecdsa::SigningKey,
    server::brand_api::scanning_keys::ScanningKeys,
) {
    use p256::pkcs8::{EncodePublicKey, LineEnding};
    let key = loop {
        if let Ok(key) = p256::ecdsa::SigningKey::from_slice(&rand::random::<[u8; 32]>()) {
            break key;
        }
    };
    let pem = key
        .verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    let file = serde_json::json!({
        "public_keys": [{ "key_identifier": super::harness::SCANNING_KEY_ID, "key": pem, "is_current": true }]
    });
    let keys = server::brand_api::scanning_keys::ScanningKeys::from_json(&file.to_string(), "test")
        .unwrap();
    (key, keys)
}
