//! Setting up the live state and keeping it usable: the second account, sessions,
//! tokens, and what successful calls teach about them.

use crate::cases::{Call, Case, Payload};
use crate::encoding::header_value;
use crate::harness::{TestApp, ADMIN, ANALYST, FINANCE, HOST, PASSWORD, SPECIALIST};
use crate::world::{Tok, World, EMAILS, OTHER_ADMIN, SESSION_COOKIE};
use app::domain::limits::LimitsPolicy;
use app::ssr::db::engine::query;
use axum::body::Body;
use http::{header, HeaderMap, Request, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

/// What a request to a server function returns: status and body.
async fn call(
    app: &TestApp,
    cookie: &str,
    endpoint: &str,
    ty: &str,
    body: String,
) -> (StatusCode, String) {
    let request = Request::post(format!("/api/{endpoint}"))
        .header(header::HOST, HOST)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, ty)
        .header(header::ACCEPT, "application/json")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap();
    let reply = app.send(request).await;
    (reply.status, reply.body)
}

async fn make(
    app: &TestApp,
    cookie: &str,
    contact: i64,
    name: &str,
    version: u8,
    scopes: &[&str],
) -> Tok {
    // The wizard starts a token from the account's default limits, which the fuzzer may
    // have set along with ceilings; a policy's defaults always fit its ceilings.
    let policy: String = query(
        "SELECT a.limits_policy FROM accounts a JOIN users u ON u.account_id = a.id \
         WHERE u.id = $1",
    )
    .bind(contact)
    .scalar(&app.pool)
    .await
    .unwrap();
    let limits = LimitsPolicy::from_stored(&policy).defaults.form();
    let draft = json!({ "draft": {
        "step": "Review",
        "name": name,
        "description": "made by the fuzzer",
        "api_version": version,
        // 30 days fits every policy the fuzzer may have set (the shortest is 30).
        "expiration": { "Days": 30 },
        "primary_contact": contact,
        "developer_emails": ["dev@partner.test"],
        "scopes": scopes,
        "open_categories": scopes.iter().map(|s| s.split(':').next().unwrap()).collect::<Vec<_>>(),
        "limits": limits,
    }});
    let (status, body) = call(
        app,
        cookie,
        "create_token",
        "application/json",
        draft.to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "setup: create {name}: {body}");
    let created: Value = serde_json::from_str(&body).unwrap();
    Tok {
        sid: created["sid"].as_str().unwrap().to_string(),
        secret: created["secret"].as_str().unwrap().to_string(),
        live: true,
    }
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    query("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .scalar(&app.pool)
        .await
        .unwrap()
}

impl World {
    pub async fn setup(app: &TestApp) -> World {
        let other_account = server::commands::users::create_account(&app.pool, "Other Co")
            .await
            .unwrap()
            .as_str()
            .to_string();
        server::commands::users::create_user(
            &app.pool,
            &other_account,
            OTHER_ADMIN,
            "Olga Other",
            app::domain::Role::AccountAdmin,
            PASSWORD,
        )
        .await
        .unwrap();
        let mut cookies = Vec::new();
        for email in EMAILS {
            cookies.push(app.sign_in(email).await);
        }
        let dead_cookie = app.sign_in(ANALYST).await;
        let logout = Request::post("/logout")
            .header(header::HOST, HOST)
            .header(header::COOKIE, &dead_cookie)
            .header("sec-fetch-site", "same-origin")
            .body(Body::empty())
            .unwrap();
        assert_eq!(app.send(logout).await.status, StatusCode::SEE_OTHER);
        let own_account: String = query(
            "SELECT a.sid FROM accounts a JOIN users u ON u.account_id = a.id WHERE u.email = $1",
        )
        .bind(ADMIN)
        .scalar(&app.pool)
        .await
        .unwrap();
        let mut own_contacts = Vec::new();
        for email in [ADMIN, SPECIALIST, ANALYST, FINANCE] {
            own_contacts.push(user_id(app, email).await);
        }
        let foreign_contact = user_id(app, OTHER_ADMIN).await;
        for cookie in [&cookies[0], &cookies[4]] {
            let (status, body) = call(
                app,
                cookie,
                "set_api_access",
                "application/x-www-form-urlencoded",
                "enabled=true".into(),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "setup: API access: {body}");
        }
        let mut unknown = Vec::new();
        for _ in 0..4 {
            let fresh = app::ssr::credentials::generate().unwrap();
            unknown.push((fresh.sid.to_string(), fresh.secret.expose().to_string()));
        }
        let mut world = World {
            cookies,
            dead_cookie,
            own: Vec::new(),
            foreign: Vec::new(),
            unknown,
            own_account,
            other_account,
            own_contacts,
            foreign_contact,
            fresh_ip: 0,
            made: 0,
            fingerprint: None,
            phases: [Duration::ZERO; 4],
        };
        // A broad token and a narrow one, via the page's own server function.
        let admin = world.cookies[0].clone();
        let contact = world.own_contacts[0];
        let broad = make(
            app,
            &admin,
            contact,
            "fuzz broad",
            14,
            &[
                "reports:get",
                "actions:get",
                "actions:put",
                "actions:delete",
                "ads:post",
                "exception-lists:patch",
            ],
        )
        .await;
        let narrow = make(app, &admin, contact, "fuzz narrow", 11, &["reports:get"]).await;
        world.own.extend([broad, narrow]);
        world.keep_tokens(app).await;
        world
    }

    /// Gives a new session to every role whose session ended (signed out, or replaced by
    /// a sign-in that carried its cookie).
    pub async fn keep_sessions(&mut self, app: &TestApp) {
        for (i, email) in EMAILS.iter().enumerate() {
            if !session_alive(app, &self.cookies[i]).await {
                self.cookies[i] = session_for(app, email).await;
                self.fingerprint = None;
            }
        }
    }

    /// Keeps enough live tokens around.
    pub async fn keep_tokens(&mut self, app: &TestApp) {
        while self.own.iter().filter(|t| t.live).count() < 3 {
            self.made += 1;
            let name = format!("fuzz own {}", self.made);
            let (cookie, contact) = (self.cookies[0].clone(), self.own_contacts[0]);
            let tok = make(
                app,
                &cookie,
                contact,
                &name,
                13,
                &["reports:get", "actions:get", "ads:put"],
            )
            .await;
            self.own.push(tok);
            self.fingerprint = None;
        }
        while self.foreign.iter().filter(|t| t.live).count() < 1 {
            self.made += 1;
            let name = format!("fuzz foreign {}", self.made);
            let (cookie, contact) = (self.cookies[4].clone(), self.foreign_contact);
            let tok = make(
                app,
                &cookie,
                contact,
                &name,
                14,
                &["reports:get", "actions:get"],
            )
            .await;
            self.foreign.push(tok);
            self.fingerprint = None;
        }
    }

    /// Learns what a successful call did to the tokens it knows.
    pub fn learn(&mut self, case: &Case, status: StatusCode, body: &str) {
        if !status.is_success() {
            return;
        }
        let Payload::Call { call, .. } = &case.payload else {
            return;
        };
        let Ok(answer) = serde_json::from_str::<Value>(body) else {
            return;
        };
        let foreign = World::session_role(&case.headers.cookie) == Some(4);
        match call {
            Call::CreateToken { .. } => {
                if let (Some(sid), Some(secret)) =
                    (answer["sid"].as_str(), answer["secret"].as_str())
                {
                    let tok = Tok {
                        sid: sid.into(),
                        secret: secret.into(),
                        live: true,
                    };
                    if foreign {
                        self.foreign.push(tok);
                    } else {
                        self.own.push(tok);
                    }
                }
            }
            Call::ChangeToken { sid, .. } => {
                let sid = self.sid(sid);
                for tok in self.own.iter_mut().chain(self.foreign.iter_mut()) {
                    if tok.sid == sid {
                        if let Some(secret) = answer["secret"].as_str() {
                            tok.secret = secret.into();
                        }
                        if answer["deleted"].as_bool() == Some(true) {
                            tok.live = false;
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// A session stored as sign-in stores it, without paying for argon2 again: the roles
/// signed in through `/login` at the start; sign-outs during the run are many.
async fn session_for(app: &TestApp, email: &str) -> String {
    use base64::Engine;
    let id = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let cookie = format!("{SESSION_COOKIE}={id}");
    let mut headers = HeaderMap::new();
    headers.insert(header::COOKIE, header_value(cookie.as_bytes()));
    let token = app::ssr::auth::SessionToken::from_headers(&headers, false).expect("a session id");
    let now = app::ssr::now();
    let user = user_id(app, email).await;
    app::ssr::db::sessions::create(
        &app.pool,
        &token.hash(),
        user,
        None,
        now,
        now + app::ssr::auth::SESSION_TTL_SECS,
    )
    .await
    .unwrap();
    cookie
}

async fn session_alive(app: &TestApp, cookie: &str) -> bool {
    let mut headers = HeaderMap::new();
    headers.insert(header::COOKIE, header_value(cookie.as_bytes()));
    let Some(token) = app::ssr::auth::SessionToken::from_headers(&headers, false) else {
        return false;
    };
    let hash = token.hash().to_vec();
    query("SELECT count(*) FROM sessions WHERE id_hash = $1")
        .bind(hash)
        .scalar::<i64>(&app.pool)
        .await
        .unwrap()
        > 0
}
