import { expect, test } from '@playwright/test';
import { answersAfterAChange, hydrated } from './helpers';
import { birchWithApiAccess, history, makeToken, openToken } from './token_helpers';
import { uniqueName } from './wizard_helpers';

// The Birch account: its API access is only ever turned on (the demo account's switch is
// flipped by other tests running beside this one).

test('a reset that keeps the old secret for an hour: both work until Revoke old secret now', async ({
  page,
  playwright,
  baseURL,
}) => {
  const account = await birchWithApiAccess(page);
  const token = await makeToken(page, uniqueName('Rotated'), { contact: 'admin@birch.test' });
  await openToken(page, token.sid);

  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  const dialog = page.getByRole('alertdialog');
  await dialog.getByLabel('Keep the old secret working for').selectOption({ label: '1 hour' });
  await dialog.getByRole('button', { name: 'Reset token' }).click();
  const panel = page.getByRole('region', { name: 'New Auth Token' });
  const secret = ((await panel.locator('code').textContent()) ?? '').trim();
  expect(secret).toMatch(/^tsm_/);
  await expect(page.getByText('Still works until')).toBeVisible();
  await expect(history(page)).toContainText('Reset the secret');
  await expect(history(page)).toContainText('Old secret');

  const api = await playwright.request.newContext({ baseURL });
  const call = (password: string) =>
    api.get(`/Advertisers/${account}/Actions`, {
      headers: { Authorization: `Basic ${Buffer.from(`${token.sid}:${password}`).toString('base64')}` },
    });
  expect((await call(token.secret)).status()).toBe(200);
  expect((await call(secret)).status()).toBe(200);

  await page.getByRole('button', { name: 'Revoke old secret now' }).click();
  await expect(history(page)).toContainText('Revoked the old secret');
  await expect(page.getByText('Still works until')).toHaveCount(0);
  await answersAfterAChange(() => call(token.secret), 401);
  expect((await call(secret)).status()).toBe(200);

  // And after a reload the page says the same.
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('button', { name: 'Revoke old secret now' })).toHaveCount(0);
});
