import { expect, type Page, test } from '@playwright/test';
import { consoleErrors, signIn, USERS } from './helpers';
import { makeToken, openToken } from './token_helpers';
import { uniqueName } from './wizard_helpers';

// A token's page is mostly read: its code (the editors and actions, some 300 KB) loads when
// the user first moves to act, not with the page. A click that comes before the code is
// live is held and given once it is.

/** Records the wasm the page asks for from now on. */
function wasmRequests(page: Page): string[] {
  const asked: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith('.wasm')) asked.push(path);
  });
  return asked;
}

test('a token page loads no wasm until the pointer is on one of its buttons', async ({ page }) => {
  const errors = consoleErrors(page);
  await signIn(page, USERS.admin);
  const token = await makeToken(page, uniqueName('Intent'));
  const wasm = wasmRequests(page);
  await openToken(page, token.sid);
  await page.waitForLoadState('networkidle');
  // Read, scrolled, its links and **Copy** working: no wasm.
  await page.getByRole('heading', { level: 2, name: 'History' }).scrollIntoViewIfNeeded();
  await page.getByRole('heading', { level: 1, name: token.name }).hover();
  await page.waitForLoadState('networkidle');
  expect(wasm).toEqual([]);

  await page.getByRole('button', { name: 'Reset', exact: true }).hover();
  await expect.poll(() => wasm.length).toBeGreaterThan(0);
  await expect(page.locator('body[data-islands-live]')).toHaveCount(1);
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(page.getByRole('alertdialog', { name: `Reset "${token.name}"?` })).toBeVisible();
  expect(errors).toEqual([]);
});

test('a click before the code is live is held and given once, then the page works as ever', async ({ page }) => {
  const errors = consoleErrors(page);
  await signIn(page, USERS.admin);
  const token = await makeToken(page, uniqueName('Held'));
  await openToken(page, token.sid);
  // The code is slow to come: the click waits for it, and is not lost or doubled.
  let release = () => {};
  const arrived = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/pkg/*.wasm', async (route) => {
    await arrived;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Disable' }).click();
  await expect(page.locator('body[data-islands-live]')).toHaveCount(0);
  await expect(page.getByText('Saved.')).toHaveCount(0);
  release();
  await expect(page.getByText('Saved.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Enable' })).toBeVisible();
  await expect(page.getByText(/Disabled the token/).first()).toBeVisible();
  await expect(page.getByText(/Disabled the token/)).toHaveCount(1);
  await page.unroute('**/pkg/*.wasm');
  // Live now: the next click is the page's own.
  await page.getByRole('button', { name: 'Enable' }).click();
  await expect(page.getByRole('button', { name: 'Disable' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('from the keyboard: focus on a button loads the code, and Enter acts', async ({ page }) => {
  const errors = consoleErrors(page);
  await signIn(page, USERS.admin);
  const token = await makeToken(page, uniqueName('Keys'));
  const wasm = wasmRequests(page);
  await openToken(page, token.sid);
  await page.getByRole('button', { name: 'Reset', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alertdialog', { name: `Reset "${token.name}"?` })).toBeVisible();
  expect(wasm.length).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});
