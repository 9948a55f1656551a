import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { atHome, consoleErrors, DOGWOOD, hydrated, MEMBER, PASSWORD, signIn, USERS } from './helpers';
import { expectAccessible } from './wizard_helpers';

// These change the Dogwood account's users, one after the other.
test.describe.configure({ mode: 'serial' });

async function openUsers(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Users' }).click();
  await page.waitForURL('**/settings/users');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
}

function row(page: Page, name: string) {
  return page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${name}`) }) });
}

test('an administrator adds a user, who signs in with the temporary password and must choose their own', async ({
  page,
  browser,
}) => {
  const errors = consoleErrors(page);
  await signIn(page, DOGWOOD);
  await openUsers(page);
  await expectAccessible(page);

  // Keyboard only: type, Tab, pick the role by its first letter, Enter.
  const email = `new-${Date.now()}@dogwood.test`;
  await page.getByLabel('Email').focus();
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type('Nico New');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Finance');
  await expect(page.getByLabel('Role', { exact: true })).toHaveValue('finance');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Add user' })).toBeFocused();
  await page.keyboard.press('Enter');

  const issued = page.getByRole('region', { name: 'Temporary password' });
  await expect(issued).toContainText(`Nico New <${email}>`);
  const temporary = (await issued.locator('code').textContent())?.trim() ?? '';
  expect(temporary).toMatch(/^[A-Za-z0-9]{20}$/);
  await expect(row(page, 'Nico New')).toContainText('Active (temporary password)');
  await expect(row(page, 'Nico New')).toContainText('Never');
  await expectAccessible(page);

  const theirs = await browser.newContext();
  try {
    const newcomer = await theirs.newPage();
    await newcomer.goto('/login');
    await newcomer.getByLabel('Email').fill(email);
    await newcomer.getByLabel('Password').fill(temporary);
    await newcomer.getByRole('button', { name: 'Sign in', exact: true }).click();
    await newcomer.waitForURL('**/settings/password');
    await hydrated(newcomer);
    await expect(newcomer.getByRole('alert')).toContainText('You signed in with a temporary password');
    // Anything else sends them back here until they have.
    await newcomer.goto('/');
    await newcomer.waitForURL('**/settings/password');
    await hydrated(newcomer);
    await newcomer.getByLabel('Current password').fill(temporary);
    await newcomer.getByLabel('New password', { exact: true }).fill('nico chose this passphrase');
    await newcomer.getByLabel('Confirm new password').fill('nico chose this passphrase');
    await newcomer.getByRole('button', { name: 'Change password' }).click();
    await expect(newcomer.getByRole('status')).toContainText('Password changed.');
    await newcomer.getByRole('link', { name: 'Continue' }).click();
    await atHome(newcomer);
    await expect(newcomer.getByRole('heading', { level: 1, name: 'Welcome, Nico New' })).toBeVisible();
  } finally {
    await theirs.close();
  }
  expect(errors).toEqual([]);
});

test('Add user explains a bad form and a taken email', async ({ page }) => {
  await signIn(page, DOGWOOD);
  await openUsers(page);
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByLabel('Email')).toBeFocused();
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Choose a role.')).toBeVisible();

  await page.getByLabel('Email').fill(MEMBER.email.toUpperCase());
  await page.getByLabel('Name', { exact: true }).fill('Someone Else');
  await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Analyst' });
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByText('Another user already signs in with this email.')).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue(MEMBER.email.toUpperCase());
});

test('disabling a user ends their open session, and enabling lets them back', async ({ page, browser }) => {
  const theirs = await browser.newContext();
  try {
    const member = await theirs.newPage();
    await signIn(member, MEMBER);
    await expect(member.getByRole('heading', { level: 1, name: `Welcome, ${MEMBER.name}` })).toBeVisible();

    await signIn(page, DOGWOOD);
    await openUsers(page);
    await page.getByRole('button', { name: `Disable ${MEMBER.name}` }).click();
    const dialog = page.getByRole('alertdialog');
    await expect(dialog).toContainText('Their sessions end at once');
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await dialog.getByRole('button', { name: 'Disable user' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Disabled ${MEMBER.name}` })).toBeVisible();
    await expect(row(page, MEMBER.name)).toContainText('Disabled');

    await member.reload();
    await member.waitForURL('**/login');
    await member.getByLabel('Email').fill(MEMBER.email);
    await member.getByLabel('Password').fill(PASSWORD);
    await member.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(member.getByRole('alert')).toContainText('This user is disabled');

    await page.getByRole('button', { name: `Enable ${MEMBER.name}` }).click();
    await expect(page.getByRole('status').filter({ hasText: `Enabled ${MEMBER.name}` })).toBeVisible();
    await signIn(member, MEMBER);
    await expect(member.getByRole('heading', { level: 1, name: `Welcome, ${MEMBER.name}` })).toBeVisible();
  } finally {
    await theirs.close();
  }
});

test('Reset password shows a temporary password once', async ({ page }) => {
  await signIn(page, DOGWOOD);
  await openUsers(page);
  await page.getByRole('button', { name: `Reset password of ${MEMBER.name}` }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Reset password' }).click();
  const issued = page.getByRole('region', { name: 'Temporary password' });
  await expect(issued).toContainText(`${MEMBER.name} <${MEMBER.email}>`);
  await expect(row(page, MEMBER.name)).toContainText('temporary password');
  await issued.getByRole('button', { name: 'Done' }).click();
  await expect(issued).toHaveCount(0);
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('region', { name: 'Temporary password' })).toHaveCount(0);
});

test('the last administrator cannot step down, and says why', async ({ page }) => {
  await signIn(page, DOGWOOD);
  await openUsers(page);
  const mine = row(page, DOGWOOD.name);
  await expect(mine.getByRole('rowheader')).toHaveText(`${DOGWOOD.name} (you)`);
  await expect(mine.getByRole('button', { name: /^Disable/ })).toHaveCount(0);
  await mine.getByRole('combobox', { name: `Role of ${DOGWOOD.name}` }).selectOption({ label: 'Analyst' });
  await mine.getByRole('button', { name: `Change role of ${DOGWOOD.name}` }).click();
  await expect(page.getByRole('alert')).toContainText(
    `${DOGWOOD.name} is the last active Account Administrator of this account.`,
  );
});

test('an Analyst lands on a home page that says who manages API tokens', async ({ page }) => {
  const errors = consoleErrors(page);
  await signIn(page, USERS.analyst);
  await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${USERS.analyst.name}` })).toBeVisible();
  const help = page.getByRole('region', { name: 'API access tokens' });
  await expect(help).toContainText('ask one of them');
  await expect(help.getByRole('link', { name: `${USERS.admin.name} <${USERS.admin.email}>` })).toBeVisible();
  await expect(help.getByRole('link', { name: `${USERS.specialist.name} <${USERS.specialist.email}>` })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Settings' });
  await expect(nav.getByRole('link', { name: 'API', exact: true })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Change password' })).toBeVisible();
  await expectAccessible(page);
  expect(errors).toEqual([]);

  const forbidden = await page.goto('/settings/users');
  expect(forbidden?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1, name: 'No access' })).toBeVisible();
  await expect(page.getByText("The account's users are managed by its Account Administrators.")).toBeVisible();
});

test('the activity shows what happened, filtered from the keyboard, and exports it as CSV', async ({ page }) => {
  const errors = consoleErrors(page);
  await signIn(page, DOGWOOD);
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Activity' }).click();
  await page.waitForURL('**/settings/activity');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Activity' })).toBeVisible();
  await expectAccessible(page);

  // Keyboard only: Action by typing its name, then Enter on Apply filters.
  await page.getByLabel('Action').focus();
  await page.keyboard.type('Added a user');
  await expect(page.getByLabel('Action')).toHaveValue('user_added');
  await page.getByRole('button', { name: 'Apply filters' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/action=user_added/);
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows.filter({ hasText: 'Nico New' }).first()).toBeVisible();
  for (const text of await rows.allInnerTexts()) {
    if (!text.startsWith('Time')) expect(text).toContain('Added a user');
  }

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^tokensmith-activity-AC[A-Za-z0-9]+-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = readFileSync(await file.path(), 'utf8');
  const lines = text.trim().split('\r\n');
  expect(lines[0]).toBe('time_utc,actor,action,summary,token_sid,token_name,details');
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines.slice(1)) expect(line).toContain(',Dana Dogwood,user_added,Added a user,');
  expect(text).toContain('Nico New <new-');
  expect(errors).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the activity filters and pages are plain links and forms', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('Email').fill(DOGWOOD.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await atHome(page);
    await page.goto('/settings/activity');
    await page.getByLabel('Action').selectOption({ label: 'Disabled a user' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/action=user_disabled/);
    await expect(page.getByRole('table')).toContainText(`User: ${MEMBER.name} <${MEMBER.email}>`);
    // One page: Older and Newer are not links.
    const pager = page.getByRole('navigation', { name: 'Activity pages' });
    await expect(pager.getByRole('link')).toHaveCount(0);
    await expect(pager).toContainText('Older');
  });
});
