import { expect, test, type Page } from '@playwright/test';
import { CHANGER, consoleErrors, hydrated, PASSWORD, signIn } from './helpers';
import { expectAccessible } from './wizard_helpers';

const NEW = 'a brand new passphrase';

async function signInWith(page: Page, password: string): Promise<number> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(CHANGER.email);
  await page.getByLabel('Password').fill(password);
  const response = page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  return (await response).status();
}

async function fill(page: Page, current: string, next: string, confirm: string): Promise<void> {
  await page.getByLabel('Current password').fill(current);
  await page.getByLabel('New password', { exact: true }).fill(next);
  await page.getByLabel('Confirm new password').fill(confirm);
  await page.getByRole('button', { name: 'Change password' }).click();
}

test('change password from the user menu: mistakes explained, other sessions signed out', async ({ page, browser }) => {
  const errors = consoleErrors(page);
  const elsewhere = await (await browser.newContext()).newPage();
  await signIn(page, CHANGER);
  await signIn(elsewhere, CHANGER);

  await page.getByRole('banner').getByText(CHANGER.name).click();
  await page.getByRole('banner').getByRole('link', { name: 'Change password' }).click();
  await page.waitForURL('**/settings/password');
  await expect(page.getByRole('heading', { level: 1, name: 'Change password' })).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);

  // Nothing typed: the first field says so and has the focus.
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Enter your current password.')).toBeVisible();
  await expect(page.getByLabel('Current password')).toBeFocused();

  await fill(page, PASSWORD, 'too short', 'too short');
  await expect(page.getByText('Use at least 12 characters.')).toBeVisible();
  await expect(page.getByLabel('New password', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  await fill(page, PASSWORD, NEW, `${NEW}!`);
  await expect(page.getByText('The two new passwords are not the same.')).toBeVisible();

  // A wrong current password comes back from the server (422), beside its field.
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/change_password'));
  await fill(page, 'not my password at all', NEW, NEW);
  expect((await refused).status()).toBe(422);
  await expect(page.getByText('That is not your current password.')).toBeVisible();
  await expect(page.getByLabel('Current password')).toBeFocused();

  await fill(page, PASSWORD, NEW, NEW);
  await expect(page.getByRole('status')).toHaveText('Password changed. Your 1 other session was signed out.');
  await expect(page.getByLabel('Current password')).toHaveValue('');

  // The other browser is signed out; this one is not.
  await elsewhere.goto('/settings/password');
  await elsewhere.waitForURL('**/login');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Change password' })).toBeVisible();

  // The old password no longer signs in; the new one does.
  expect(await signInWith(elsewhere, PASSWORD)).toBe(401);
  expect(await signInWith(elsewhere, NEW)).toBe(303);

  // Back to the old password, so the test can run again on the same server.
  await page.goto('/settings/password');
  await hydrated(page);
  await fill(page, NEW, PASSWORD, PASSWORD);
  await expect(page.getByRole('status')).toContainText('Password changed.');
  // Finance lands on a page it may not see (403); the wrong password was a 422.
  expect(errors.filter((e) => !/\b(403|422)\b/.test(e))).toEqual([]);
  await elsewhere.context().close();
});
