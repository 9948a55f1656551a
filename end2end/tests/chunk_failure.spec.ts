import { expect, test } from '@playwright/test';
import { hydrated, signIn, USERS } from './helpers';
import { makeToken } from './token_helpers';
import { uniqueName } from './wizard_helpers';

// Each page's code is a wasm chunk fetched when the page is first opened. A chunk that
// doesn't arrive must say so, not leave a page that looks alive and does nothing.
test('a page whose code fails to download says so and offers a reload', async ({ page }) => {
  await signIn(page, USERS.admin);
  const token = await makeToken(page, uniqueName('Chunk'));
  await page.goto(`/settings/api?q=${encodeURIComponent(token.name)}`);
  await hydrated(page);

  await page.route('**/pkg/split___token_page_view_*.wasm', (route) => route.abort('failed'));
  await page.getByRole('link', { name: token.name }).click();
  const notice = page.getByRole('alert').filter({ hasText: 'This page stopped working.' });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("Part of its code didn't load");

  // The network is back: the reload gives a working list (the router hadn't moved to the
  // token's URL yet), and the token's page opens.
  await page.unroute('**/pkg/split___token_page_view_*.wasm');
  await notice.getByRole('link', { name: 'Reload the page' }).click();
  await expect(notice).toHaveCount(0);
  await hydrated(page);
  await page.getByRole('link', { name: token.name }).click();
  await expect(page.getByRole('heading', { level: 1, name: token.name })).toBeVisible();
  await hydrated(page);
});
