import { expect, test, type Browser, type Page } from '@playwright/test';
import { consoleErrors, HAZEL, hydrated, HUGO, signIn, type User } from './helpers';
import { category, expectAccessible, next, openWizard, uniqueName } from './wizard_helpers';

// Tokens by request (issue 29): Hazel's tokens need approval. Its specialist requests one
// with a reason, its administrator narrows the scopes and approves (or denies with a
// reason), and only the requester sees the Auth Token, once.

test.describe.configure({ mode: 'serial' });

async function as(browser: Browser, user: User): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, user);
  return page;
}

/** Hazel's administrator: API access on and Token creation set to Needs approval. */
async function needingApproval(browser: Browser): Promise<Page> {
  const admin = await as(browser, HAZEL);
  const toggle = admin.getByRole('switch', { name: 'Enable API access' });
  if (!(await toggle.isChecked())) {
    await toggle.click();
    await expect(admin.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  }
  const creation = admin.getByRole('group', { name: 'Token creation' });
  if (!(await creation.getByLabel('Needs approval').isChecked())) {
    await creation.getByLabel('Needs approval').check();
    await admin.getByRole('region', { name: 'Requests and approvals' }).getByRole('button', { name: 'Save' }).click();
    await hydrated(admin);
  }
  await expect(admin.getByRole('group', { name: 'Token creation' }).getByLabel('Needs approval')).toBeChecked();
  return admin;
}

/** The specialist walks the wizard to its end and requests `name` (Reports GET, Actions GET and DELETE). */
async function requestToken(page: Page, name: string, reason: string): Promise<void> {
  await page.goto('/settings/api');
  await page.getByRole('link', { name: 'Request Access Token' }).click();
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Setup' })).toBeVisible();
  await page.getByLabel('Token Name').fill(name);
  await next(page);
  await page.getByLabel('Primary Contact').selectOption({ label: 'Hugo Hazel <specialist@hazel.test>' });
  await next(page);
  await page.getByRole('switch', { name: 'Actions', exact: true }).check();
  await category(page, 'Actions').getByRole('checkbox', { name: 'GET' }).check();
  await category(page, 'Actions').getByRole('checkbox', { name: 'DELETE' }).check();
  await next(page);
  await expect(page.getByRole('heading', { name: 'Review and Request' })).toBeVisible();
  // No reason: refused beside its field, nothing sent.
  await page.getByRole('button', { name: 'Request token' }).click();
  await expect(page.getByText('Enter a reason.')).toBeVisible();
  await expect(page.getByLabel('Reason')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Reason').fill(reason);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Request token' }).click();
  await expect(page.getByRole('heading', { name: 'Token requested' })).toBeVisible();
  await page.getByRole('link', { name: 'View request' }).click();
  await expect(page.getByRole('heading', { name: `Request for “${name}”` })).toBeVisible();
}

async function openRequest(page: Page, name: string): Promise<void> {
  await page.goto('/settings/api/requests');
  await page.getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { name: `Request for “${name}”` })).toBeVisible();
  await hydrated(page);
}

test('a request is approved with narrowed scopes and its requester sees the secret once', async ({ browser }) => {
  const admin = await needingApproval(browser);
  const specialist = await as(browser, HUGO);
  const errors = consoleErrors(specialist);
  const name = uniqueName('Agency feed');
  await requestToken(specialist, name, 'Nightly export for the agency');
  await expect(specialist.getByText('Pending', { exact: true })).toBeVisible();
  await expect(specialist.getByRole('button', { name: 'Withdraw request' })).toBeVisible();

  // The administrator sees it pending, the delete scope marked, and narrows it.
  await admin.goto('/settings/api');
  await expect(admin.getByRole('region', { name: 'Requests and approvals' })).toContainText(/[1-9]/);
  await openRequest(admin, name);
  await expect(admin.getByText('Nightly export for the agency')).toBeVisible();
  const asked = admin.getByRole('region', { name: 'What was asked' });
  await expect(asked.getByRole('listitem').filter({ hasText: 'Actions: DELETE' })).toContainText('delete');
  await expectAccessible(admin);
  const approve = admin.getByRole('region', { name: 'Approve' });
  await approve.getByLabel(/Actions: DELETE/).uncheck();
  await approve.getByLabel('Expiration').selectOption('30');
  await approve.getByRole('button', { name: 'Approve' }).click();
  await expect(admin.getByText('Approved', { exact: true })).toBeVisible();
  await expect(admin.getByText(/Auth Token waiting for the requester/)).toBeVisible();
  await expect(admin.getByRole('button', { name: 'Show Auth Token' })).toHaveCount(0);

  // The requester sees the secret once.
  await openRequest(specialist, name);
  await specialist.getByRole('button', { name: 'Show Auth Token' }).click();
  const secret = (await specialist.getByLabel('Auth Token', { exact: true }).textContent())?.trim() ?? '';
  expect(secret).toMatch(/^tsm_/);
  await specialist.reload();
  await hydrated(specialist);
  await expect(specialist.getByText('Auth Token shown to the requester.')).toBeVisible();
  await expect(specialist.getByRole('button', { name: 'Show Auth Token' })).toHaveCount(0);
  // The token has the narrowed scopes.
  await specialist.getByRole('link', { name: /^TS/ }).click();
  await hydrated(specialist);
  const scopes = specialist.getByRole('region', { name: 'Scopes' });
  await expect(scopes.getByText('1 scope', { exact: true })).toBeVisible();
  await expect(scopes.getByRole('listitem')).toHaveCount(1);
  await expect(scopes).not.toContainText('actions:delete');
  expect(errors).toEqual([]);
});

test('a request is denied with a reason, and a reasonless denial is refused', async ({ browser }) => {
  const admin = await needingApproval(browser);
  const specialist = await as(browser, HUGO);
  const name = uniqueName('Too broad');
  await requestToken(specialist, name, 'Everything, just in case');
  await openRequest(admin, name);
  const deny = admin.getByRole('region', { name: 'Deny' });
  await deny.getByRole('button', { name: 'Deny' }).click();
  await expect(admin.getByText('Enter a reason.')).toBeVisible();
  await deny.getByLabel('Reason').fill('Ask for the reports scope only');
  await deny.getByRole('button', { name: 'Deny' }).click();
  await expect(admin.getByText('Denied', { exact: true })).toBeVisible();
  await openRequest(specialist, name);
  await expect(specialist.getByText('Ask for the reports scope only')).toBeVisible();
  await expect(specialist.getByRole('button', { name: 'Show Auth Token' })).toHaveCount(0);
  await specialist.goto('/settings/api/requests?state=denied');
  await expect(specialist.getByRole('link', { name, exact: true })).toBeVisible();
});
