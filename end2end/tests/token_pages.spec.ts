import { expect, test, type Page } from '@playwright/test';
import { CEDAR, hydrated, PASSWORD, signIn } from './helpers';

// One account (Cedar, seeded by scripts/test) holds 120 tokens, "Cedar 001" to "Cedar 120".
test.describe.configure({ mode: 'serial' });

const COUNT = 120;
const name = (n: number) => `Cedar ${String(n).padStart(3, '0')}`;

function cards(page: Page) {
  return page.getByRole('list', { name: 'Access tokens' }).getByRole('heading');
}

function pager(page: Page) {
  return page.getByRole('navigation', { name: 'Pages' });
}

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page, CEDAR);
  const contacts = await (await page.request.post('/api/list_contacts')).json();
  const contact = contacts.find((c: { email: string }) => c.email === CEDAR.email).id;
  // Oldest first, so the list (newest first) starts at Cedar 120. A retry finds the names
  // taken (409) and goes on.
  for (let n = 1; n <= COUNT; n++) {
    const draft = {
      step: 'Review',
      name: name(n),
      description: '',
      api_version: 14,
      primary_contact: contact,
      developer_emails: [],
      scopes: ['reports:get'],
      open_categories: ['reports'],
    };
    const reply = await page.request.post('/api/create_token', { data: { draft } });
    expect([200, 409], await reply.text()).toContain(reply.status());
  }
  await page.close();
});

test.describe('with JavaScript', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, CEDAR);
  });

  test('the list shows fifty a page, with page links in the URL', async ({ page }) => {
    await expect(page.getByText('Showing 1–50 of 120 tokens')).toBeVisible();
    await expect(cards(page)).toHaveCount(50);
    await expect(cards(page).first()).toHaveText(name(120));
    await expect(pager(page).getByText('Page 1 of 3')).toBeVisible();
    await expect(pager(page).getByRole('link', { name: 'Previous' })).toHaveCount(0);

    await pager(page).getByRole('link', { name: 'Next' }).click();
    await page.waitForURL(/\?page=2$/);
    await expect(cards(page).first()).toHaveText(name(70));
    await expect(page.getByText('Showing 51–100 of 120 tokens')).toBeVisible();

    await pager(page).getByRole('link', { name: 'Last' }).click();
    await page.waitForURL(/\?page=3$/);
    await expect(cards(page)).toHaveCount(20);
    await expect(cards(page).last()).toHaveText(name(1));
    await expect(pager(page).getByRole('link', { name: 'Next' })).toHaveCount(0);

    await pager(page).getByRole('link', { name: 'First' }).click();
    await page.waitForURL(/\/settings\/api$/);
    await expect(cards(page).first()).toHaveText(name(120));
  });

  test('filters page over the matching tokens and keep the filter in every link', async ({ page }) => {
    await page.getByLabel('Search by name').fill('cedar 0');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/q=cedar\+0/);
    await expect(page.getByText('Showing 1–50 of 99 matching tokens (120 in all)')).toBeVisible();
    await pager(page).getByRole('link', { name: 'Next' }).click();
    await page.waitForURL(/q=cedar\+0&page=2/);
    await expect(cards(page)).toHaveCount(49);
    await expect(cards(page).last()).toHaveText(name(1));
    await expect(page.getByLabel('Search by name')).toHaveValue('cedar 0');
  });

  test('a page past the end shows the last; a page that is not a number is reported', async ({ page }) => {
    await page.goto('/settings/api?page=9');
    await hydrated(page);
    await expect(page.getByText('There is no page 9: this is the last page, 3.')).toBeVisible();
    await expect(cards(page)).toHaveCount(20);
    await page.goto('/settings/api?page=abc');
    await expect(page.getByText("Ignored a filter this page doesn't know: page=abc.")).toBeVisible();
    await expect(cards(page).first()).toHaveText(name(120));
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('page links work as plain links', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('Email').fill(CEDAR.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.goto('/settings/api');
    await pager(page).getByRole('link', { name: 'Next' }).click();
    await page.waitForURL(/\?page=2$/);
    await expect(page.getByText('Showing 51–100 of 120 tokens')).toBeVisible();
    await expect(cards(page).first()).toHaveText(name(70));
  });
});
