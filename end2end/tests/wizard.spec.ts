import { expect, test } from '@playwright/test';
import { consoleErrors, hydrated, signIn, USERS } from './helpers';
import {
  category,
  categorySwitch,
  draftSaved,
  expectAccessible,
  next,
  openWizard,
  reachScopes,
  uniqueName,
} from './wizard_helpers';

test.beforeEach(async ({ page }) => {
  await signIn(page, USERS.admin);
});

test('the whole wizard with the keyboard alone, then the token is listed', async ({ page }) => {
  const errors = consoleErrors(page);
  const name = uniqueName('Keyboard');
  await page.getByRole('link', { name: 'Create Access Token' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL('**/settings/api/tokens/new');
  await hydrated(page);

  await page.getByLabel('Token Name').focus();
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await page.keyboard.type('Made by the keyboard test');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('API Version')).toBeFocused();
  await expect(page.getByLabel('API Version')).toHaveValue('14');
  await page.getByLabel('Token Name').focus();
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { name: 'Contact Information' })).toBeVisible();
  await page.getByLabel('Primary Contact').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByLabel('Primary Contact')).not.toHaveValue('');
  await page.getByLabel('Developer email', { exact: true }).focus();
  await page.keyboard.type('dev@partner.test');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('list', { name: 'Developer emails' })).toContainText('dev@partner.test');
  await page.getByRole('button', { name: 'Next' }).focus();
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { name: 'API Scopes' })).toBeVisible();
  await categorySwitch(page, 'Reports').focus();
  await page.keyboard.press('Space');
  await category(page, 'Reports').getByRole('checkbox', { name: 'GET' }).focus();
  await page.keyboard.press('Space');
  await categorySwitch(page, 'Actions').focus();
  await page.keyboard.press('Space');
  await category(page, 'Actions').getByRole('checkbox', { name: 'DELETE' }).focus();
  await page.keyboard.press('Space');
  await expect(page.getByText('2 scopes selected')).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).focus();
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { name: 'Review and Create' })).toBeVisible();
  await expect(page.getByText(name)).toBeVisible();
  await expect(page.getByText('DELETE (delete)')).toBeVisible();
  await expect(page.getByText('GET (read)')).toBeVisible();
  await page.getByRole('button', { name: 'Create' }).focus();
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { name: `Token "${name}" created` })).toBeVisible();
  await expect(page.getByText("It can't be shown again")).toBeVisible();
  const sid = (await page.getByLabel('Token SID', { exact: true }).textContent())?.trim() ?? '';
  const secret = (await page.getByLabel('Auth Token', { exact: true }).textContent())?.trim() ?? '';
  expect(sid).toMatch(/^TS[A-Za-z0-9]{32}$/);
  expect(secret).toMatch(/^tsm_[A-Za-z0-9]{36}$/);
  await expect(page.getByRole('button', { name: 'Copy Token SID' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy Auth Token' })).toBeVisible();
  // The security advice opens beside the secret, which stays shown.
  const opened = page.context().waitForEvent('page');
  await page.getByRole('link', { name: 'Keep your access tokens secure (opens in a new tab)' }).focus();
  await page.keyboard.press('Enter');
  const advice = await opened;
  await expect(advice.getByRole('heading', { level: 1, name: 'Keep your access tokens secure' })).toBeVisible();
  await advice.close();
  await expect(page.getByLabel('Auth Token', { exact: true })).toHaveText(secret);

  await page.getByRole('button', { name: 'Done' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL('**/settings/api');
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name }) });
  await expect(card).toContainText('Made by the keyboard test');
  await expect(card).toContainText('v14');
  await expect(card).toContainText('Enabled');
  await expect(card).toContainText('Alex Morgan <admin@acme.test>');
  await expect(card).toContainText('never');
  expect(await page.content()).not.toContain(secret);

  // The draft went with the Create: a new wizard starts empty.
  await openWizard(page);
  await expect(page.getByLabel('Token Name')).toHaveValue('');
  expect(errors).toEqual([]);
});

test('Next is blocked on Setup by each kind of error, shown beside the field', async ({ page }) => {
  await openWizard(page);
  await expect(page.getByText('Enter at least 3 characters.')).toHaveCount(0);
  await next(page);
  await expect(page.getByRole('heading', { name: 'Setup' })).toBeVisible();
  await expect(page.getByLabel('Token Name')).toBeFocused();
  await expect(page.getByLabel('Token Name')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Enter at least 3 characters.')).toBeVisible();

  await page.getByLabel('Token Name').fill('x'.repeat(65));
  await expect(page.getByText('Use at most 64 characters.')).toBeVisible();
  await page.getByLabel('Token Name').fill('Fine name');
  await page.getByLabel('Description').fill('d'.repeat(501));
  await page.getByLabel('Description').blur();
  await expect(page.getByText('Use at most 500 characters.')).toBeVisible();
  await next(page);
  await expect(page.getByRole('heading', { name: 'Setup' })).toBeVisible();
  await expect(page.getByLabel('Description')).toBeFocused();
});

test('an error shows when the user leaves a field they typed in, not before', async ({ page }) => {
  await openWizard(page);
  await page.getByLabel('Token Name').focus();
  await page.getByLabel('Description').focus();
  await expect(page.getByText('Enter at least 3 characters.')).toHaveCount(0);
  await page.getByLabel('Token Name').fill('ab');
  await expect(page.getByText('Enter at least 3 characters.')).toHaveCount(0);
  await page.getByLabel('Token Name').blur();
  await expect(page.getByText('Enter at least 3 characters.')).toBeVisible();
});

test('Next is blocked on Contact Information without a primary contact; bad developer emails are refused', async ({ page }) => {
  await openWizard(page);
  await page.getByLabel('Token Name').fill(uniqueName());
  await next(page);
  await next(page);
  await expect(page.getByRole('heading', { name: 'Contact Information' })).toBeVisible();
  await expect(page.getByText('Choose a primary contact.')).toBeVisible();
  await expect(page.getByLabel('Primary Contact')).toBeFocused();

  const email = page.getByLabel('Developer email', { exact: true });
  await email.fill('not-an-email');
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByText('Enter an email address like name@example.com.')).toBeVisible();
  await email.fill('dev@partner.test');
  await page.getByRole('button', { name: 'Add' }).click();
  await email.fill('DEV@partner.test');
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByText('That address is already in the list.')).toBeVisible();
  const list = page.getByRole('list', { name: 'Developer emails' });
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await page.getByRole('button', { name: 'Remove dev@partner.test' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(0);

  await page.getByLabel('Primary Contact').selectOption({ label: 'Sam Rivera <specialist@acme.test>' });
  await expect(page.getByText('Choose a primary contact.')).toHaveCount(0);
  await next(page);
  await expect(page.getByRole('heading', { name: 'API Scopes' })).toBeVisible();
});

test('Next is blocked on API Scopes until a scope is chosen', async ({ page }) => {
  await reachScopes(page);
  await next(page);
  await expect(page.getByRole('heading', { name: 'API Scopes' })).toBeVisible();
  await expect(page.getByText('Choose at least one scope.')).toBeVisible();
  await categorySwitch(page, 'Clicks').check();
  await category(page, 'Clicks').getByRole('checkbox', { name: 'GET' }).check();
  await expect(page.getByText('Choose at least one scope.')).toHaveCount(0);
  await next(page);
  await expect(page.getByRole('heading', { name: 'Review and Create' })).toBeVisible();
});

test('a category switch enables its checkboxes, and off clears them', async ({ page }) => {
  await reachScopes(page);
  const actions = category(page, 'Actions');
  await expect(actions.getByRole('checkbox', { name: 'GET' })).toBeDisabled();
  await categorySwitch(page, 'Actions').check();
  await expect(actions.getByRole('checkbox', { name: 'GET' })).toBeEnabled();
  await actions.getByRole('checkbox', { name: 'GET' }).check();
  await actions.getByRole('checkbox', { name: 'DELETE' }).check();
  await expect(page.getByText('2 scopes selected')).toBeVisible();
  await categorySwitch(page, 'Actions').uncheck();
  await expect(actions.getByRole('checkbox', { name: 'GET' })).not.toBeChecked();
  await expect(actions.getByRole('checkbox', { name: 'GET' })).toBeDisabled();
  await expect(page.getByText('0 scopes selected')).toBeVisible();

  await categorySwitch(page, 'Exception Lists').check();
  await page.getByRole('button', { name: 'Select all in Exception Lists' }).click();
  await expect(page.getByText('5 scopes selected')).toBeVisible();
});

test('Clear All, the filter and the presets', async ({ page }) => {
  await reachScopes(page);
  await page.getByRole('button', { name: 'Read only: everything' }).click();
  await expect(page.getByText('25 scopes selected')).toBeVisible();
  await expect(category(page, 'Deals').getByRole('checkbox', { name: 'GET' })).toBeChecked();
  await expect(category(page, 'Deals').getByRole('checkbox', { name: 'POST' })).not.toBeChecked();
  await page.getByRole('button', { name: 'Clear All' }).click();
  await expect(page.getByText('0 scopes selected')).toBeVisible();
  await expect(categorySwitch(page, 'Deals')).not.toBeChecked();

  await page.getByRole('button', { name: 'Catalog sync' }).click();
  await expect(page.getByText('5 scopes selected')).toBeVisible();
  await expect(category(page, 'Catalogs').getByRole('checkbox', { name: 'DELETE' })).toBeChecked();
  await page.getByRole('button', { name: 'Reporting' }).click();
  await expect(page.getByText('6 scopes selected')).toBeVisible();

  await page.getByLabel('Filter categories').fill('promo');
  await expect(page.getByRole('switch')).toHaveCount(2);
  await expect(categorySwitch(page, 'Promo Codes')).toBeVisible();
  await page.getByLabel('Filter categories').fill('zzz');
  await expect(page.getByText('No category matches the filter.')).toBeVisible();
  await page.getByLabel('Filter categories').fill('');
  await expect(page.getByRole('switch')).toHaveCount(29);
});

test('a reload on API Scopes restores every field and the step', async ({ page }) => {
  await openWizard(page);
  const name = uniqueName('Reloaded');
  await page.getByLabel('Token Name').fill(name);
  await page.getByLabel('Description').fill('Survives a reload');
  await page.getByLabel('API Version').selectOption('12');
  await next(page);
  await page.getByLabel('Primary Contact').selectOption({ label: 'Sam Rivera <specialist@acme.test>' });
  await page.getByLabel('Developer email', { exact: true }).fill('dev@partner.test');
  await page.getByRole('button', { name: 'Add' }).click();
  await next(page);
  await categorySwitch(page, 'Deals').check();
  await category(page, 'Deals').getByRole('checkbox', { name: 'PUT' }).check();
  await draftSaved(page, (draft) => draft.includes('deals:put') && draft.includes('dev@partner.test'));

  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'API Scopes' })).toBeVisible();
  await expect(category(page, 'Deals').getByRole('checkbox', { name: 'PUT' })).toBeChecked();
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByLabel('Primary Contact')).toHaveValue(/\d+/);
  await expect(page.getByLabel('Primary Contact').locator('option:checked')).toHaveText('Sam Rivera <specialist@acme.test>');
  await expect(page.getByRole('list', { name: 'Developer emails' })).toContainText('dev@partner.test');
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByLabel('Token Name')).toHaveValue(name);
  await expect(page.getByLabel('Description')).toHaveValue('Survives a reload');
  await expect(page.getByLabel('API Version')).toHaveValue('12');
});

test('Discard draft empties the wizard, also after a reload', async ({ page }) => {
  await openWizard(page);
  await page.getByLabel('Token Name').fill('To be discarded');
  await draftSaved(page, (draft) => draft.includes('To be discarded'));
  await page.getByRole('button', { name: 'Discard draft' }).click();
  await expect(page.getByLabel('Token Name')).toHaveValue('');
  await draftSaved(page, (draft) => !draft.includes('To be discarded'));
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel('Token Name')).toHaveValue('');
});

test('an unreadable saved draft is dropped with a notice', async ({ page }) => {
  await openWizard(page);
  // The draft's key is the signed-in user's own: find it by saving something first.
  await page.getByLabel('Token Name').fill('Soon unreadable');
  const draftKey = () =>
    page.evaluate(() =>
      Object.keys(localStorage).find((key) => key.startsWith('tokensmith.create-token-draft.')) ?? null,
    );
  await expect.poll(draftKey).not.toBeNull();
  const key = (await draftKey())!;
  await page.evaluate((key) => localStorage.setItem(key, '{"step":"Elsewhere"'), key);
  await page.reload();
  await hydrated(page);
  await expect(page.getByText('Your saved draft could not be read')).toBeVisible();
  await expect(page.getByLabel('Token Name')).toHaveValue('');
  expect(await page.evaluate((key) => localStorage.getItem(key), key)).toBeNull();
});

test('a duplicate name comes back as an error on Token Name', async ({ page }) => {
  const name = await reachScopes(page, uniqueName('Twice'));
  await categorySwitch(page, 'Clicks').check();
  await category(page, 'Clicks').getByRole('checkbox', { name: 'GET' }).check();
  await next(page);
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { name: `Token "${name}" created` })).toBeVisible();

  await reachScopes(page, name.toUpperCase());
  await categorySwitch(page, 'Clicks').check();
  await category(page, 'Clicks').getByRole('checkbox', { name: 'GET' }).check();
  await next(page);
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { name: 'Setup' })).toBeVisible();
  await expect(page.getByText('A token with this name already exists. Choose another name.')).toBeVisible();
  await expect(page.getByLabel('Token Name')).toBeFocused();
  await expect(page.getByLabel('Token Name')).toHaveValue(name.toUpperCase());
});

test('no serious accessibility violations on any step', async ({ page }) => {
  await openWizard(page);
  await expectAccessible(page);
  await next(page);
  await expectAccessible(page);
  await page.getByLabel('Token Name').fill(uniqueName('Axe'));
  await next(page);
  await expectAccessible(page);
  await page.getByLabel('Primary Contact').selectOption({ index: 1 });
  await next(page);
  await categorySwitch(page, 'Reports').check();
  await category(page, 'Reports').getByRole('checkbox', { name: 'GET' }).check();
  await expectAccessible(page);
  await next(page);
  await expect(page.getByRole('heading', { name: 'Review and Create' })).toBeVisible();
  await expectAccessible(page);
});

test('roles without access get the 403 page for the wizard', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, USERS.analyst);
  const response = await page.goto('/settings/api/tokens/new');
  expect(response?.status()).toBe(403);
  await expect(page.getByText("You don't have access to this page.")).toBeVisible();
  await context.close();
});
