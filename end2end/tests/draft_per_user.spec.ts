import { expect, test, type Page } from '@playwright/test';
import { hydrated, signIn, USERS } from './helpers';
import { openWizard, uniqueName } from './wizard_helpers';

// Two people on one browser: the wizard's unfinished draft is kept per account and user,
// and Sign out removes it, so nobody is ever shown another person's draft.

const PREFIX = 'tokensmith.create-token-draft';

/** Every saved draft in this browser, by key. */
async function savedDrafts(page: Page): Promise<Record<string, string>> {
  return page.evaluate((prefix) => {
    const drafts: Record<string, string> = {};
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)!;
      if (key.startsWith(prefix)) drafts[key] = localStorage.getItem(key) ?? '';
    }
    return drafts;
  }, PREFIX);
}

/** Whether any saved draft in this browser mentions `text`. */
async function anyDraftMentions(page: Page, text: string): Promise<boolean> {
  return Object.values(await savedDrafts(page)).some((draft) => draft.includes(text));
}

async function typeDraft(page: Page, name: string): Promise<void> {
  await openWizard(page);
  await page.getByLabel('Token Name').fill(name);
  await page.getByLabel('Description').fill(`Private notes of ${name}`);
  await expect.poll(() => anyDraftMentions(page, name)).toBe(true);
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login');
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
}

async function expectEmptyWizard(page: Page): Promise<void> {
  await openWizard(page);
  await expect(page.getByLabel('Token Name')).toHaveValue('');
  await expect(page.getByLabel('Description')).toHaveValue('');
  await expect(page.getByText('Your saved draft could not be read')).toHaveCount(0);
}

test('Sign out removes the draft; the next user on the browser starts empty', async ({ page }) => {
  const name = uniqueName('Admin draft');
  await signIn(page, USERS.admin);
  await typeDraft(page, name);

  await signOut(page);
  expect(await anyDraftMentions(page, name)).toBe(false);

  await signIn(page, USERS.specialist);
  await expectEmptyWizard(page);
  await expect(page.getByText(name)).toHaveCount(0);
  await signOut(page);

  // Sign-out removed the draft for good: the admin starts over too.
  await signIn(page, USERS.admin);
  await expectEmptyWizard(page);
  expect(await anyDraftMentions(page, name)).toBe(false);
});

test('a draft left without signing out stays its owner\'s alone', async ({ page, context }) => {
  const adminDraft = uniqueName('Left behind');
  await signIn(page, USERS.admin);
  await typeDraft(page, adminDraft);

  // The admin walks away; the session ends without Sign out (the cookie is gone).
  await context.clearCookies();
  await signIn(page, USERS.specialist);
  await expectEmptyWizard(page);
  const specialistDraft = uniqueName('Specialist draft');
  await page.getByLabel('Token Name').fill(specialistDraft);
  await expect.poll(() => anyDraftMentions(page, specialistDraft)).toBe(true);
  // Two users, two keys: neither draft overwrote the other.
  expect(Object.keys(await savedDrafts(page))).toHaveLength(2);
  await signOut(page);
  expect(await anyDraftMentions(page, specialistDraft)).toBe(false);

  // The admin comes back to their own draft, and only theirs.
  await signIn(page, USERS.admin);
  await openWizard(page);
  await expect(page.getByLabel('Token Name')).toHaveValue(adminDraft);
  await expect(page.getByText(specialistDraft)).toHaveCount(0);
  await signOut(page);
  expect(await savedDrafts(page)).toEqual({});
});

test('a draft under the old shared key is never shown and is removed', async ({ page }) => {
  await signIn(page, USERS.specialist);
  await page.evaluate(
    (key) => localStorage.setItem(key, JSON.stringify({ name: 'Someone else\u2019s draft' })),
    PREFIX,
  );
  await expectEmptyWizard(page);
  await expect.poll(() => page.evaluate((key) => localStorage.getItem(key), PREFIX)).toBeNull();
});
