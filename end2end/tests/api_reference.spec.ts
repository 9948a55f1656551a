import { expect, test } from '@playwright/test';
import { consoleErrors, hydrated, signIn, USERS } from './helpers';

test('the API reference shows every operation, status and body, from the served document', async ({ page }) => {
  const errors = consoleErrors(page);
  await signIn(page, USERS.specialist);
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API reference' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API reference' })).toBeVisible();
  await hydrated(page);

  const contents = page.getByRole('navigation', { name: 'Operations' });
  await contents.getByRole('link', { name: 'POST /oauth/introspect' }).click();
  await expect(page).toHaveURL(/#introspect$/);
  const introspect = page.getByRole('article', { name: 'POST /oauth/introspect' });
  await expect(introspect).toBeInViewport();
  await expect(introspect.getByRole('table', { name: 'Request body fields' }).getByRole('row', { name: /token/ }).first()).toContainText('yes');
  const answers = introspect.getByRole('table', { name: 'Responses' });
  await expect(answers.getByRole('row')).toHaveCount(10); // heading + 200, 400, 401, 403, 404, 408, 413, 429, 503
  await expect(answers.getByRole('row', { name: /^401/ })).toContainText('WWW-Authenticate');

  // A response's body links to its schema, with an example.
  const sandbox = page.getByRole('article', { name: 'GET | POST | PUT | DELETE /Advertisers/{AccountSid}/{Resource}' });
  await sandbox.getByRole('table', { name: 'Responses' }).getByRole('row', { name: /^200/ }).getByRole('link', { name: 'Decision' }).click();
  const decision = page.getByRole('article', { name: 'Decision' });
  await expect(decision).toBeInViewport();
  await expect(decision.locator('pre')).toContainText('"scope": "actions:get"');

  // The page's download is the document itself, and it agrees with the page.
  const link = page.getByRole('link', { name: 'Download openapi.json' });
  await expect(link).toHaveAttribute('href', '/openapi.json');
  const served = await (await page.request.get('/openapi.json')).json();
  expect(served.openapi).toBe('3.1.0');
  const statuses = Object.keys(served.paths['/oauth/introspect'].post.responses).sort();
  expect(statuses).toEqual(['200', '400', '401', '403', '404', '408', '413', '429', '503']);
  expect(errors).toEqual([]);
});

test('roles that can\'t see API settings get neither the link nor the page', async ({ page }) => {
  await signIn(page, USERS.finance);
  const nav = page.getByRole('navigation', { name: 'Settings' });
  await expect(nav.getByRole('link', { name: 'Change password' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'API reference' })).toHaveCount(0);
  const answer = await page.goto('/settings/api/reference');
  expect(answer?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1, name: 'No access' })).toBeVisible();
  await expect(page.getByText('The API reference is open to Account Administrators and Implementation Specialists.')).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the API reference is complete', async ({ page }) => {
    await signIn(page, USERS.admin, { waitForHydration: false });
    await page.goto('/settings/api/reference');
    await expect(page.getByRole('heading', { level: 1, name: 'API reference' })).toBeVisible();
    for (const name of ['Sandbox brand API', 'Introspection', 'Revocation', 'Bodies']) {
      await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
    }
    await expect(page.getByRole('article', { name: 'POST /oauth/revoke' }).getByRole('table', { name: 'Responses' }).getByRole('row')).toHaveCount(8);
  });
});
