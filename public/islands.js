// Islands whose code waits for the user. A page whose islands all sit in a
// <div data-code-on-intent> (a token's page, which people mostly read) loads their code (the
// main wasm and the island's chunks) when the user first moves to act in one: the pointer on
// one of its buttons, a press or touch in it, focus in it, a key. Reading, scrolling, links,
// <details> and the plain controls of /enhance.js need none of it. A click on one of its
// buttons before the code is live is held, and given again once it is (the wasm says
// "islands-live"), after what was typed or chosen meanwhile; if the code never comes,
// /enhance.js's notice says so.

const box = "[data-code-on-intent]";
const button = `${box} button:not([data-copy])`;

function closest(event, selector) {
  return event.target instanceof Element ? event.target.closest(selector) : null;
}

// `boot`: the page's islands bootstrap, which loads the code and hydrates the islands.
export function onIntent(boot) {
  let started = false;
  // The bootstrap waits for the browser to be idle (requestIdleCallback), which suits a
  // page loading but not a user waiting: an idle page may not get an idle period for
  // seconds (Chromium gave none in 3 s, 3 times in 15). Here it starts at once.
  const start = () => {
    if (started) return;
    started = true;
    const idle = Object.getOwnPropertyDescriptor(window, "requestIdleCallback");
    window.requestIdleCallback = (callback) => setTimeout(callback);
    try {
      boot();
    } finally {
      if (idle) Object.defineProperty(window, "requestIdleCallback", idle);
      else delete window.requestIdleCallback;
    }
  };
  const intents = { pointerover: button, pointerdown: box, focusin: box, keydown: box };
  for (const [type, selector] of Object.entries(intents)) {
    const listener = (event) => closest(event, selector) && start();
    document.addEventListener(type, listener, { capture: true, passive: true });
  }
  const live = () => document.body.hasAttribute("data-islands-live");
  // What was chosen or typed before: hydration sets the fields from the island's state.
  const changed = new Map();
  const keep = (event) => {
    const field = closest(event, `${box} :is(input, select, textarea)`);
    if (field && !live()) changed.set(field, { value: field.value, checked: field.checked });
  };
  document.addEventListener("input", keep, { capture: true });
  document.addEventListener("change", keep, { capture: true });
  let held = null;
  const hold = (event) => {
    const target = closest(event, button);
    if (!target || live()) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    held ??= target;
    start();
  };
  document.addEventListener("click", hold, { capture: true });
  // Once live (after the island's own work, not inside it): the fields as the user left
  // them, told to the island as their own events would, then the click.
  const replay = () => {
    for (const [field, was] of changed) {
      field.value = was.value;
      field.checked = was.checked;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
    held?.click();
  };
  document.addEventListener("islands-live", () => setTimeout(replay), { once: true });
  // Ready for the user (/enhance.js then says the page is).
  document.body.setAttribute("data-islands-waiting", "");
  document.dispatchEvent(new Event("islands-waiting"));
}
