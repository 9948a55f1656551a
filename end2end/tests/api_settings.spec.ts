import { expect, test } from '@playwright/test';
import { consoleErrors, hydrated, signIn, USERS } from './helpers';

// Both roles flip the same account's switch, so these run one after the other.
test.describe.serial('the API settings page', () => {
  for (const user of [USERS.admin, USERS.specialist]) {
    test(`${user.role} sees the page and the switch survives a reload`, async ({ page }) => {
      const errors = consoleErrors(page);
      await signIn(page, user);
      await expect(page.getByRole('heading', { level: 1, name: 'API' })).toBeVisible();
      await expect(page.getByText('Account SID', { exact: true })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Copy Account SID' })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Access tokens' })).toBeVisible();
      await expect(page.getByRole('link', { name: 'Create Access Token' })).toBeVisible();

      const toggle = page.getByRole('switch', { name: 'Enable API access' });
      const before = await toggle.isChecked();
      await toggle.click();
      await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
      await expect(toggle).toBeChecked({ checked: !before });

      await page.reload();
      await hydrated(page);
      await expect(page.getByRole('switch', { name: 'Enable API access' })).toBeChecked({ checked: !before });

      // Put it back, and that too survives a reload.
      await page.getByRole('switch', { name: 'Enable API access' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
      await page.reload();
      await hydrated(page);
      await expect(page.getByRole('switch', { name: 'Enable API access' })).toBeChecked({ checked: before });
      expect(errors).toEqual([]);
    });
  }

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    test('the switch is a form: a click posts it and the page comes back in the new state', async ({ page }) => {
      await signIn(page, USERS.admin, { waitForHydration: false });
      const toggle = page.getByRole('switch', { name: 'Enable API access' });
      const before = await toggle.isChecked();
      let posted = page.waitForResponse((r) => r.url().endsWith('/api/set_api_access'));
      await toggle.click();
      expect((await posted).status()).toBe(302);
      await expect(page.getByRole('switch', { name: 'Enable API access' })).toBeChecked({ checked: !before });
      await expect(page.getByText(before ? 'API access is off' : 'API access is on')).toBeVisible();
      posted = page.waitForResponse((r) => r.url().endsWith('/api/set_api_access'));
      await page.getByRole('switch', { name: 'Enable API access' }).click();
      expect((await posted).status()).toBe(302);
      await expect(page.getByRole('switch', { name: 'Enable API access' })).toBeChecked({ checked: before });
    });
  });
});

test('a save the server refuses puts the switch back and says why', async ({ page, context }) => {
  await signIn(page, USERS.admin);
  const toggle = page.getByRole('switch', { name: 'Enable API access' });
  const before = await toggle.isChecked();
  // The session ends in another tab.
  await context.clearCookies();
  await toggle.click();
  await expect(page.getByRole('status').filter({ hasText: 'Not saved: Please sign in to continue.' })).toBeVisible();
  await expect(toggle).toBeChecked({ checked: before });
  await expect(page.getByText(before ? 'API access is on' : 'API access is off')).toBeVisible();
});

for (const user of [USERS.analyst, USERS.finance]) {
  test(`${user.role} gets the 403 page`, async ({ page }) => {
    await signIn(page, user);
    const response = await page.goto('/settings/api');
    expect(response?.status()).toBe(403);
    await expect(page.getByText("You don't have access to this page.")).toBeVisible();
    await expect(page.getByRole('switch', { name: 'Enable API access' })).toHaveCount(0);
    await expect(page.getByText('Account SID')).toHaveCount(0);
  });
}

test('the navigation leads to Settings → Technical → API', async ({ page }) => {
  await signIn(page, USERS.admin);
  const nav = page.getByRole('navigation', { name: 'Settings' });
  await expect(nav).toContainText('Technical');
  await expect(nav.getByRole('link', { name: 'API', exact: true })).toHaveAttribute('aria-current', 'page');
  // Exactly one item is current: the nearest above the page.
  const current = nav.locator('[aria-current="page"]');
  await expect(current).toHaveCount(1);
  await page.goto('/settings/api/reference');
  await expect(current).toHaveCount(1);
  await expect(current).toHaveText('API reference');
  await page.goto('/');
  await expect(current).toHaveText('Home');
});

test('Copy puts the Account SID on the clipboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page, USERS.admin);
  const sid = (await page.locator('code.sid').textContent())?.trim();
  expect(sid).toMatch(/^AC[A-Za-z0-9]{32}$/);
  await page.getByRole('button', { name: 'Copy Account SID' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(sid);
});

test('a save that never reaches the server puts the switch back and says so', async ({ page }) => {
  await signIn(page, USERS.admin);
  const toggle = page.getByRole('switch', { name: 'Enable API access' });
  const before = await toggle.isChecked();
  await page.route('**/api/set_api_access', (route) => route.abort('connectionrefused'));
  await toggle.click();
  await expect(page.getByRole('status').filter({ hasText: 'Not saved: The server could not be reached. Please try again.' })).toBeVisible();
  await expect(toggle).toBeChecked({ checked: before });
  // A second click is taken again once the first is over.
  await page.unroute('**/api/set_api_access');
  await expect(toggle).not.toHaveAttribute('aria-disabled', 'true');
});

test('the API page loads its controls\' small script and no wasm; a page with an island loads the islands\' code', async ({ page }) => {
  const errors = consoleErrors(page);
  const code: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (/\.(js|wasm)$/.test(path)) code.push(path);
  });
  await signIn(page, USERS.admin);
  await page.goto('/settings/api');
  await hydrated(page);
  await page.waitForLoadState('networkidle');
  expect(code).toContain('/enhance.js');
  expect(code.filter((path) => path.endsWith('.wasm'))).toEqual([]);
  code.length = 0;
  await page.goto('/settings/api/tokens/new');
  await hydrated(page);
  expect(code).toContain('/enhance.js');
  expect(code.filter((path) => path.endsWith('.wasm')).length).toBeGreaterThan(0);
  // The wizard's island is live.
  await expect(page.getByLabel('Token Name')).toBeEditable();
  expect(errors).toEqual([]);
});
