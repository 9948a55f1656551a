import { expect, test } from '@playwright/test';
import { hydrated, PASSWORD, signIn, USERS } from './helpers';
import { category, categorySwitch, next, reachScopes, uniqueName } from './wizard_helpers';

// scripts/test starts a server of its own for this test, with TOKENSMITH_SUDO_MINUTES=1, on
// a database of its own: a minute's wait instead of 15.
const base = process.env.SUDO_BASE_URL;

test('after the sudo window Create asks to confirm access, and the draft waits for it', async ({ browser }) => {
  test.skip(!base, 'needs SUDO_BASE_URL: a server with TOKENSMITH_SUDO_MINUTES=1 (scripts/test starts one)');
  test.setTimeout(150_000);
  const page = await (await browser.newContext({ baseURL: base })).newPage();
  await signIn(page, USERS.admin);
  const name = await reachScopes(page, uniqueName('Sudo'));
  await categorySwitch(page, 'Clicks').check();
  await category(page, 'Clicks').getByRole('checkbox', { name: 'GET' }).check();
  await next(page);
  await expect(page.getByRole('heading', { name: 'Review and Create' })).toBeVisible();

  // A minute and a bit later the sign-in's proof is too old to mint a secret.
  await page.waitForTimeout(62_000);
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('alert')).toContainText("Confirm it's you to continue");
  await page.getByRole('link', { name: 'Confirm access' }).click();
  await page.waitForURL('**/confirm-access?next=*');
  await expect(page.getByRole('heading', { level: 1, name: 'Confirm access' })).toBeVisible();

  // A wrong password is refused; the right one goes back to the wizard, draft and all.
  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('incorrect');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await page.waitForURL('**/settings/api/tokens/new');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Review and Create' })).toBeVisible();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { name: `Token "${name}" created` })).toBeVisible();
});
