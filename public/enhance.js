// The page's plain controls, made live: **Copy** buttons, the sign-out forms, the **Enable
// API access** switch, and times shown in the user's zone. Each is server-rendered markup
// that works (or degrades) without JavaScript, found by its data- attribute; the words and
// keys it needs come from that markup, written by the app's Rust. Pages whose only
// behaviour is this load no wasm: the islands' code is loaded only where there are islands
// (the page's module script checks), on a token's page when the user first moves to act
// (/islands.js); if that code fails, the page says so. Once this runs, and the page's
// islands (if any) are live, or wait for that move, <body data-hydrated="true"> says the
// page is all live.

function closest(event, selector) {
  return event.target instanceof Element ? event.target.closest(selector) : null;
}

// <time data-local datetime="…">: the title in the user's zone and language; an expiry
// that has passed (data-local="expired") says its date as the user's calendar has it.
function showLocalTimes() {
  for (const time of document.querySelectorAll("time[data-local]")) {
    const date = new Date(time.getAttribute("datetime") ?? "");
    if (Number.isNaN(date.getTime())) continue;
    time.title = date.toLocaleString();
    if (time.dataset.local === "expired") {
      time.textContent = `Expired on ${date.toLocaleDateString()}`;
    }
  }
}

// <button data-copy="…">: the value on the clipboard, and the status beside it says so for
// a few seconds (only secure pages have a clipboard; a browser may also refuse).
async function copy(event) {
  const button = closest(event, "button[data-copy]");
  if (!button) return;
  let copied = false;
  try {
    await navigator.clipboard.writeText(button.dataset.copy);
    copied = true;
  } catch {
    copied = false;
  }
  const status = button.nextElementSibling;
  if (!status) return;
  status.textContent = copied ? "Copied" : "Copy failed: select the text and copy it yourself";
  setTimeout(() => (status.textContent = ""), copied ? 2000 : 6000);
}

// <form data-forget-drafts="KEY …">: signing out removes the user's wizard drafts first
// (the post itself needs no JavaScript).
function forgetDrafts(event) {
  const form = closest(event, "form[data-forget-drafts]");
  for (const key of (form?.dataset.forgetDrafts ?? "").split(" ")) {
    if (key) localStorage.removeItem(key);
  }
}

// <form data-api-access>: the switch saves in place. It moves at once, the status says
// "Saving…" then "Saved."; if the server refuses, it moves back and the status says why.
// Clicks while a save is under way are ignored (aria-disabled, not aria-busy, which would
// keep screen readers from reading the status out).
async function saveApiAccess(event) {
  const form = closest(event, "form[data-api-access]");
  const parts = form && {
    switch: form.querySelector("[role=switch]"),
    next: form.querySelector("input[name=enabled]"),
    status: form.querySelector(".save-status"),
    hint: form.querySelector(".hint"),
  };
  // Markup this code doesn't know posts as a plain form.
  if (!parts || !Object.values(parts).every(Boolean)) return;
  event.preventDefault();
  if (form.hasAttribute("data-saving")) return;
  const show = (on) => {
    parts.switch.setAttribute("aria-checked", String(on));
    // What a post without JavaScript would ask for next.
    parts.next.value = String(!on);
    parts.hint.textContent = on ? form.dataset.hintOn : form.dataset.hintOff;
  };
  const on = parts.switch.getAttribute("aria-checked") !== "true";
  show(on);
  parts.status.textContent = "Saving…";
  form.setAttribute("data-saving", "");
  parts.switch.setAttribute("aria-disabled", "true");
  const problem = await post(form, `enabled=${on}`);
  form.removeAttribute("data-saving");
  parts.switch.removeAttribute("aria-disabled");
  if (problem === null) {
    parts.status.textContent = "Saved.";
  } else {
    show(!on);
    parts.status.textContent = `Not saved: ${problem}`;
  }
}

// Posts `body` to the form's server function as its own client would: null when saved,
// else the words for what went wrong. A refusal's body is the error as JSON, a variant
// with its message ({"Conflict":"…"}) or a variant's name ("Unauthorized"), whose words
// the form carries (data-problems).
async function post(form, body) {
  const problems = JSON.parse(form.dataset.problems ?? "{}");
  let response;
  try {
    response = await fetch(form.action, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body,
      credentials: "same-origin",
    });
  } catch {
    return problems.Unreachable;
  }
  if (response.ok) return null;
  let error = null;
  try {
    error = await response.json();
  } catch {
    return problems.Internal;
  }
  if (typeof error === "string") return problems[error] ?? problems.Internal;
  const message = error && typeof error === "object" ? Object.values(error)[0] : null;
  return typeof message === "string" ? message : problems.Internal;
}

// The page's code failed: the wasm stopped (its panic hook says "islands-failed"; a lazy
// island panics when its chunk doesn't download), or the islands' code didn't load at all
// (the bootstrap's import or the wasm's start rejected before the islands were live: the
// page's script calls loadFailed). The wasm can't run again, so the page says so at its
// top instead of going quiet.
function showCodeFailed() {
  if (document.getElementById("crash-notice")) return;
  const notice = document.createElement("div");
  notice.id = "crash-notice";
  notice.className = "alert error crash-notice";
  notice.setAttribute("role", "alert");
  notice.innerHTML =
    "<strong>This page stopped working.</strong> Part of its code didn't load, or failed. " +
    'Nothing you saved is lost, and the wizard keeps its draft. <a href="">Reload the page</a>';
  document.body.prepend(notice);
}

// Called by the page's script (on a page with islands) for a rejection nobody handled; it
// may come before this module has run, so the listener is the page's.
export function loadFailed() {
  const loading = document.querySelector("leptos-island") && !document.body.hasAttribute("data-islands-live");
  if (loading) showCodeFailed();
}

// <body data-hydrated="true"> once this runs and the islands, if the page has any, are
// live (the wasm sets data-islands-live and says "islands-live" when they are), or, where
// their code waits for the user's first move to act, wait for it (/islands.js sets
// data-islands-waiting and says "islands-waiting").
function markLive() {
  const body = document.body;
  const live = () => body.setAttribute("data-hydrated", "true");
  const now = document.querySelector("leptos-island:not([data-code-on-intent] leptos-island)");
  const [mark, event] = now ? ["data-islands-live", "islands-live"] : ["data-islands-waiting", "islands-waiting"];
  if (!document.querySelector("leptos-island") || body.hasAttribute(mark)) {
    live();
  } else {
    document.addEventListener(event, live, { once: true });
  }
}

if (!document.documentElement.hasAttribute("data-enhanced")) {
  document.documentElement.setAttribute("data-enhanced", "");
  showLocalTimes();
  document.addEventListener("click", copy);
  document.addEventListener("submit", (event) => {
    forgetDrafts(event);
    saveApiAccess(event);
  });
  document.addEventListener("islands-failed", showCodeFailed);
  markLive();
}
