//! Resolution: symbolic references (tokens, secrets, accounts, contacts, credentials,
//! paths) turned into the live values they stand for.

use crate::cases::{
    AccountRef, AuthChoice, Call, ChangeSpec, ContactRef, CookieChoice, Cred, EmailRef, SecretRef,
    SidRef, Target, VersionRef,
};
use crate::encoding::{encode, header_value};
use crate::harness::{TestApp, INTROSPECTION_KEY, PASSWORD};
use crate::world::{Tok, World, EMAILS, SESSION_COOKIE};
use app::ssr::db::engine::query;
use http::header::HeaderValue;
use serde_json::{json, Value};

fn nth<T>(items: &[T], i: usize) -> Option<&T> {
    if items.is_empty() {
        None
    } else {
        Some(&items[i % items.len()])
    }
}

const NO_SID: &str = "TS00000000000000000000000000000000";
const NO_SECRET: &str = "tsm_000000000000000000000000000000000000";

impl World {
    /// A resource and HTTP method that the token behind `auth` holds a scope for.
    pub async fn granted(&self, app: &TestApp, auth: &AuthChoice) -> (String, String) {
        let sid = match auth {
            AuthChoice::Real(i) => nth(&self.live_own(), *i).map(|t| t.sid.clone()),
            AuthChoice::RealForeign(i) => nth(&self.foreign, *i).map(|t| t.sid.clone()),
            _ => nth(&self.own, 0).map(|t| t.sid.clone()),
        }
        .unwrap_or_default();
        let scopes: Vec<String> = query(
            "SELECT s.scope FROM token_scopes s JOIN tokens t ON t.id = s.token_id
             WHERE t.sid = $1 ORDER BY s.scope",
        )
        .bind(&sid)
        .scalars(&app.pool)
        .await
        .unwrap();
        let scope = nth(&scopes, sid.len() + self.fresh_ip as usize)
            .cloned()
            .unwrap_or_else(|| "reports:get".into());
        let (category, verb) = scope.split_once(':').unwrap_or(("reports", "get"));
        let resource = app::domain::catalog::category(category).map_or("Reports", |c| c.resource);
        (resource.to_string(), verb.to_uppercase())
    }

    fn live_own(&self) -> Vec<Tok> {
        self.own.iter().filter(|t| t.live).cloned().collect()
    }

    pub fn sid(&self, r: &SidRef) -> String {
        match r {
            SidRef::Own(i) => nth(&self.own, *i).map_or(NO_SID.into(), |t| t.sid.clone()),
            SidRef::Foreign(i) => nth(&self.foreign, *i).map_or(NO_SID.into(), |t| t.sid.clone()),
            SidRef::Unknown(i) => nth(&self.unknown, *i).map_or(NO_SID.into(), |t| t.0.clone()),
            SidRef::Junk(s) => s.clone(),
        }
    }

    pub fn secret(&self, r: &SecretRef) -> String {
        match r {
            SecretRef::Own(i) => nth(&self.own, *i).map_or(NO_SECRET.into(), |t| t.secret.clone()),
            SecretRef::Foreign(i) => {
                nth(&self.foreign, *i).map_or(NO_SECRET.into(), |t| t.secret.clone())
            }
            SecretRef::Unknown(i) => {
                nth(&self.unknown, *i).map_or(NO_SECRET.into(), |t| t.1.clone())
            }
            SecretRef::Mangled(i, at, c) => {
                let mut secret: Vec<u8> = nth(&self.own, *i)
                    .map_or(NO_SECRET.into(), |t| t.secret.clone())
                    .into_bytes();
                let at = at % secret.len();
                let base62 = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
                let mut replacement = base62[*c as usize % 62];
                if replacement == secret[at] {
                    replacement = if replacement == b'0' { b'1' } else { b'0' };
                }
                secret[at] = replacement;
                String::from_utf8(secret).unwrap()
            }
            SecretRef::Junk(s) => s.clone(),
        }
    }

    fn account(&self, r: &AccountRef) -> String {
        match r {
            AccountRef::Own => self.own_account.clone(),
            AccountRef::Other => self.other_account.clone(),
            AccountRef::Junk(s) => s.clone(),
        }
    }

    fn contact(&self, r: &ContactRef) -> Value {
        match r {
            ContactRef::Own(i) => nth(&self.own_contacts, *i).map_or(Value::Null, |id| json!(id)),
            ContactRef::Foreign => json!(self.foreign_contact),
            ContactRef::Raw(v) => v.clone(),
        }
    }

    fn cred(&self, c: &Cred) -> String {
        match c {
            Cred::Sid(s) => self.sid(s),
            Cred::Secret(s) => self.secret(s),
            Cred::Junk(s) => s.clone(),
        }
    }

    async fn version(&self, app: &TestApp, sid: &str) -> i64 {
        query("SELECT version FROM tokens WHERE sid = $1")
            .bind(sid)
            .scalar_optional(&app.pool)
            .await
            .unwrap()
            .unwrap_or(1)
    }

    /// The top-level fields of `call`, in order.
    pub async fn fields(&self, app: &TestApp, call: &Call) -> Vec<(String, Value)> {
        let f = |k: &str, v: Value| (k.to_string(), v);
        match call {
            Call::NoArgs => Vec::new(),
            Call::Field(name, value) => vec![f(name, value.clone())],
            Call::Fields(fields) | Call::JsonFields(fields) => {
                fields.iter().map(|(k, v)| f(k, v.clone())).collect()
            }
            Call::RequestToken {
                draft,
                contact,
                reason,
            } => {
                let mut draft = draft.clone();
                if let Value::Object(map) = &mut draft {
                    map.insert("primary_contact".into(), self.contact(contact));
                }
                vec![f("draft", draft), f("reason", reason.clone())]
            }
            Call::SetApiAccess(v) => vec![f("enabled", v.clone())],
            Call::SetTokenPolicy {
                max_lifetime,
                allow_never,
            } => {
                let mut fields = vec![f("max_lifetime", max_lifetime.clone())];
                fields.extend(allow_never.clone().map(|v| f("allow_never", v)));
                fields
            }
            Call::GetToken { sid, history_page } => {
                let mut fields = vec![f("sid", json!(self.sid(sid)))];
                fields.extend(history_page.clone().map(|page| f("history_page", page)));
                fields
            }
            Call::ListTokens { filter, page } => {
                let mut fields = vec![f("filter", filter.clone())];
                fields.extend(page.clone().map(|page| f("page", page)));
                fields
            }
            Call::CreateToken { draft, contact } => {
                let mut draft = draft.clone();
                if let Value::Object(map) = &mut draft {
                    map.insert("primary_contact".into(), self.contact(contact));
                }
                vec![f("draft", draft)]
            }
            Call::ChangeToken {
                sid,
                version,
                change,
            } => {
                let sid = self.sid(sid);
                let version = match version {
                    VersionRef::Current => json!(self.version(app, &sid).await),
                    VersionRef::Offset(d) => json!(self.version(app, &sid).await + d),
                    VersionRef::Raw(v) => v.clone(),
                };
                let change = match change {
                    ChangeSpec::Value(v) => v.clone(),
                    ChangeSpec::Contacts { contact, emails } => json!({"Contacts": {
                        "primary_contact": self.contact(contact),
                        "developer_emails": emails,
                    }}),
                };
                vec![
                    f("sid", json!(sid)),
                    f("version", version),
                    f("change", change),
                ]
            }
            Call::Login { email, password } => vec![
                f(
                    "email",
                    json!(match email {
                        EmailRef::Role(i) => EMAILS[i % EMAILS.len()].to_string(),
                        EmailRef::Junk(s) => s.clone(),
                    }),
                ),
                f(
                    "password",
                    json!(password.clone().unwrap_or(PASSWORD.into())),
                ),
            ],
            Call::AddUser { user } => vec![f("user", user.clone())],
            Call::ChangePassword {
                current,
                new,
                confirm,
            } => vec![f(
                "change",
                json!({
                    "current": current,
                    "new": new,
                    "confirm": confirm.as_ref().unwrap_or(new),
                }),
            )],
            Call::Introspect { token, hint } => {
                let mut fields = Vec::new();
                if let Some(token) = token {
                    fields.push(f("token", json!(self.secret(token))));
                }
                if let Some(hint) = hint {
                    fields.push(f("token_type_hint", json!(hint)));
                }
                fields
            }
        }
    }

    pub fn cookie_values(&self, choice: &CookieChoice) -> Vec<HeaderValue> {
        let role = |i: usize| self.cookies[i % self.cookies.len()].clone();
        let text = |s: String| vec![header_value(s.as_bytes())];
        match choice {
            CookieChoice::None => Vec::new(),
            CookieChoice::Role(i) => text(role(*i)),
            CookieChoice::Dead => text(self.dead_cookie.clone()),
            CookieChoice::Junk(s) => text(s.clone()),
            CookieChoice::Huge(n) => text(format!("{SESSION_COOKIE}={}", "a".repeat(*n))),
            CookieChoice::Mixed(i, junk) => text(format!("a=b; {}; {junk}", role(*i))),
            CookieChoice::Twice(a, b) => vec![
                header_value(role(*a).as_bytes()),
                header_value(role(*b).as_bytes()),
            ],
            CookieChoice::Bytes(b) => vec![header_value(b)],
        }
    }

    /// The role whose session the server will find, if any.
    pub fn session_role(choice: &CookieChoice) -> Option<usize> {
        match choice {
            CookieChoice::Role(i) | CookieChoice::Mixed(i, _) | CookieChoice::Twice(i, _) => {
                Some(i % EMAILS.len())
            }
            _ => None,
        }
    }

    pub fn authorization(&self, choice: &AuthChoice) -> Option<HeaderValue> {
        use base64::Engine;
        let b64 = |s: String| base64::engine::general_purpose::STANDARD.encode(s);
        let text = match choice {
            AuthChoice::None => return None,
            AuthChoice::Real(i) => nth(&self.live_own(), *i)
                .map(|t| format!("Basic {}", b64(format!("{}:{}", t.sid, t.secret))))
                .unwrap_or_default(),
            AuthChoice::RealForeign(i) => nth(&self.foreign, *i)
                .map(|t| format!("Basic {}", b64(format!("{}:{}", t.sid, t.secret))))
                .unwrap_or_default(),
            AuthChoice::Basic(u, p) => {
                format!(
                    "Basic {}",
                    b64(format!("{}:{}", self.cred(u), self.cred(p)))
                )
            }
            AuthChoice::BasicRaw(s) => format!("Basic {s}"),
            AuthChoice::Bearer(None) => format!("Bearer {INTROSPECTION_KEY}"),
            AuthChoice::Bearer(Some(s)) => format!("Bearer {s}"),
            AuthChoice::Raw(b) => return Some(header_value(b)),
        };
        Some(header_value(text.as_bytes()))
    }

    pub fn path(&self, target: &Target) -> String {
        match target {
            Target::Fixed(p) => p.clone(),
            Target::Api(name) => format!("/api/{name}"),
            Target::TokenPage(sid, suffix) => {
                format!("/settings/api/tokens/{}{suffix}", encode(&self.sid(sid)))
            }
            Target::Advertisers {
                account,
                resource,
                rest,
            } => {
                let resource = resource.as_deref().unwrap_or("Reports");
                let mut path =
                    format!("/Advertisers/{}/{resource}", encode(&self.account(account)));
                if let Some(rest) = rest {
                    path.push('/');
                    path.push_str(rest);
                }
                path
            }
            Target::Introspect => "/oauth/introspect".into(),
            Target::Revoke => "/oauth/revoke".into(),
            Target::Login => "/login".into(),
            Target::Logout => "/logout".into(),
            Target::Passkeys(true) => "/login/passkeys/options".into(),
            Target::Passkeys(false) => "/login/passkeys/answer".into(),
            Target::SecretReports { github: true, .. } => "/secret-scanning/github".into(),
            Target::SecretReports { github: false, .. } => "/secret-scanning/report".into(),
            Target::Junk(p) => p.clone(),
            Target::Long(n, c) => format!("/{}", c.to_string().repeat(*n)),
        }
    }
}
