import { createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { answersAfterAChange, hydrated } from './helpers';
import { birchWithApiAccess, card, history, makeToken, openToken } from './token_helpers';
import { uniqueName } from './wizard_helpers';

// scripts/test makes a P-256 key pair, gives the servers its public half
// (TOKENSMITH_SECRET_SCANNING_KEYS) and this test its private half: it signs reports as
// GitHub's secret scanning does. The Birch account: its API access is only ever turned on.
const KEY = process.env.SCANNING_KEY ?? '';

/** `body` signed as GitHub signs it: DER ECDSA P-256 over SHA-256, base64. */
function signed(body: string): Record<string, string> {
  const signer = createSign('SHA256');
  signer.update(body);
  return {
    'content-type': 'application/json',
    'github-public-key-identifier': 'e2e-scanning-key',
    'github-public-key-signature': signer.sign(readFileSync(KEY, 'utf8'), 'base64'),
  };
}

test('a token GitHub reports is Exposed everywhere, dead at once, and a Reset brings it back', async ({
  page,
  playwright,
  baseURL,
}) => {
  test.skip(!KEY, 'SCANNING_KEY names the private key the servers trust (scripts/test sets it)');
  const account = await birchWithApiAccess(page);
  const name = uniqueName('Pushed to GitHub');
  const token = await makeToken(page, name, { contact: 'admin@birch.test' });
  const api = await playwright.request.newContext({ baseURL });
  const call = (password: string) =>
    api.get(`/Advertisers/${account}/Actions`, {
      headers: { Authorization: `Basic ${Buffer.from(`${token.sid}:${password}`).toString('base64')}` },
    });
  expect((await call(token.secret)).status()).toBe(200);

  const url = `https://github.com/octo/shop/blob/${token.sid}/config.env`;
  const body = JSON.stringify([{ token: token.secret, type: 'tokensmith_auth_token', url, source: 'content' }]);
  const reported = await api.post('/secret-scanning/github', { headers: signed(body), data: body });
  expect(reported.status(), await reported.text()).toBe(200);
  expect((await reported.json())[0].label).toBe('true_positive');
  // An unsigned copy is refused.
  const unsigned = await api.post('/secret-scanning/github', { headers: { 'content-type': 'application/json' }, data: body });
  expect(unsigned.status()).toBe(401);
  await answersAfterAChange(() => call(token.secret), 401);

  // The list: the State filter's Exposed, the card's badge and where it was found.
  await page.goto('/settings/api');
  await hydrated(page);
  await page.getByLabel('State').selectOption({ label: 'Exposed' });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/state=exposed/);
  const listed = card(page, name);
  await expect(listed.getByText('Exposed', { exact: true })).toBeVisible();
  await expect(listed.getByRole('link', { name: url })).toHaveAttribute('href', url);

  // The home page, first.
  await page.goto('/');
  const home = page.getByRole('region', { name: 'Exposed tokens' });
  await expect(home.getByRole('link', { name })).toBeVisible();
  await expect(home.getByRole('link', { name: url })).toBeVisible();

  // The token page: the badge, the URL, the revoked secret, the history.
  await openToken(page, token.sid);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText('Exposed', { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: url })).toBeVisible();
  await expect(page.getByText('revoked: Reset the token to issue a new secret')).toBeVisible();
  await expect(history(page)).toContainText('Reported exposed by secret scanning');
  await expect(history(page)).toContainText('Secret scanning');

  // Reset: no way to keep the exposed secret, a new one that works, the exposure gone.
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('it was exposed or revoked');
  await expect(dialog.getByLabel('Keep the old secret working for')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Reset token' }).click();
  const panel = page.getByRole('region', { name: 'New Auth Token' });
  const secret = ((await panel.locator('code').textContent()) ?? '').trim();
  expect(secret).toMatch(/^tsm_/);
  await answersAfterAChange(() => call(secret), 200);
  expect((await call(token.secret)).status()).toBe(401);
  await page.reload();
  await hydrated(page);
  await expect(page.getByText('Exposed', { exact: true })).toHaveCount(0);
});

test('an administrator chooses what an exposure does, in plain words', async ({ page }) => {
  await birchWithApiAccess(page);
  const group = page.getByRole('group', { name: 'When a token is exposed' });
  await expect(group.getByLabel('Revoke the secret at once')).toBeChecked();
  await expect(group.getByLabel('Disable the token')).not.toBeChecked();
  await expect(group.getByLabel('Notify only')).not.toBeChecked();
});
