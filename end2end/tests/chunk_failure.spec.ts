import { expect, test } from '@playwright/test';
import { hydrated, signIn, USERS } from './helpers';
import { makeToken } from './token_helpers';
import { uniqueName } from './wizard_helpers';

// The token page's editors are a lazy island: wasm chunks fetched when the user first moves
// to act on the page. A chunk that doesn't arrive must say so, not leave a page that looks
// alive and does nothing.
test('a page whose code fails to download says so and offers a reload', async ({ page }) => {
  const chunk = '**/pkg/split_token_editor_loader_*.wasm';
  await signIn(page, USERS.admin);
  const token = await makeToken(page, uniqueName('Chunk'));
  await page.goto(`/settings/api?q=${encodeURIComponent(token.name)}`);
  await hydrated(page);

  await page.route(chunk, (route) => route.abort('failed'));
  await page.getByRole('link', { name: token.name }).click();
  await expect(page.getByRole('heading', { level: 1, name: token.name })).toBeVisible();
  await hydrated(page);
  const notice = page.getByRole('alert').filter({ hasText: 'This page stopped working.' });
  await expect(notice).toHaveCount(0);
  // The first move to act asks for the code, which doesn't come.
  await page.getByRole('button', { name: 'Disable' }).click();
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("Part of its code didn't load");
  await expect(page.locator('body[data-islands-live]')).toHaveCount(0);
  await expect(page.getByText('Saved.')).toHaveCount(0);

  // The network is back: the reload gives the token's page, working.
  await page.unroute(chunk);
  await notice.getByRole('link', { name: 'Reload the page' }).click();
  await hydrated(page);
  await expect(notice).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: token.name })).toBeVisible();
  await page.getByRole('button', { name: 'Disable' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
});

// The main module itself (the wasm-bindgen glue or the wasm) failing to download: no Rust
// runs, so the page's script says so. The wizard loads its code with the page.
test('a wizard whose code fails to download says so at once and offers a reload', async ({ page }) => {
  const glue = '**/pkg/tokensmith.js';
  await signIn(page, USERS.admin);
  await page.route(glue, (route) => route.abort('failed'));
  await page.goto('/settings/api/tokens/new');
  const notice = page.getByRole('alert').filter({ hasText: 'This page stopped working.' });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('the wizard keeps its draft');
  await expect(page.locator('body[data-islands-live]')).toHaveCount(0);

  await page.unroute(glue);
  await notice.getByRole('link', { name: 'Reload the page' }).click();
  await hydrated(page);
  await expect(notice).toHaveCount(0);
  await page.getByLabel('Token Name').fill(uniqueName('Reloaded'));
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: 'Contact Information' })).toBeVisible();
});

// A token's page loads its code on the first move to act: the wasm failing then is said
// then, and the held click is not given.
test('a token page whose wasm fails to download says so on the first move', async ({ page }) => {
  const wasm = '**/pkg/tokensmith.wasm';
  await signIn(page, USERS.admin);
  const token = await makeToken(page, uniqueName('Main'));
  await page.route(wasm, (route) => route.abort('failed'));
  await page.goto(`/settings/api/tokens/${token.sid}`);
  await hydrated(page);
  const notice = page.getByRole('alert').filter({ hasText: 'This page stopped working.' });
  await expect(notice).toHaveCount(0);
  await page.getByRole('button', { name: 'Disable' }).click();
  await expect(notice).toBeVisible();
  await expect(page.locator('body[data-islands-live]')).toHaveCount(0);
  await expect(page.getByText('Saved.')).toHaveCount(0);

  await page.unroute(wasm);
  await notice.getByRole('link', { name: 'Reload the page' }).click();
  await hydrated(page);
  await expect(notice).toHaveCount(0);
  await page.getByRole('button', { name: 'Disable' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
});
