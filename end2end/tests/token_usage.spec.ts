import { expect, test } from '@playwright/test';
import { BIRCH, hydrated, signIn } from './helpers';
import { events, makeToken, openEditor, openToken } from './token_helpers';
import { expectAccessible, uniqueName } from './wizard_helpers';

// The sandbox account of sandbox_api.spec.ts: its API access is on for calls to count.

test('the token page charts its calls and removes the scopes they never used', async ({
  page,
  playwright,
  baseURL,
}) => {
  await signIn(page, BIRCH);
  const toggle = page.getByRole('switch', { name: 'Enable API access' });
  if (!(await toggle.isChecked())) {
    await toggle.click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  }
  const accountSid = (await page.getByLabel('Account SID', { exact: true }).textContent())?.trim() ?? '';
  const token = await makeToken(page, uniqueName('Usage'), {
    scopes: ['actions:get', 'reports:get'],
    contact: BIRCH.email,
  });

  const api = await playwright.request.newContext({ baseURL });
  const headers = {
    Authorization: `Basic ${Buffer.from(`${token.sid}:${token.secret}`).toString('base64')}`,
    'User-Agent': 'inventory-sync/2.1',
  };
  const utcDay = () => new Date().toISOString().slice(0, 10);
  const callDays = [utcDay()];
  for (let i = 0; i < 3; i++) {
    expect((await api.get(`/Advertisers/${accountSid}/Actions`, { headers })).status()).toBe(200);
  }
  expect((await api.delete(`/Advertisers/${accountSid}/Actions`, { headers })).status()).toBe(403);
  callDays.push(utcDay());

  // Counted in memory, written within a second here (a minute by default).
  await openToken(page, token.sid);
  const usage = page.getByRole('region', { name: 'Usage' });
  await expect(async () => {
    await page.reload();
    await expect(usage).toContainText('3 allowed, 1 refused and 0 limited requests in the last 30 days.', {
      timeout: 500,
    });
  }).toPass({ timeout: 15_000 });
  await hydrated(page);
  await expect(usage.locator('svg rect.allowed')).toHaveCount(30);
  // The numbers as a table, for screen readers.
  // The calls' day's row (both days' rows summed, should the calls straddle midnight UTC).
  const counts = [0, 0];
  for (const day of new Set(callDays)) {
    const row = usage.getByRole('table').getByRole('row', { name: new RegExp(`^${day}`) });
    const cells = await row.getByRole('cell').allTextContents();
    counts[0] += Number(cells[0]);
    counts[1] += Number(cells[1]);
  }
  expect(counts).toEqual([3, 1]);
  await expect(usage).toContainText('inventory-sync/2.1');
  await expectAccessible(page);

  // The section says which scopes went unused; its editor offers to take them out: a
  // click (confirmed), through the scope editor, audited.
  const unused = page.getByRole('region', { name: 'Scopes' }).getByText(/^Scopes not used since it was created (today|yesterday):/);
  await expect(unused.locator('..')).toContainText('reports:get');
  await openEditor(page, 'Edit scopes');
  await page.getByRole('button', { name: 'Remove unused scopes' }).click();
  const question = page.getByRole('alertdialog');
  await expect(question).toContainText('Remove reports:get?');
  await expect(question.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await question.getByRole('button', { name: 'Remove scopes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expect(events(page).first()).toContainText('Changed the scopes');
  await expect(events(page).first()).toContainText('Scopes removed: reports:get');
  await page.reload();
  await hydrated(page);
  await expect(page.getByText(/^Scopes not used/)).toHaveCount(0);
});
