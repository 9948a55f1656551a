import { expect, test } from '@playwright/test';
import { consoleErrors, hydrated, signIn, USERS } from './helpers';
import { history, makeToken, openEditor, openToken } from './token_helpers';
import { category, expectAccessible, next, openWizard, uniqueName } from './wizard_helpers';

// A token's limits, chosen at Setup: its expiration and the addresses it may be used from.

test.beforeEach(async ({ page }) => {
  await signIn(page, USERS.admin);
});

test('a token made with an expiration and an allowlist shows both on its card and page', async ({ page }) => {
  const errors = consoleErrors(page);
  const name = uniqueName('Limited');
  await openWizard(page);
  await page.getByLabel('Token Name').fill(name);
  await expect(page.getByLabel('Expiration', { exact: true })).toHaveValue('90');
  await page.getByLabel('Expiration', { exact: true }).selectOption({ label: '30 days' });
  await page.getByLabel('Allowed IP addresses').fill('203.0.113.0/24\n2001:db8::1');
  await expectAccessible(page);
  await next(page);
  await page.getByLabel('Primary Contact').selectOption({ label: 'Alex Morgan <admin@acme.test>' });
  await next(page);
  await page.getByRole('switch', { name: 'Actions', exact: true }).check();
  await category(page, 'Actions').getByRole('checkbox', { name: 'GET' }).check();
  await next(page);

  const summary = page.locator('dl.summary');
  await expect(summary).toContainText('30 days after it is created');
  await expect(summary).toContainText('203.0.113.0/24, 2001:db8::1');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('button', { name: 'Copy Auth Token' })).toBeVisible();

  await page.goto(`/settings/api?q=${encodeURIComponent(name)}`);
  await hydrated(page);
  const card = page.getByRole('listitem', { name });
  await expect(card.getByText('Expires in 30 days')).toBeVisible();
  // The exact time is on hover, in the browser's zone.
  await expect(card.locator('time')).toHaveAttribute('title', /\d/);

  await card.getByRole('link', { name }).click();
  await hydrated(page);
  await expect(page.getByText('Expires in 30 days')).toBeVisible();
  await expect(page.getByText('203.0.113.0/24, 2001:db8::1')).toBeVisible();
  expect(errors).toEqual([]);
});

test('a date is chosen with a date picker, and a bad allowlist blocks Next with a reason', async ({ page }) => {
  await openWizard(page);
  await page.getByLabel('Token Name').fill(uniqueName('Dated'));
  await page.getByLabel('Expiration', { exact: true }).selectOption({ label: 'A date…' });
  // No date yet: Setup is not complete.
  await next(page);
  await expect(page.getByText('Enter the date as YYYY-MM-DD.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Setup' })).toBeVisible();
  await page.getByLabel('Expiration date').fill('2099-01-15');

  await page.getByLabel('Allowed IP addresses').fill('10.0.0.1/33\n10.0.0.1/24');
  await next(page);
  await expect(page.getByText('“10.0.0.1/33”: an IPv4 range ends in /0 to /32.', { exact: false })).toBeVisible();
  await expect(page.getByText('did you mean 10.0.0.0/24?', { exact: false })).toBeVisible();
  await expect(page.getByLabel('Allowed IP addresses')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('heading', { name: 'Setup' })).toBeVisible();

  await page.getByLabel('Allowed IP addresses').fill('10.0.0.0/24');
  await next(page);
  await expect(page.getByRole('heading', { name: 'Contact Information' })).toBeVisible();
  // The draft keeps the choices: back on Setup they are as left.
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByLabel('Expiration date')).toHaveValue('2099-01-15');
  await expect(page.getByLabel('Allowed IP addresses')).toHaveValue('10.0.0.0/24');
});

test('Renew gives a token a new expiration and keeps its secret', async ({ page }) => {
  const token = await makeToken(page, uniqueName('Renew me'), { expiration: { Days: 30 } });
  await openToken(page, token.sid);
  await expect(page.getByText('Expires in 30 days')).toBeVisible();
  await page.getByLabel('Renew for').selectOption({ label: '90 days from now' });
  await page.getByRole('button', { name: 'Renew', exact: true }).click();
  await expect(history(page)).toContainText('Renewed the token');
  await expect(page.getByText('Expires in 90 days')).toBeVisible();
  await expect(page.getByText(`tsm_…${token.secret.slice(-4)}`)).toBeVisible();
});

test('the allowed IP addresses are edited on the token page, with the wizard\'s rules', async ({ page }) => {
  const token = await makeToken(page, uniqueName('Fence me'));
  await openToken(page, token.sid);
  const allowed = page.getByRole('region', { name: 'Allowed IP addresses' });
  await expect(allowed).toContainText('Any address');
  await openEditor(page, 'Edit allowed IP addresses');
  const field = page.getByRole('textbox', { name: 'Allowed IP addresses' });
  await field.fill('::1/129');
  await page.getByRole('button', { name: 'Save allowed IP addresses' }).click();
  await expect(page.getByText('“::1/129”: an IPv6 range ends in /0 to /128.')).toBeVisible();
  await field.fill('198.51.100.0/24');
  await page.getByRole('button', { name: 'Save allowed IP addresses' }).click();
  await expect(history(page)).toContainText('Changed the allowed IP addresses');
  await expect(allowed.getByRole('listitem')).toHaveText(['198.51.100.0/24']);
  await expect(page.getByRole('region', { name: 'Overview' }).locator('dl.facts')).toContainText('198.51.100.0/24');
});

test('Duplicate starts from the original\'s expiration: a preset, or the date it was picked as', async ({ page }) => {
  const offset = await page.evaluate(() => new Date('2099-01-16T00:00:00').getTimezoneOffset());
  const dated = await makeToken(page, uniqueName('Dated'), {
    expiration: { OnDate: { date: '2099-01-15', utc_offset_minutes: offset } },
  });
  await openToken(page, dated.sid);
  await page.getByRole('button', { name: 'Duplicate' }).click();
  await page.waitForURL('**/settings/api/tokens/new');
  await hydrated(page);
  await expect(page.getByLabel('Expiration', { exact: true })).toHaveValue('date');
  await expect(page.getByLabel('Expiration date')).toHaveValue('2099-01-15');

  const monthly = await makeToken(page, uniqueName('Monthly'), { expiration: { Days: 30 } });
  await openToken(page, monthly.sid);
  await page.getByRole('button', { name: 'Duplicate' }).click();
  await page.waitForURL('**/settings/api/tokens/new');
  await hydrated(page);
  await expect(page.getByLabel('Expiration', { exact: true })).toHaveValue('30');
});
