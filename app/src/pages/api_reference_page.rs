//! `/settings/api/reference`: the APIs an integration calls (the sandbox brand API,
//! introspection, revocation), read from the server's own OpenAPI document. Rendered on the
//! server with no code of its own: readable offline and under the page's CSP.

use crate::api::settings::get_api_reference;
use crate::components::ErrorPanel;
use crate::domain::api_reference::{
    schema_anchor, Answer, ApiReference, Field, Operation, Schema, Section,
};
use crate::error::AppError;
use crate::pages::ForbiddenPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::LazyRoute;

/// The API reference page; Analyst and Finance get the 403 page.
pub struct ApiReferencePage {
    reference: Resource<Result<ApiReference, AppError>>,
}

impl LazyRoute for ApiReferencePage {
    fn data() -> Self {
        Self {
            reference: Resource::new(|| (), |()| get_api_reference()),
        }
    }

    async fn view(this: Self) -> AnyView {
        let reference = this.reference;
        view! {
            <Title text="API reference" />
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match reference.await {
                        Ok(reference) => view! { <Reference reference /> }.into_any(),
                        Err(AppError::Forbidden) => view! {
                            <ForbiddenPage hint="The API reference is open to Account Administrators and Implementation Specialists." />
                        }
                        .into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        }
        .into_any()
    }
}

#[component]
fn Reference(reference: ApiReference) -> impl IntoView {
    let ApiReference {
        version,
        description,
        sections,
        schemas,
        ..
    } = reference;
    let contents = sections.clone();
    view! {
        <header class="page-header">
            <div>
                <h1>"API reference"</h1>
                <p class="lede">{rich(&description)}</p>
                <p class="muted">"Version " {version} ". Generated from the server's code, as is its "
                    <a href="/openapi.json">"OpenAPI 3.1 document"</a> "."</p>
            </div>
            <a class="button secondary" href="/openapi.json" download="tokensmith-openapi.json">
                "Download openapi.json"
            </a>
        </header>
        <nav class="card toc" aria-label="Operations">
            <ul>
                {contents
                    .into_iter()
                    .map(|section| view! {
                        <li>
                            {section.name}
                            <ul>
                                {section
                                    .operations
                                    .into_iter()
                                    .map(|op| {
                                        let href = format!("#{}", op.id);
                                        let name = format!("{} {}", op.methods.join(" | "), op.path);
                                        let purpose = format!(" — {}", op.summary);
                                        view! {
                                            <li>
                                                <a href=href>{name}</a>
                                                {purpose}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </li>
                    })
                    .collect_view()}
            </ul>
        </nav>
        {sections.into_iter().map(|section| view! { <SectionCard section /> }).collect_view()}
        <section class="card reference" aria-labelledby="schemas-heading">
            <h2 id="schemas-heading">"Bodies"</h2>
            {schemas.into_iter().map(|schema| view! { <SchemaEntry schema /> }).collect_view()}
        </section>
    }
}

#[component]
fn SectionCard(section: Section) -> impl IntoView {
    let heading = format!("section-{}", section.name.to_lowercase().replace(' ', "-"));
    let labelled = heading.clone();
    view! {
        <section class="card reference" aria-labelledby=labelled>
            <h2 id=heading>{section.name}</h2>
            <p>{rich(&section.description)}</p>
            {section.operations.into_iter().map(|op| view! { <OperationEntry op /> }).collect_view()}
        </section>
    }
}

#[component]
fn OperationEntry(op: Operation) -> impl IntoView {
    let Operation {
        id,
        methods,
        path,
        summary,
        description,
        authentication,
        parameters,
        request,
        responses,
    } = op;
    let heading = format!("{id}-heading");
    let labelled = heading.clone();
    view! {
        <article id=id class="operation" aria-labelledby=labelled>
            <h3 id=heading>
                <span class="method">{methods.join(" | ")}</span> " " <code>{path}</code>
            </h3>
            <p class="summary">{summary}</p>
            {paragraphs(&description)}
            <h4>"Authentication"</h4>
            <p>{rich(&authentication)}</p>
            {(!parameters.is_empty()).then(|| view! {
                <h4>"Parameters"</h4>
                <FieldTable fields=parameters caption="Parameters" />
            })}
            {request.map(|body| view! {
                <h4>"Request body"</h4>
                <p><code>{body.content_type}</code></p>
                <FieldTable fields=body.fields caption="Request body fields" />
            })}
            <h4>"Responses"</h4>
            <ResponseTable responses />
        </article>
    }
}

#[component]
fn FieldTable(fields: Vec<Field>, caption: &'static str) -> impl IntoView {
    view! {
        <table class="reference">
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"In"</th>
                    <th scope="col">"Type"</th>
                    <th scope="col">"Required"</th>
                    <th scope="col">"Description"</th>
                </tr>
            </thead>
            <tbody>
                {fields
                    .into_iter()
                    .map(|field| view! {
                        <tr>
                            <th scope="row"><code>{field.name}</code></th>
                            <td>{field.location}</td>
                            <td>{field.kind}</td>
                            <td>{if field.required { "yes" } else { "no" }}</td>
                            <td>{rich(&field.description)}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn ResponseTable(responses: Vec<Answer>) -> impl IntoView {
    view! {
        <table class="reference">
            <caption class="visually-hidden">"Responses"</caption>
            <thead>
                <tr>
                    <th scope="col">"Status"</th>
                    <th scope="col">"When"</th>
                    <th scope="col">"Body"</th>
                    <th scope="col">"Headers"</th>
                </tr>
            </thead>
            <tbody>
                {responses
                    .into_iter()
                    .map(|answer| {
                        let body = if answer.schemas.is_empty() {
                            view! { <span class="muted">"empty"</span> }.into_any()
                        } else {
                            answer
                                .schemas
                                .iter()
                                .enumerate()
                                .map(|(i, name)| {
                                    let anchor = schema_anchor(name);
                                    view! {
                                        {(i > 0).then_some(" or ")}
                                        <a href=format!("#{anchor}")><code>{name.clone()}</code></a>
                                    }
                                })
                                .collect_view()
                                .into_any()
                        };
                        let headers = answer
                            .headers
                            .iter()
                            .map(|h| view! { <code>{h.name.clone()}</code> " " })
                            .collect_view();
                        view! {
                            <tr>
                                <th scope="row">{answer.status.clone()}</th>
                                <td>{rich(&answer.description)}</td>
                                <td>{body}</td>
                                <td>{headers}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn SchemaEntry(schema: Schema) -> impl IntoView {
    let id = crate::domain::api_reference::schema_anchor(&schema.name);
    let heading = format!("{id}-heading");
    let labelled = heading.clone();
    view! {
        <article id=id class="operation" aria-labelledby=labelled>
            <h3 id=heading><code>{schema.name}</code></h3>
            <p>{rich(&schema.description)}</p>
            <FieldTable fields=schema.fields caption="Fields" />
            {schema.example.map(|example| view! {
                <h4>"Example"</h4>
                <pre><code>{example}</code></pre>
            })}
        </article>
    }
}

/// `text` split into paragraphs at blank lines, each line wrap joined.
fn paragraphs(text: &str) -> impl IntoView {
    text.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| view! { <p>{rich(&p.replace('\n', " "))}</p> })
        .collect_view()
}

/// `text` with its `code` spans as `<code>` and its `**` marks dropped.
fn rich(text: &str) -> impl IntoView {
    text.replace("**", "")
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            let part = part.to_string();
            if i % 2 == 1 {
                view! { <code>{part}</code> }.into_any()
            } else {
                part.into_any()
            }
        })
        .collect_view()
}
