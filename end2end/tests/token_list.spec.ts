import { expect, test } from '@playwright/test';
import { hydrated, signIn, USERS } from './helpers';
import { card, changeToken, makeToken } from './token_helpers';
import { uniqueName } from './wizard_helpers';

/** Two tokens sharing a prefix no other test uses; the second is disabled. */
async function twoTokens(page: import('@playwright/test').Page) {
  const prefix = uniqueName('Filter').replace(/ /g, '-');
  const on = await makeToken(page, `${prefix} on`);
  const off = await makeToken(page, `${prefix} off`);
  await changeToken(page, off.sid, { SetEnabled: { enabled: false } });
  return { prefix, on, off };
}

function cards(page: import('@playwright/test').Page) {
  return page.getByRole('list', { name: 'Access tokens' }).getByRole('heading');
}

test.describe('with JavaScript', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, USERS.admin);
  });

  test('each filter alone and combined, from the URL', async ({ page }) => {
    const { prefix, on, off } = await twoTokens(page);
    const q = encodeURIComponent(prefix);

    await page.goto(`/settings/api?q=${q}`);
    await hydrated(page);
    await expect(cards(page)).toHaveText([off.name, on.name]);
    await expect(page.getByLabel('Search by name')).toHaveValue(prefix);

    await page.goto(`/settings/api?q=${q}&state=disabled`);
    await expect(cards(page)).toHaveText([off.name]);
    await expect(card(page, off.name)).toContainText('Disabled');
    await expect(page.getByLabel('State')).toHaveValue('disabled');

    await page.goto(`/settings/api?q=${q}&state=enabled&created=7d`);
    await expect(cards(page)).toHaveText([on.name]);
    await expect(page.getByLabel('Created on')).toHaveValue('7d');

    await page.goto('/settings/api?state=disabled');
    await expect(card(page, off.name)).toBeVisible();
    await expect(card(page, on.name)).toHaveCount(0);

    await page.goto('/settings/api?created=30d');
    await expect(card(page, on.name)).toBeVisible();

    await page.goto(`/settings/api?q=${q}&created=older`);
    await expect(page.getByText('No tokens match these filters.')).toBeVisible();
  });

  test('the form puts the filters in the URL, and Clear all removes them', async ({ page }) => {
    const { prefix, on, off } = await twoTokens(page);
    await page.getByLabel('Search by name').fill(prefix);
    await page.getByLabel('State').selectOption({ label: 'Enabled' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/q=.*state=enabled/);
    await expect(cards(page)).toHaveText([on.name]);
    await expect(page.getByText(/Showing 1 of \d+ tokens/)).toBeVisible();

    // A reload keeps the filtered list.
    await page.reload();
    await hydrated(page);
    await expect(cards(page)).toHaveText([on.name]);

    await page.getByRole('link', { name: 'Clear all' }).click();
    await page.waitForURL((url) => url.pathname === '/settings/api' && url.search === '');
    await expect(card(page, off.name)).toBeVisible();
    await expect(card(page, on.name)).toBeVisible();
    await expect(page.getByLabel('Search by name')).toHaveValue('');
  });

  test('the card links to the token page', async ({ page }) => {
    const token = await makeToken(page, uniqueName('Linked'));
    await page.goto('/settings/api');
    await card(page, token.name).getByRole('link', { name: token.name }).click();
    await page.waitForURL(`**/settings/api/tokens/${token.sid}`);
    await expect(page.getByRole('heading', { level: 1, name: token.name })).toBeVisible();
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a filtered list renders complete from the server', async ({ page, browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: true });
    const setup = await context.newPage();
    await signIn(setup, USERS.admin);
    const { prefix, on, off } = await twoTokens(setup);
    await context.close();

    await signIn(page, USERS.admin, { waitForHydration: false });
    await page.goto(`/settings/api?q=${encodeURIComponent(prefix)}&state=enabled`);
    await expect(cards(page)).toHaveText([on.name]);
    await expect(page.getByText(off.name)).toHaveCount(0);
    await page.getByLabel('State').selectOption({ label: 'Disabled' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(cards(page)).toHaveText([off.name]);
  });
});
