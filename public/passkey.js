// Passkeys in the browser. A button with data-passkey="<purpose>" asks the server for a
// ceremony (POST /login/passkeys/options), hands its options to navigator.credentials, and sends
// the credential back (POST /login/passkeys/answer). The server checks everything; this script
// only carries the messages. Buttons stay hidden where the browser has no passkeys.

const able =
  window.PublicKeyCredential &&
  typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function" &&
  typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function";

async function post(path, body) {
  let response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    return { ok: false, answer: { error: "The server could not be reached. Try again." } };
  }
  let answer;
  try {
    answer = await response.json();
  } catch {
    answer = { error: `The server answered ${response.status}. Try again.` };
  }
  return { ok: response.ok, answer };
}

function say(box, answer) {
  const status = box.querySelector(".passkey-status");
  status.textContent = answer.error || "Something went wrong. Try again.";
  if (answer.confirm_access) {
    const link = document.createElement("a");
    link.href = answer.confirm_access;
    link.textContent = "Confirm access";
    status.append(" ", link);
  }
  status.hidden = false;
  status.focus?.();
}

function showCodes(box, codes) {
  const shown = box.querySelector(".passkey-codes");
  const list = shown.querySelector("ol");
  list.replaceChildren(
    ...codes.map((code) => {
      const item = document.createElement("li");
      const text = document.createElement("code");
      text.textContent = code;
      item.append(text);
      return item;
    }),
  );
  shown.hidden = false;
  shown.querySelector("a")?.focus();
}

async function run(box, button) {
  const purpose = button.dataset.passkey;
  const body = { purpose };
  if (button.dataset.nameField) {
    body.name = document.getElementById(button.dataset.nameField)?.value ?? "";
  }
  box.querySelector(".passkey-status").hidden = true;
  const started = await post("/login/passkeys/options", body);
  if (!started.ok) return say(box, started.answer);
  let credential;
  try {
    credential =
      purpose === "register"
        ? await navigator.credentials.create({
            publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(started.answer.publicKey),
          })
        : await navigator.credentials.get({
            publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(started.answer.publicKey),
          });
  } catch (error) {
    const why =
      error.name === "NotAllowedError"
        ? "The passkey request was cancelled or timed out."
        : error.name === "InvalidStateError"
          ? "This device already holds one of your passkeys."
          : `Your browser could not use a passkey (${error.name}).`;
    return say(box, { error: why });
  }
  const done = await post("/login/passkeys/answer", {
    challenge: started.answer.challenge,
    credential: credential.toJSON(),
    next: button.dataset.next ?? "",
  });
  if (!done.ok) return say(box, done.answer);
  if (Array.isArray(done.answer.recovery_codes)) return showCodes(box, done.answer.recovery_codes);
  if (done.answer.next) return location.assign(done.answer.next);
  location.reload();
}

for (const box of document.querySelectorAll("[data-passkey-origin]")) {
  if (box.dataset.ready) continue;
  box.dataset.ready = "1";
  if (!able) continue;
  const origin = box.dataset.passkeyOrigin;
  if (origin !== location.origin) {
    // Passkeys are bound to one address: offer it instead of a button that would fail.
    const note = document.createElement("p");
    note.className = "hint";
    const link = document.createElement("a");
    link.href = origin + location.pathname + location.search;
    link.textContent = origin;
    note.append("Passkeys work at ", link, ".");
    box.replaceChildren(note);
    box.hidden = false;
    continue;
  }
  const button = box.querySelector("[data-passkey]");
  let busy = false;
  button.addEventListener("click", async () => {
    if (busy) return;
    busy = true;
    button.disabled = true;
    try {
      await run(box, button);
    } finally {
      busy = false;
      button.disabled = false;
    }
  });
  box.hidden = false;
}
