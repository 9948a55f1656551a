//! One token card as markup (see [`Markup`]): what a `view!` of it would render (attributes
//! in the order Leptos writes them, `class` last), without
//! building and boxing some thirty views per card. The **Exposed** note and the expiry are
//! written as [`ExposureNote`] and [`ExpiryTime`] render them, which the tests check.

use crate::api::tokens::{Expiry, Exposure, TokenCard};
use crate::components::markup::Markup;
#[cfg(doc)]
use crate::components::{ExpiryTime, ExposureNote};
use crate::domain::token_filter::state_badge;

/// About what one card takes, to size the list's string once.
pub const CARD_BYTES: usize = 1_400;

/// Writes `card` as an `<li>` of the list.
pub fn write_card(m: &mut Markup, card: &TokenCard) {
    let (state_class, state) = state_badge(card.expiry.expired, card.enabled);
    let heading = format!("token-{}", card.sid);
    m.raw("<li").attr("aria-labelledby", &heading);
    m.raw(" class=\"token-card\"><div class=\"token-card-head\"><h3")
        .attr("id", &heading);
    m.raw("><a")
        .attr("href", &format!("/settings/api/tokens/{}", card.sid));
    m.raw(">").text(&card.name).raw("</a></h3>");
    if card.exposure.is_some() {
        m.raw("<span class=\"state exposed\">Exposed</span>");
    }
    m.raw("<span")
        .attr("class", state_class)
        .raw(">")
        .text(state);
    m.raw("</span></div>");
    if let Some(exposure) = &card.exposure {
        write_exposure(m, exposure);
    }
    if !card.description.is_empty() {
        m.raw("<p class=\"description\">")
            .text(&card.description)
            .raw("</p>");
    }
    m.raw("<dl class=\"facts\"><div><dt>API version</dt><dd>v");
    m.text(&card.api_version.to_string());
    m.raw("</dd></div><div><dt>Scopes</dt><dd>")
        .text(&card.scope_count.to_string());
    m.raw("</dd></div><div><dt>Primary contact</dt><dd>")
        .text(&card.primary_contact);
    m.raw("</dd></div><div><dt>Created</dt><dd>")
        .text(&card.created_at);
    m.raw(" by ").text(&card.created_by);
    m.raw("</dd></div><div><dt>Expiration</dt><dd>");
    write_expiry(m, &card.expiry);
    m.raw("</dd></div><div><dt>Last used</dt><dd>");
    m.text(card.last_used_at.as_deref().unwrap_or("never"));
    m.raw("</dd></div><div><dt>Token SID</dt><dd><code>")
        .text(&card.sid);
    m.raw("</code></dd></div></dl></li>");
}

/// [`ExpiryTime`]'s markup.
fn write_expiry(m: &mut Markup, expiry: &Expiry) {
    let class = if expiry.expired {
        "expiry expired"
    } else {
        "expiry"
    };
    match &expiry.datetime {
        Some(datetime) => {
            m.raw("<time").attr("datetime", datetime);
            if let Some(exact) = &expiry.exact {
                m.attr("title", exact);
            }
            m.attr("data-local", if expiry.expired { "expired" } else { "" });
            m.attr("class", class).raw(">").text(&expiry.label);
            m.raw("</time>");
        }
        None => {
            m.raw("<span")
                .attr("class", class)
                .raw(">")
                .text(&expiry.label);
            m.raw("</span>");
        }
    }
}

/// [`ExposureNote`]'s markup.
fn write_exposure(m: &mut Markup, exposure: &Exposure) {
    m.raw("<div role=\"note\" class=\"exposure\"><p><strong>Found in public</strong>");
    m.raw(" — reported ")
        .text(&exposure.at)
        .raw(" by ")
        .text(&exposure.reporter);
    m.raw(". Reset the token to issue a new secret.</p>");
    if let Some(url) = &exposure.url {
        m.raw("<p class=\"found-at\">Found at ");
        if exposure.link {
            m.raw("<a").attr("href", url);
            m.raw(" rel=\"noopener noreferrer nofollow\" target=\"_blank\">");
            m.text(url).raw("</a>");
        } else {
            m.raw("<code>").text(url).raw("</code>");
        }
        m.raw("</p>");
    }
    m.raw("</div>");
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::components::{ExpiryTime, ExposureNote};
    use leptos::prelude::*;

    /// What Leptos renders, without its hydration markers (`<!>`), which a page without
    /// islands has no use for.
    fn rendered(view: impl IntoView + 'static) -> String {
        let owner = Owner::new();
        owner.with(|| view.into_view().to_html()).replace("<!>", "")
    }

    fn expiries() -> Vec<Expiry> {
        vec![
            Expiry::new(Some(1_900_000_000), 1_800_000_000),
            Expiry::new(Some(1_700_000_000), 1_800_000_000),
            Expiry::new(None, 1_800_000_000),
            Expiry {
                label: "<b>\"odd\" & label</b>".into(),
                expired: false,
                datetime: Some("2030-01-01T00:00:00Z".into()),
                exact: None,
            },
        ]
    }

    fn exposures() -> Vec<Exposure> {
        let url = |u: &str| Some(u.to_string());
        vec![
            Exposure::new(
                Some(1_800_000_000),
                url("https://github.com/a/b"),
                Some("github:x"),
            ),
            Exposure::new(
                Some(1_800_000_000),
                url("https://x.test/\"<q>&"),
                Some("report"),
            ),
            Exposure::new(Some(1_800_000_000), None, None),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    #[test]
    fn the_expiry_is_written_as_expiry_time_renders_it() {
        for expiry in expiries() {
            let mut m = Markup::default();
            write_expiry(&mut m, &expiry);
            let component = rendered(view! { <ExpiryTime expiry=expiry.clone() /> });
            assert_eq!(m.into_string(), component, "{expiry:?}");
        }
    }

    #[test]
    fn the_exposure_is_written_as_exposure_note_renders_it() {
        let exposures = exposures();
        assert!(exposures.iter().any(|e| e.link) && exposures.iter().any(|e| e.url.is_none()));
        for exposure in exposures {
            let mut m = Markup::default();
            write_exposure(&mut m, &exposure);
            let component = rendered(view! { <ExposureNote exposure=exposure.clone() /> });
            assert_eq!(m.into_string(), component, "{exposure:?}");
        }
    }

    fn card(name: &str, description: &str) -> TokenCard {
        TokenCard {
            sid: "TS0123".into(),
            name: name.into(),
            description: description.into(),
            api_version: 14,
            enabled: true,
            scope_count: 3,
            primary_contact: "Ada <ada@acme.test>".into(),
            created_by: "Bo".into(),
            created_at: "2027-01-02 03:04 UTC".into(),
            last_used_at: None,
            expiry: Expiry::new(None, 0),
            exposure: None,
        }
    }

    #[test]
    fn a_card_shows_its_facts_and_escapes_what_users_typed() {
        let mut m = Markup::default();
        write_card(&mut m, &card("<img src=x onerror=alert(1)>", "a & b"));
        let html = m.into_string();
        assert!(html.starts_with(
            "<li aria-labelledby=\"token-TS0123\" class=\"token-card\">\
             <div class=\"token-card-head\"><h3 id=\"token-TS0123\">\
             <a href=\"/settings/api/tokens/TS0123\">&lt;img src=x onerror=alert(1)&gt;</a></h3>\
             <span class=\"state enabled\">Enabled</span></div>\
             <p class=\"description\">a &amp; b</p>"
        ));
        for fact in [
            "<dt>API version</dt><dd>v14</dd>",
            "<dt>Scopes</dt><dd>3</dd>",
            "<dt>Primary contact</dt><dd>Ada &lt;ada@acme.test&gt;</dd>",
            "<dt>Created</dt><dd>2027-01-02 03:04 UTC by Bo</dd>",
            "<dt>Expiration</dt><dd><span class=\"expiry\">Never expires</span></dd>",
            "<dt>Last used</dt><dd>never</dd>",
            "<dt>Token SID</dt><dd><code>TS0123</code></dd>",
        ] {
            assert!(html.contains(fact), "{fact} in {html}");
        }
        assert!(html.ends_with("</dl></li>"));
    }

    #[test]
    fn an_empty_description_writes_no_paragraph_and_exposure_its_note() {
        let mut exposed = card("A", "");
        exposed.exposure = exposures().into_iter().next();
        let mut m = Markup::default();
        write_card(&mut m, &exposed);
        let html = m.into_string();
        assert!(!html.contains("description"));
        assert!(html.contains("<span class=\"state exposed\">Exposed</span>"));
        assert!(html.contains("<div role=\"note\" class=\"exposure\">"));
    }
}
