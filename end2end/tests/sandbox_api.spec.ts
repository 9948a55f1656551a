import { expect, test } from '@playwright/test';
import { BIRCH, answersAfterAChange, hydrated, signIn } from './helpers';
import { card } from './token_helpers';
import { category, uniqueName } from './wizard_helpers';

// A second account (made by scripts/test), so turning its API access on can't race the
// tests that flip the demo account's switch.

test('a token made in the wizard authenticates, shows when it was used, and dies on reset', async ({
  page,
  context,
  playwright,
  baseURL,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page, BIRCH);
  const toggle = page.getByRole('switch', { name: 'Enable API access' });
  if (!(await toggle.isChecked())) {
    await toggle.click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  }
  const accountSid = (await page.getByLabel('Account SID', { exact: true }).textContent())?.trim() ?? '';
  expect(accountSid).toMatch(/^AC[A-Za-z0-9]{32}$/);

  // The wizard, as a person uses it.
  const name = uniqueName('Sandbox');
  await page.getByRole('link', { name: 'Create Access Token' }).click();
  await page.waitForURL('**/settings/api/tokens/new');
  await hydrated(page);
  await page.getByLabel('Token Name').fill(name);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Primary Contact').selectOption({ label: 'Robin Birch <admin@birch.test>' });
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('switch', { name: 'Actions', exact: true }).check();
  await category(page, 'Actions').getByRole('checkbox', { name: 'GET' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // Copy both from the page, through the clipboard as a user would.
  await page.getByRole('button', { name: 'Copy Token SID' }).click();
  const sid = await page.evaluate(() => navigator.clipboard.readText());
  await page.getByRole('button', { name: 'Copy Auth Token' }).click();
  const secret = await page.evaluate(() => navigator.clipboard.readText());
  expect(sid).toMatch(/^TS[A-Za-z0-9]{32}$/);
  expect(secret).toMatch(/^tsm_[A-Za-z0-9]{36}$/);

  const api = await playwright.request.newContext({ baseURL });
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const actions = `/Advertisers/${accountSid}/Actions`;

  const allowed = await api.get(actions, { headers: { Authorization: basic(sid, secret) } });
  expect(allowed.status()).toBe(200);
  expect(await allowed.json()).toMatchObject({ decision: 'allow', scope: 'actions:get', token_sid: sid });
  const refused = await api.delete(actions, { headers: { Authorization: basic(sid, secret) } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error).toBe('missing scope actions:delete');

  // "Last used" on the card changes from "never" (written within a second or so).
  await page.getByRole('button', { name: 'Done' }).click();
  await page.waitForURL('**/settings/api');
  await expect(async () => {
    await page.reload();
    await expect(card(page, name).getByText('never')).toHaveCount(0, { timeout: 500 });
  }).toPass({ timeout: 15_000 });

  // Reset: the old secret is refused (at once here; on every instance within 5 s), the new
  // one works.
  await card(page, name).getByRole('link', { name }).click();
  await page.waitForURL(`**/settings/api/tokens/${sid}`);
  await hydrated(page);
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Reset token' }).click();
  const panel = page.getByRole('region', { name: 'New Auth Token' });
  const fresh = ((await panel.locator('code').textContent()) ?? '').trim();
  expect(fresh).not.toBe(secret);
  const old = await answersAfterAChange(() => api.get(actions, { headers: { Authorization: basic(sid, secret) } }), 401);
  expect(old.headers()['www-authenticate']).toContain('Basic');
  const renewed = await api.get(actions, { headers: { Authorization: basic(sid, fresh) } });
  expect(renewed.status()).toBe(200);
  await api.dispose();
});
