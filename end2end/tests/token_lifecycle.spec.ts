import { expect, test } from '@playwright/test';
import { consoleErrors, hydrated, signIn, USERS } from './helpers';
import { card, changeToken, events, history, makeToken, openEditor, openToken } from './token_helpers';
import { category, expectAccessible, uniqueName } from './wizard_helpers';

test.beforeEach(async ({ page }) => {
  await signIn(page, USERS.admin);
});

test('edit the name and description, then see them in the list and the history', async ({ page }) => {
  // Creates a token, checks the page with axe, saves and walks back to the list: on a
  // loaded 2-core CI machine this took past 30 s once, with every step done right.
  test.slow();
  const errors = consoleErrors(page);
  const token = await makeToken(page, uniqueName('Edit me'));
  await openToken(page, token.sid);
  await expect(page.getByRole('heading', { level: 1, name: token.name })).toBeVisible();
  await expectAccessible(page);
  // The fields are behind Edit, fetched when opened; the page is still accessible open.
  await openEditor(page, 'Edit name and description');
  await expect(page.getByLabel('Token Name')).toBeFocused();
  await expectAccessible(page);
  const renamed = uniqueName('Renamed');
  await page.getByLabel('Token Name').fill(renamed);
  await page.getByLabel('Description').fill('Now with a better description');
  await page.getByRole('button', { name: 'Save name and description' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: renamed })).toBeVisible();
  await expect(history(page)).toContainText('Edited the overview');
  await expect(history(page)).toContainText(`Name: “${token.name}” → “${renamed}”`);

  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API', exact: true }).click();
  await expect(card(page, renamed)).toContainText('Now with a better description');
  await expect(card(page, token.name)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('an editor opens from the keyboard, and closing it keeps what was typed', async ({ page }) => {
  const token = await makeToken(page, uniqueName('Keyboard'));
  await openToken(page, token.sid);
  const edit = page.getByRole('button', { name: 'Edit name and description' });
  await expect(edit).toHaveAttribute('aria-expanded', 'false');
  // Not in the page until opened: its code is fetched then.
  await expect(page.getByLabel('Token Name')).toHaveCount(0);
  await edit.focus();
  await page.keyboard.press('Enter');
  await expect(edit).toHaveAttribute('aria-expanded', 'true');
  const name = page.getByLabel('Token Name');
  await expect(name).toBeFocused();
  const typed = uniqueName('Typed');
  await name.fill(typed);
  await edit.press('Enter');
  await expect(edit).toHaveAttribute('aria-expanded', 'false');
  await expect(name).toBeHidden();
  await edit.press('Space');
  await expect(name).toHaveValue(typed);
  await expect(page.getByRole('heading', { level: 1, name: token.name })).toBeVisible();
});

test('a bad name is explained beside the field and nothing is saved', async ({ page }) => {
  const token = await makeToken(page, uniqueName('Keep me'));
  await openToken(page, token.sid);
  await openEditor(page, 'Edit name and description');
  await page.getByLabel('Token Name').fill('ab');
  await page.getByRole('button', { name: 'Save name and description' }).click();
  await expect(page.getByText('at least 3 characters')).toBeVisible();
  await expect(page.getByLabel('Token Name')).toBeFocused();
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: token.name })).toBeVisible();
  await expect(events(page)).toHaveCount(1);
});

test('upgrade version offers only higher versions, never a downgrade', async ({ page }) => {
  const token = await makeToken(page, uniqueName('Old version'), { apiVersion: 12 });
  await openToken(page, token.sid);
  const upgrade = page.getByLabel('Upgrade to');
  await expect(upgrade.locator('option')).toHaveText(['v13', 'v14 (latest)']);
  await upgrade.selectOption('13');
  await page.getByRole('button', { name: 'Upgrade version' }).click();
  await expect(history(page)).toContainText('API version: “12” → “13”');
  await expect(page.getByLabel('Upgrade to').locator('option')).toHaveText(['v14 (latest)']);
  await page.getByRole('button', { name: 'Upgrade version' }).click();
  await expect(page.getByText('Version 14 is the latest API version')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Upgrade version' })).toBeDisabled();
  await expect(page.getByLabel('Upgrade to')).toHaveCount(0);
});

test('reset asks first, then shows a new secret once', async ({ page }) => {
  const token = await makeToken(page, uniqueName('Reset me'));
  await openToken(page, token.sid);
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('or stop it now');
  await expect(dialog.getByLabel('Keep the old secret working for')).toHaveValue('');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(events(page)).toHaveCount(1);

  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Reset token' }).click();
  const panel = page.getByRole('region', { name: 'New Auth Token' });
  const secret = (await panel.locator('code').textContent()) ?? '';
  expect(secret).toMatch(/^tsm_[A-Za-z0-9]{36}$/);
  expect(secret).not.toBe(token.secret);
  await expect(panel.getByRole('button', { name: 'Copy Auth Token' })).toBeVisible();
  await expect(history(page)).toContainText('Reset the secret');
  await expect(page.getByText(`tsm_…${secret.slice(-4)}`)).toBeVisible();
  await panel.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByText(secret)).toHaveCount(0);
  await page.reload();
  await hydrated(page);
  await expect(page.getByText(secret)).toHaveCount(0);
});

test('disable and enable change the state on the card', async ({ page }) => {
  const token = await makeToken(page, uniqueName('Switch me'));
  await openToken(page, token.sid);
  await page.getByRole('button', { name: 'Disable' }).click();
  await expect(page.getByRole('button', { name: 'Enable' })).toBeVisible();
  await expect(history(page)).toContainText('Disabled the token');
  await page.goto('/settings/api');
  await expect(card(page, token.name)).toContainText('Disabled');

  await openToken(page, token.sid);
  await page.getByRole('button', { name: 'Enable' }).click();
  await expect(page.getByRole('button', { name: 'Disable' })).toBeVisible();
  await page.goto('/settings/api');
  await expect(card(page, token.name)).toContainText('Enabled');
});

test('delete asks first, then the token leaves the list and its page is gone', async ({ page }) => {
  const token = await makeToken(page, uniqueName('Delete me'));
  await openToken(page, token.sid);
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText("This can't be undone.");
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { level: 1, name: token.name })).toBeVisible();

  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete token' }).click();
  await page.waitForURL('**/settings/api');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'API', exact: true })).toBeVisible();
  await expect(card(page, token.name)).toHaveCount(0);
  const gone = await page.goto(`/settings/api/tokens/${token.sid}`);
  expect(gone?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Token not found' })).toBeVisible();
});

test('duplicate opens the wizard with everything but the name', async ({ page }) => {
  const token = await makeToken(page, uniqueName('Original'), {
    apiVersion: 13,
    scopes: ['reports:get', 'actions:delete'],
    description: 'Copy everything but my name',
  });
  await openToken(page, token.sid);
  await page.getByRole('button', { name: 'Duplicate' }).click();
  await page.waitForURL('**/settings/api/tokens/new');
  await hydrated(page);
  await expect(page.getByLabel('Token Name')).toHaveValue('');
  await expect(page.getByLabel('Description')).toHaveValue('Copy everything but my name');
  await expect(page.getByLabel('API Version')).toHaveValue('13');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('at least 3 characters')).toBeVisible();
  const copy = uniqueName('Copy');
  await page.getByLabel('Token Name').fill(copy);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByLabel('Primary Contact')).toHaveValue(/\d+/);
  await expect(page.getByRole('list', { name: 'Developer emails' })).toContainText('dev@partner.test');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('2 scopes selected')).toBeVisible();
  await expect(category(page, 'Actions').getByRole('checkbox', { name: 'DELETE' })).toBeChecked();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByText(`Token "${copy}" created`)).toBeVisible();
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(card(page, copy)).toContainText('v13');
  await expect(card(page, token.name)).toBeVisible();
});

test('scope changes use the wizard editor and the history lists them', async ({ page }) => {
  const token = await makeToken(page, uniqueName('Scopes'));
  await openToken(page, token.sid);
  await expect(page.getByRole('region', { name: 'Scopes' }).getByRole('listitem')).toHaveText(['actions:get', 'reports:get']);
  await openEditor(page, 'Edit scopes');
  await category(page, 'Actions').getByRole('checkbox', { name: 'GET' }).uncheck();
  await category(page, 'Reports').getByRole('checkbox', { name: 'GET' }).check();
  await page.getByRole('switch', { name: 'Ads', exact: true }).check();
  await category(page, 'Ads').getByRole('checkbox', { name: 'GET' }).check();
  await page.getByRole('button', { name: 'Save scopes' }).click();
  await expect(history(page)).toContainText('Changed the scopes');
  await expect(history(page)).toContainText('Scopes added: ads:get');
  await expect(history(page)).toContainText('Scopes removed: actions:get');
  await expect(page.getByRole('region', { name: 'Scopes' }).getByRole('listitem')).toHaveText(['ads:get', 'reports:get']);

  await page.getByRole('button', { name: 'Clear All' }).click();
  await page.getByRole('button', { name: 'Save scopes' }).click();
  await expect(page.getByText('Choose at least one scope')).toBeVisible();
});

test('saving one section keeps unsaved edits in another', async ({ page }) => {
  const token = await makeToken(page, uniqueName('Two sections'));
  await openToken(page, token.sid);
  await openEditor(page, 'Edit name and description');
  await openEditor(page, 'Edit scopes');
  const typed = uniqueName('Not saved yet');
  await page.getByLabel('Token Name').fill(typed);
  await category(page, 'Reports').getByRole('checkbox', { name: 'GET' }).uncheck();
  await page.getByRole('button', { name: 'Save scopes' }).click();
  await expect(history(page)).toContainText('Scopes removed: reports:get');
  await expect(page.getByLabel('Token Name')).toHaveValue(typed);
  // The next save uses the new revision: no false "someone else changed it".
  await page.getByRole('button', { name: 'Save name and description' }).click();
  await expect(page.getByRole('heading', { level: 1, name: typed })).toBeVisible();
  await expect(page.getByText('Someone else changed this token')).toHaveCount(0);
  await expect(page.getByText('(revision 3)')).toBeVisible();
});

test('contacts can be changed, and each change queues notifications', async ({ page }) => {
  const token = await makeToken(page, uniqueName('Contacts'));
  await openToken(page, token.sid);
  const contacts = page.getByRole('region', { name: 'Contacts' });
  await expect(contacts).toContainText('Alex Morgan <admin@acme.test>');
  await openEditor(page, 'Edit contacts');
  await page.getByLabel('Primary Contact').selectOption({ label: 'Sam Rivera <specialist@acme.test>' });
  await page.getByLabel('Developer email', { exact: true }).fill('lead@partner.test');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByRole('button', { name: 'Save contacts' }).click();
  await expect(history(page)).toContainText('Changed the contacts');
  await expect(contacts.locator('dl.facts')).toContainText('Sam Rivera <specialist@acme.test>');
  await expect(contacts.locator('dl.facts')).toContainText('lead@partner.test');
  await expect(history(page)).toContainText('Primary contact: “Alex Morgan <admin@acme.test>” → “Sam Rivera <specialist@acme.test>”');
  const outbox = page.getByRole('region', { name: 'Notifications', exact: true }).getByRole('table');
  await expect(outbox).toContainText('lead@partner.test');
  await expect(outbox).toContainText('contacts changed');
  await expect(outbox).toContainText('Not sent: no mail server configured');
});

test('past three changes an hour, developer emails are held back and the outbox says why', async ({ page }) => {
  const token = await makeToken(page, uniqueName('Busy'));
  for (const enabled of [false, true, false]) {
    await changeToken(page, token.sid, { SetEnabled: { enabled } });
  }
  await openToken(page, token.sid);
  const notifications = page.getByRole('region', { name: 'Notifications', exact: true });
  await expect(notifications).toContainText('Developer emails get at most 3 messages an hour about one token');
  const held = notifications.getByRole('row').filter({ hasText: 'dev@partner.test' }).first();
  await expect(held).toContainText('disabled');
  await expect(held).toContainText('Held back: developer emails get at most 3 messages an hour');
  // The primary contact, a user of the account, hears of every change.
  const toAdmin = notifications.getByRole('row').filter({ hasText: 'admin@acme.test' });
  await expect(toAdmin).toHaveCount(4);
  await expect(toAdmin.filter({ hasText: 'Held back' })).toHaveCount(0);
});

test('an edit made on a stale page is refused with a clear message', async ({ page }) => {
  const token = await makeToken(page, uniqueName('Stale'));
  await openToken(page, token.sid);
  // Someone else renames it while this page is open.
  const theirs = uniqueName('Theirs');
  await changeToken(page, token.sid, { Overview: { name: theirs, description: '' } });
  await openEditor(page, 'Edit name and description');
  await page.getByLabel('Token Name').fill(uniqueName('Mine'));
  await page.getByRole('button', { name: 'Save name and description' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Someone else changed this token' });
  await expect(alert).toBeVisible();
  await alert.getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByRole('heading', { level: 1, name: theirs })).toBeVisible();
});

test('two people on one token: a stale section is refused with Reload, never saved over the other', async ({
  page,
  browser,
}) => {
  const token = await makeToken(page, uniqueName('Shared'));
  const original = 'Made by an end-to-end test';
  // B (the specialist, in a browser of their own) opens the token first.
  const elsewhere = await browser.newContext();
  const b = await elsewhere.newPage();
  await signIn(b, USERS.specialist);
  await openToken(b, token.sid);
  await openEditor(b, 'Edit name and description');
  await expect(b.getByLabel('Description')).toHaveValue(original);

  // B saves the scopes; the page's reload of the token after that save is held back, so
  // it comes back only once A has changed the description: B's page then shows A's
  // revision, while B's overview editor still holds the description B loaded.
  let heldBack: () => void = () => {};
  const reloading = new Promise<void>((resolve) => {
    heldBack = resolve;
  });
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await b.route(
    '**/api/get_token',
    async (route) => {
      heldBack();
      await released;
      await route.continue();
    },
    { times: 1 },
  );
  await openEditor(b, 'Edit scopes');
  await category(b, 'Reports').getByRole('checkbox', { name: 'GET' }).uncheck();
  await b.getByRole('button', { name: 'Save scopes' }).click();
  await reloading;

  // A (the admin) opens the token now and saves a new description.
  await openToken(page, token.sid);
  await openEditor(page, 'Edit name and description');
  const described = 'Described by A while B had the page open';
  await page.getByLabel('Description').fill(described);
  await page.getByRole('button', { name: 'Save name and description' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  release();
  await expect(history(b)).toContainText(`Description: “${original}” → “${described}”`);
  await expect(b.getByLabel('Description')).toHaveValue(original);

  // B, whose overview was loaded before A's change, saves the name: refused.
  const renamed = uniqueName('Renamed by B');
  await b.getByLabel('Token Name').fill(renamed);
  await b.getByRole('button', { name: 'Save name and description' }).click();
  const alert = b.getByRole('alert').filter({ hasText: 'Someone else changed this token' });
  await expect(alert).toBeVisible();
  await expect(alert.getByRole('button', { name: 'Reload' })).toBeVisible();

  // A's description is still the token's, and the name is unchanged.
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: token.name })).toBeVisible();
  await openEditor(page, 'Edit name and description');
  await expect(page.getByLabel('Description')).toHaveValue(described);

  // Reload brings B's editors to the token as it is; then B's save goes through.
  await alert.getByRole('button', { name: 'Reload' }).click();
  await expect(alert).toHaveCount(0);
  await hydrated(b);
  await openEditor(b, 'Edit name and description');
  await expect(b.getByLabel('Description')).toHaveValue(described);
  await expect(b.getByLabel('Token Name')).toHaveValue(token.name);
  await b.getByLabel('Token Name').fill(renamed);
  await b.getByRole('button', { name: 'Save name and description' }).click();
  await expect(b.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(b.getByRole('heading', { level: 1, name: renamed })).toBeVisible();

  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: renamed })).toBeVisible();
  await expect(page.getByText(described, { exact: true })).toBeVisible();
  await elsewhere.close();
});

test('the security advice is linked from the API page (and after Create: wizard.spec.ts)', async ({ page }) => {
  await page.getByRole('link', { name: 'Keep your access tokens secure' }).click();
  await page.waitForURL('**/settings/api/security');
  await expect(page.getByRole('heading', { level: 1, name: 'Keep your access tokens secure' })).toBeVisible();
  await expect(page.getByText('reset it immediately')).toBeVisible();
  await expectAccessible(page);
});

test('a token of nobody in this account is a 404 page', async ({ page }) => {
  const reply = await page.goto(`/settings/api/tokens/TS${'x'.repeat(32)}`);
  expect(reply?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Token not found' })).toBeVisible();
});

test.describe('roles', () => {
  test.use({ storageState: undefined });
  test('an analyst gets the no-access page for a token', async ({ browser }) => {
    const context = await browser.newContext();
    const admin = await context.newPage();
    await signIn(admin, USERS.admin);
    const token = await makeToken(admin, uniqueName('Private'));
    const other = await browser.newContext();
    const analyst = await other.newPage();
    await signIn(analyst, USERS.analyst);
    const reply = await analyst.goto(`/settings/api/tokens/${token.sid}`);
    expect(reply?.status()).toBe(403);
    await expect(analyst.getByText("You don't have access to this page.")).toBeVisible();
    await context.close();
    await other.close();
  });
});
