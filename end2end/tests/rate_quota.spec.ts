import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { answersAfterAChange, CEDAR, consoleErrors, hydrated, signIn } from './helpers';
import { birchWithApiAccess, events, makeToken, openEditor, openToken } from './token_helpers';
import { category, expectAccessible, next, openWizard, uniqueName } from './wizard_helpers';

// A token's Rate limit and Quota (issue 28): chosen in the wizard, edited on the token
// page, enforced by the sandbox, shown beside its usage. Birch's account, whose API access
// is on.

function basic(sid: string, secret: string) {
  return { Authorization: `Basic ${Buffer.from(`${sid}:${secret}`).toString('base64')}` };
}

async function calls(api: APIRequestContext, accountSid: string, sid: string, secret: string, n: number) {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) {
    statuses.push((await api.get(`/Advertisers/${accountSid}/Actions`, { headers: basic(sid, secret) })).status());
  }
  return statuses;
}

test('limits chosen in the wizard are enforced, and Remaining falls as calls are made', async ({
  page,
  playwright,
  baseURL,
}) => {
  const errors = consoleErrors(page);
  const accountSid = await birchWithApiAccess(page);
  const name = uniqueName('Agency');
  await openWizard(page);
  await page.getByLabel('Token Name').fill(name);
  const limits = page.getByRole('group', { name: 'Limits (optional)' });
  await limits.getByLabel('Rate limit').fill('0');
  await limits.getByLabel('Quota').fill('3 calls');
  await next(page);
  await expect(page.getByText('Enter the number of requests as a whole number from 1 to 1,000,000')).toBeVisible();
  await expect(page.getByText('Enter the quota as a whole number of calls')).toBeVisible();
  await expect(limits.getByLabel('Rate limit')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('heading', { name: 'Setup' })).toBeVisible();
  await limits.getByLabel('Rate limit').fill('100');
  await limits.getByLabel('requests per').selectOption('minute');
  await limits.getByLabel('Quota').fill('3');
  await limits.getByLabel('Refill').selectOption({ label: 'Monthly (UTC)' });
  await expectAccessible(page);
  await next(page);
  await page.getByLabel('Primary Contact').selectOption({ index: 1 });
  await next(page);
  await page.getByRole('switch', { name: 'Actions', exact: true }).check();
  await category(page, 'Actions').getByRole('checkbox', { name: 'GET' }).check();
  await next(page);
  const summary = page.locator('dl.summary');
  await expect(summary).toContainText('100 requests per minute');
  await expect(summary).toContainText('3 calls a month (UTC)');
  await page.getByRole('button', { name: 'Create' }).click();
  const sid = (await page.getByLabel('Token SID', { exact: true }).textContent())?.trim() ?? '';
  const secret = (await page.getByLabel('Auth Token', { exact: true }).textContent())?.trim() ?? '';
  expect(secret).toMatch(/^tsm_/);

  // Two calls: the fields say what is left.
  const api = await playwright.request.newContext({ baseURL });
  const first = await api.get(`/Advertisers/${accountSid}/Actions`, { headers: basic(sid, secret) });
  expect(first.status()).toBe(200);
  expect(first.headers()['ratelimit-policy']).toMatch(/^"rate";q=100;w=60, "quota";q=3;w=\d+$/);
  expect(first.headers()['ratelimit']).toMatch(/"quota";r=2;t=\d+$/);
  expect(await calls(api, accountSid, sid, secret, 1)).toEqual([200]);

  await openToken(page, sid);
  const usage = page.getByRole('region', { name: 'Usage' });
  await expect(async () => {
    await page.reload();
    await expect(usage.getByText('1 of 3 calls')).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await expect(usage.getByText('Remaining this month')).toBeVisible();

  // The third call spends the quota; the fourth is refused and charted as limited.
  expect(await calls(api, accountSid, sid, secret, 2)).toEqual([200, 429]);
  const refused = await api.get(`/Advertisers/${accountSid}/Actions`, { headers: basic(sid, secret) });
  expect(refused.status()).toBe(429);
  expect(refused.headers()['content-type']).toBe('application/problem+json');
  expect(Number(refused.headers()['retry-after'])).toBeGreaterThan(0);
  const problem = await refused.json();
  expect(problem['violated-policies']).toEqual(['quota']);
  expect(problem.detail).toContain('3 calls a month (UTC) is spent');
  await expect(async () => {
    await page.reload();
    await expect(usage).toContainText('3 allowed, 0 refused and 2 limited requests in the last 30 days.', {
      timeout: 500,
    });
    await expect(usage.getByText('0 of 3 calls')).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await hydrated(page);
  await expect(usage.locator('svg rect.limited')).toHaveCount(30);
  await expect(usage.getByRole('table')).toContainText('Limited');
  await expectAccessible(page);
  expect(errors).toEqual([]);
});

test('limits edited on the token page apply to the very next call, audited', async ({
  page,
  playwright,
  baseURL,
}) => {
  const accountSid = await birchWithApiAccess(page);
  const token = await makeToken(page, uniqueName('Paced'), {
    scopes: ['actions:get'],
    contact: 'admin@birch.test',
  });
  const api = await playwright.request.newContext({ baseURL });
  expect(await calls(api, accountSid, token.sid, token.secret, 2)).toEqual([200, 200]);
  const call = () => api.get(`/Advertisers/${accountSid}/Actions`, { headers: basic(token.sid, token.secret) });

  await openToken(page, token.sid);
  const card = page.getByRole('region', { name: 'Limits' });
  const quota = card.locator('dl.facts > div').filter({ hasText: 'Quota' }).locator('dd');
  await expect(quota).toHaveText('None');
  await openEditor(page, 'Edit limits');
  await card.getByLabel('Quota').fill('1');
  await card.getByLabel('Refill').selectOption({ label: 'No refill' });
  await card.getByRole('button', { name: 'Save limits' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expect(events(page).first()).toContainText('Changed the limits');
  await expect(events(page).first()).toContainText('Quota: “None” → “1 call in all”');
  await expect(quota).toHaveText('1 call in all');
  await expectAccessible(page);

  // One call from now on (a quota is exact across instances): then refused for good.
  expect((await call()).status()).toBe(200);
  const over = await answersAfterAChange(call, 403);
  expect(over.headers()['ratelimit']).toBe('"quota";r=0');
  expect((await over.json())['violated-policies']).toEqual(['quota']);

  // Back to none: allowed again.
  await card.getByLabel('Quota').fill('');
  await card.getByRole('button', { name: 'Save limits' }).click();
  await expect(events(page).first()).toContainText('Quota: “1 call in all” → “None”');
  await answersAfterAChange(call, 200);
});

/** Posts the plain form and waits for the API page it comes back to, drawn afresh. */
async function savePolicy(page: Page) {
  const back = page.waitForResponse(
    (r) => new URL(r.url()).pathname === '/settings/api' && r.request().method() === 'GET',
  );
  await page.getByRole('button', { name: 'Save limits policy' }).click();
  await back;
  await page.waitForLoadState();
}

test("the account policy's plain form sets the limits a new token starts with", async ({ page }) => {
  // Cedar's account: its other tests make tokens without the wizard, so defaults don't
  // touch them.
  await signIn(page, CEDAR);
  const card = page.getByRole('region', { name: 'Limits for new tokens' });
  const defaults = card.getByRole('group', { name: 'Default limits' });
  await defaults.getByLabel('Rate limit').fill('5');
  await defaults.getByLabel('requests per').selectOption('second');
  await defaults.getByLabel('Quota').fill('1,000');
  await defaults.getByLabel('Refill').selectOption({ label: 'Daily (UTC)' });
  await savePolicy(page);
  await expect(defaults.getByLabel('Rate limit')).toHaveValue('5');
  await expect(defaults.getByLabel('Quota')).toHaveValue('1000');
  await expectAccessible(page);

  await openWizard(page);
  const limits = page.getByRole('group', { name: 'Limits (optional)' });
  await expect(limits.getByLabel('Rate limit')).toHaveValue('5');
  await expect(limits.getByLabel('requests per')).toHaveValue('second');
  await expect(limits.getByLabel('Quota')).toHaveValue('1000');
  await expect(limits.getByLabel('Refill')).toHaveValue('daily');

  // Back to none, for the next run.
  await page.goto('/settings/api');
  await defaults.getByLabel('Rate limit').fill('');
  await defaults.getByLabel('Quota').fill('');
  await savePolicy(page);
  await expect(defaults.getByLabel('Rate limit')).toHaveValue('');
});

test('a budget shared by two tokens refuses them together, and its page shows what is left', async ({
  page,
  playwright,
  baseURL,
}) => {
  const accountSid = await birchWithApiAccess(page);
  const name = uniqueName('Agency budget');
  await page.goto('/settings/api/budgets');
  await page.getByLabel('Budget name').fill(name);
  const creating = page.getByRole('region', { name: 'New budget' });
  await creating.getByLabel('Quota').fill('3');
  await creating.getByLabel('Refill').selectOption({ label: 'No refill' });
  const back = page.waitForResponse(
    (r) => new URL(r.url()).pathname === '/settings/api/budgets' && r.request().method() === 'GET',
  );
  await page.getByRole('button', { name: 'Create budget' }).click();
  await back;
  const card = page.getByRole('region', { name, exact: true });
  await expect(card).toContainText('3 calls in all');
  await expect(card).toContainText('No token draws on it yet.');
  await expectAccessible(page);

  const tokens = [];
  for (const label of ['feed', 'reports']) {
    const token = await makeToken(page, uniqueName(`Agency ${label}`), {
      scopes: ['actions:get'],
      contact: 'admin@birch.test',
    });
    await openToken(page, token.sid);
    const limits = page.getByRole('region', { name: 'Limits' });
    await openEditor(page, 'Edit limits');
    await limits.getByLabel('Budget').selectOption({ label: name });
    await limits.getByRole('button', { name: 'Save limits' }).click();
    await expect(events(page).first()).toContainText(`Budget: “None” → “${name}”`);
    tokens.push(token);
  }

  const api = await playwright.request.newContext({ baseURL });
  expect(await calls(api, accountSid, tokens[0].sid, tokens[0].secret, 2)).toEqual([200, 200]);
  expect(await calls(api, accountSid, tokens[1].sid, tokens[1].secret, 1)).toEqual([200]);
  // Through several instances a call may reach one that hasn't heard of the budget yet
  // (within a second): it spends nothing of it.
  const refused = await answersAfterAChange(
    () => api.get(`/Advertisers/${accountSid}/Actions`, { headers: basic(tokens[1].sid, tokens[1].secret) }),
    403,
  );
  expect((await refused.json())['violated-policies']).toEqual(['budget-quota']);

  await page.goto('/settings/api/budgets');
  await expect(card.getByRole('link', { name: tokens[0].name })).toBeVisible();
  await expect(card.getByRole('link', { name: tokens[1].name })).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(card.getByText('0 of 3 calls')).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 10_000 });
});
