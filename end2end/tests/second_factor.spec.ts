import { expect, test, type Page } from '@playwright/test';
import { consoleErrors, hydrated, PASSWORD, signIn } from './helpers';
import { expectAccessible } from './wizard_helpers';
import {
  codeStep,
  ELM_ADMIN,
  ELM_MEMBER,
  finishSetUp,
  passwordStep,
  setUpApp,
  startSetUp,
  totp,
  TOTP_USER,
} from './second_factor_helpers';

/** Nothing on the page is wider than a 320-px screen. */
async function fitsANarrowScreen(page: Page): Promise<void> {
  const wide = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  if (wide) await page.setViewportSize(wide);
}

test('an authenticator app: set up from the typed key, then a code after the password, each code and recovery code once', async ({ page }) => {
  const errors = consoleErrors(page);
  await signIn(page, TOTP_USER);
  await page.getByRole('banner').getByText(TOTP_USER.name).click();
  await page.getByRole('banner').getByRole('link', { name: 'Security' }).click();
  await page.waitForURL('**/settings/security');
  await expect(page.getByRole('heading', { level: 1, name: 'Security' })).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);

  // A wrong first code is refused, and the app doesn't count yet.
  await startSetUp(page);
  await page.getByLabel('Code from the app').fill('000000');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('alert')).toContainText("That code doesn't match");
  await fitsANarrowScreen(page);

  const { key, codes } = await finishSetUp(page);
  await expect(page.getByText(/^On since /)).toBeVisible();
  await expect(page.getByText('10 of 10 unused.')).toBeVisible();
  await expectAccessible(page);

  // The password alone no longer signs in: the code of the next step does.
  await page.context().clearCookies();
  await passwordStep(page, TOTP_USER);
  await expectAccessible(page);
  await fitsANarrowScreen(page);
  const next = totp(key, Date.now() + 30_000);
  expect(await codeStep(page, next)).toBe(303);
  await page.waitForURL((url) => url.pathname === '/');

  // The same code again is refused: each is accepted once.
  await page.context().clearCookies();
  await passwordStep(page, TOTP_USER);
  expect(await codeStep(page, next)).toBe(401);
  await expect(page.getByRole('alert')).toContainText('incorrect or was already used');

  // A recovery code works once.
  expect(await codeStep(page, codes[0])).toBe(303);
  await page.waitForURL((url) => url.pathname === '/');
  await page.context().clearCookies();
  await passwordStep(page, TOTP_USER);
  expect(await codeStep(page, codes[0])).toBe(401);
  expect(await codeStep(page, codes[1])).toBe(303);

  await page.goto('/settings/security');
  await hydrated(page);
  await expect(page.getByText('8 of 10 unused.')).toBeVisible();
  await page.getByRole('button', { name: 'Remove authenticator app' }).click();
  await expect(page.getByRole('button', { name: 'Set up authenticator app' })).toBeVisible();
  // The refusals above are answers, not faults: a wrong first code (422), wrong codes (401).
  expect(errors.filter((e) => !/\b(401|422)\b/.test(e))).toEqual([]);
});

test('Require two-factor authentication: not before the administrator has a factor, then everyone is led to set one up', async ({ page, browser }) => {
  await signIn(page, ELM_ADMIN);
  await page.goto('/settings/users');
  await hydrated(page);
  const rule = page.getByRole('region', { name: 'Two-factor authentication' });
  await rule.getByLabel('Require two-factor authentication').selectOption({ label: 'Required for everyone' });
  await rule.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Add a passkey or set up an authenticator app for yourself first')).toBeVisible();

  await page.goto('/settings/security');
  await hydrated(page);
  await setUpApp(page);
  await page.goto('/settings/users');
  await hydrated(page);
  await rule.getByLabel('Require two-factor authentication').selectOption({ label: 'Required for everyone' });
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/set_two_factor_rule'));
  await rule.getByRole('button', { name: 'Save' }).click();
  expect((await saved).status()).toBe(302);
  await page.goto('/settings/users');
  await expect(rule.getByLabel('Require two-factor authentication')).toHaveValue('everyone');

  // The member has no factor: every page leads to Security until they add one.
  const member = await (await browser.newContext()).newPage();
  await member.goto('/login');
  await member.getByLabel('Email').fill(ELM_MEMBER.email);
  await member.getByLabel('Password').fill(PASSWORD);
  await member.getByRole('button', { name: 'Sign in', exact: true }).click();
  await member.waitForURL('**/settings/security');
  await expect(member.getByRole('alert')).toContainText('Your account requires two-factor authentication');
  await member.goto('/settings/activity');
  await member.waitForURL('**/settings/security');
  await hydrated(member);
  await setUpApp(member);
  await member.goto('/');
  await expect(member.getByRole('heading', { level: 1 })).toBeVisible();
  expect(new URL(member.url()).pathname).toBe('/');
});
