// Loads each route in a fresh Chromium context (empty cache) and sums the code it transfers
// (JS, wasm, CSS: encoded bytes on the wire), after the page has hydrated; then a token
// page's first action (see resetDialog).
// Usage: node first-load.mjs BASE_URL EMAIL PASSWORD TOKEN_SID
import { createRequire } from 'node:module';
const require = createRequire(new URL('../../end2end/package.json', import.meta.url));
const { chromium } = require('@playwright/test');

const [base, email, password, sid] = process.argv.slice(2);
const routes = ['/login', '/settings/api', '/settings/api/tokens/new', `/settings/api/tokens/${sid}`,
  '/settings/api/security', '/settings/password'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });

async function signedIn() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.click('button[type=submit]')]);
  const cookies = await context.cookies();
  await context.close();
  return cookies;
}

const cookies = await signedIn();
let firstAction = '';
console.log(`${'route'.padEnd(30)} ${'requests'.padStart(8)} ${'JS'.padStart(8)} ${'wasm'.padStart(9)} ${'CSS'.padStart(7)} ${'code total'.padStart(11)}  (bytes on the wire)`);
for (const route of routes) {
  const context = await browser.newContext();
  if (route !== '/login') await context.addCookies(cookies);
  const page = await context.newPage();
  const sizes = { js: 0, wasm: 0, css: 0, n: 0 };
  const pending = [];
  page.on('requestfinished', (request) => {
    const kind = (new URL(request.url()).pathname.match(/\.(js|wasm|css)$/) || [])[1];
    if (!kind) return;
    pending.push(request.sizes().then((s) => { sizes[kind] += s.responseBodySize; sizes.n += 1; }));
  });
  await page.goto(`${base}${route}`);
  if (route !== '/login') await page.locator('body[data-hydrated="true"]').waitFor();
  await page.waitForLoadState('networkidle');
  await Promise.all(pending);
  const total = sizes.js + sizes.wasm + sizes.css;
  const f = (n, w) => n.toLocaleString('en-US').padStart(w);
  const shown = route.replace(sid, '{SID}');
  console.log(`${shown.padEnd(30)} ${f(sizes.n, 8)} ${f(sizes.js, 8)} ${f(sizes.wasm, 9)} ${f(sizes.css, 7)} ${f(total, 11)}`);
  if (route.endsWith(sid)) firstAction = await resetDialog(page, sizes, pending, total);
  await context.close();
}
await browser.close();
console.log(firstAction);

// A token's page loads its code when the user moves to act: the first click on **Reset**
// (the pointer moves onto it first, as a user's does) until its dialog shows, the code it
// brought, and the same click again once the code is live (the baseline of this run).
async function resetDialog(page, sizes, pending, before) {
  const reset = page.getByRole('button', { name: 'Reset', exact: true });
  const dialog = page.getByRole('alertdialog');
  const cancel = dialog.getByRole('button', { name: 'Cancel' });
  const clickToDialog = async () => {
    await reset.hover();
    const start = performance.now();
    await reset.click();
    await dialog.waitFor();
    return performance.now() - start;
  };
  const first = await clickToDialog();
  await page.waitForLoadState('networkidle');
  await Promise.all(pending);
  const brought = sizes.js + sizes.wasm + sizes.css - before;
  await cancel.click();
  const again = await clickToDialog();
  await cancel.click();
  return `token page, first click on Reset: its dialog after ${first.toFixed(0)} ms, `
    + `${brought.toLocaleString('en-US')} B of code more; once live ${again.toFixed(0)} ms`;
}
