import { expect, test, type Page } from '@playwright/test';
import { hydrated, KIWI, LEAVER, signIn, USERS } from './helpers';
import { contactId, makeToken, openToken } from './token_helpers';

// Home says what needs the people who manage tokens (issue 30): each item a link to the
// token list filtered to it, its count the rows of that list; then the latest activity.

/** `YYYY-MM-DD`, `days` from today (UTC). */
function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The number an item of Needs attention shows, and the rows of the list it links to. */
async function countAndRows(page: Page, label: string): Promise<[number, number]> {
  await page.goto('/');
  await hydrated(page);
  const attention = page.getByRole('region', { name: 'Needs attention' });
  const link = attention.getByRole('link', { name: new RegExp(`^\\d+ ${label}$`) });
  const count = Number((await link.locator('.attention-count').textContent())?.trim());
  await link.click();
  await page.waitForURL((url) => url.search.includes('state='));
  await hydrated(page);
  const rows = label === 'Pending requests'
    ? page.getByRole('region', { name: 'Token requests table' }).locator('tbody tr')
    : page.getByRole('list', { name: 'Access tokens' }).locator(':scope > li');
  if (count === 0) {
    await expect(page.getByText(/No tokens match these filters|No requests here/)).toBeVisible();
  }
  return [count, await rows.count()];
}

test('each item on home counts the rows of the list it links to', async ({ page }) => {
  await signIn(page, KIWI);
  const stamp = Date.now();
  const soon = { OnDate: { date: inDays(3), utc_offset_minutes: 0 } };
  await makeToken(page, `Soon A ${stamp}`, { expiration: soon, contact: KIWI.email });
  await makeToken(page, `Soon B ${stamp}`, { expiration: soon, contact: KIWI.email });
  const leaver = await contactId(page, LEAVER.email);
  await makeToken(page, `Leaver's ${stamp}`, { contact: LEAVER.email });
  const plain = await makeToken(page, `Plain ${stamp}`, { contact: KIWI.email });
  const disabled = await page.request.post('/api/change_user', { data: { user_id: leaver, change: 'Disable' } });
  expect(disabled.status(), await disabled.text()).toBe(200);

  const expected: Record<string, number> = {
    'Expiring within 7 days': 2,
    'Unused for 30 days': 0,
    'Primary contact disabled': 1,
    'Near its quota': 0,
    'Pending requests': 0,
  };
  for (const [label, want] of Object.entries(expected)) {
    const [count, rows] = await countAndRows(page, label);
    expect(rows, `${label}: the list's rows`).toBe(count);
    expect(count, label).toBe(want);
  }

  await page.goto('/');
  // The account's API access is off: home says so first, and links to the switch.
  const attention = page.getByRole('region', { name: 'Needs attention' });
  await expect(attention.getByRole('link', { name: 'API access is off' })).toHaveAttribute('href', '/settings/api');
  // The latest event of Activity is the user disabled; the token made before it follows.
  const recent = page.getByRole('region', { name: 'Recent activity' });
  await expect(recent.getByRole('listitem').first()).toContainText(LEAVER.name);
  // Its time is written in UTC by the server; once the page is live, hovering shows it in
  // the user's own zone and language (Chromium here: a date with a four-digit year).
  await hydrated(page);
  const when = recent.getByRole('listitem').first().locator('time');
  await expect(when).toHaveAttribute('title', /\d{4}/);
  expect(await when.getAttribute('title')).not.toBe(await when.textContent());
  await expect(recent.getByRole('link', { name: plain.name })).toHaveAttribute('href', `/settings/api/tokens/${plain.sid}`);
  await recent.getByRole('link', { name: 'See all activity' }).click();
  await expect(page.getByRole('heading', { name: 'Activity', level: 1 })).toBeVisible();
});

test('an Analyst\'s home says what they have and who to ask, with nothing to act on', async ({ page }) => {
  await signIn(page, USERS.analyst);
  await page.goto('/');
  await expect(page.getByRole('region', { name: 'Needs attention' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Recent activity' })).toHaveCount(0);
  const help = page.getByRole('region', { name: 'API access tokens' });
  await expect(help.getByRole('link', { name: new RegExp(USERS.admin.name) })).toHaveAttribute('href', `mailto:${USERS.admin.email}`);
  await expect(page.getByRole('region', { name: 'Where you can go' })).toBeVisible();
});

for (const [width, height] of [[390, 844], [1280, 900]]) {
  test(`at ${width} px a token page's first screen shows its state, expiry, last use and actions`, async ({ page }) => {
    await signIn(page, USERS.admin);
    const token = await makeToken(page, `First screen ${Date.now()}`);
    await page.setViewportSize({ width, height });
    await openToken(page, token.sid);
    const main = page.getByRole('main');
    for (const shown of [
      main.getByText('Enabled', { exact: true }),
      main.getByText('Expiration', { exact: true }),
      main.getByText('Last used', { exact: true }),
      main.getByText('Calls in the last 7 days', { exact: true }),
      main.getByRole('button', { name: 'Copy Token SID' }),
      main.getByRole('button', { name: 'Disable' }),
      main.getByRole('button', { name: 'Delete' }),
    ]) {
      await expect(shown).toBeInViewport();
    }
    // Usage is one click from the top, and the click is in the URL.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Usage' }).click();
    await expect(page).toHaveURL(new RegExp(`/settings/api/tokens/${token.sid}#usage$`));
    await expect(page.getByRole('heading', { name: 'Usage', level: 2 })).toBeInViewport();
  });
}

test('a token page\'s section opens from its URL', async ({ page }) => {
  await signIn(page, USERS.admin);
  const token = await makeToken(page, `Sections ${Date.now()}`);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/settings/api/tokens/${token.sid}#history`);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'History', level: 2 })).toBeInViewport();
  await expect(page.getByRole('heading', { name: 'Overview', level: 2 })).not.toBeInViewport();
});
