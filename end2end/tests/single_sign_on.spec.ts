import { expect, test, type Page } from '@playwright/test';
import { consoleErrors, hydrated, PASSWORD } from './helpers';
import { expectAccessible } from './wizard_helpers';

/** Made by scripts/test: an account for this test alone, and a member of it. */
const FIR_ADMIN = { email: 'admin@fir.test', name: 'Fran Fir' } as const;
const FIR_MEMBER = { email: 'kim@fir.test', name: 'Kim Fir' } as const;

/** The test OpenID provider scripts/test starts (npm oidc-provider). */
const ISSUER = process.env.OIDC_ISSUER ?? 'http://127.0.0.1:4400';
const CLIENT_SECRET = 'oidc-client-secret-for-tests';

// The provider sends the browser back to the console's public address: localhost.
test.use({
  baseURL: (() => {
    const url = new URL(process.env.BASE_URL ?? 'http://127.0.0.1:3000');
    url.hostname = 'localhost';
    return url.origin;
  })(),
});
// One provider, one account signed in at a time: these tests take turns.
test.describe.configure({ mode: 'serial' });

/** Who the provider signs in next, and whether its ID tokens lie. */
async function provider(page: Page, account: string, mischief = ''): Promise<void> {
  for (const path of [`/__test/login-as?account=${account}`, `/__test/mischief?kind=${mischief}`]) {
    expect((await page.request.get(`${ISSUER}${path}`)).ok()).toBe(true);
  }
}

async function passwordSignIn(page: Page, email: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** From the sign-in page, through the provider and back. */
async function singleSignOn(page: Page, typed: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto('/login');
  await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
  await page.getByLabel('Account SID or email').fill(typed);
  await page.getByRole('button', { name: 'Continue' }).click();
}

async function ssoCard(page: Page) {
  await page.goto('/settings/users');
  await hydrated(page);
  return page.getByRole('region', { name: 'Single sign-on' });
}

test('an administrator sets up single sign-on; a member signs in through the provider, a stranger is refused', async ({ page }) => {
  const errors = consoleErrors(page);
  await passwordSignIn(page, FIR_ADMIN.email);
  await page.waitForURL((url) => url.pathname === '/');
  const card = await ssoCard(page);
  await card.getByLabel('Issuer URL').fill(ISSUER);
  await card.getByLabel('Client ID').fill('tokensmith');
  await card.getByLabel('Client secret').fill(CLIENT_SECRET);
  await card.getByRole('button', { name: 'Save single sign-on' }).click();
  await expect(card.getByText('Sign-in link to share')).toBeVisible();
  await expect(card.getByLabel('Issuer URL')).toHaveValue(ISSUER);
  await expect(card.getByLabel('Client secret')).toHaveValue('');
  await expectAccessible(page);

  // A member of the account, by the email the provider verified.
  await provider(page, FIR_MEMBER.email);
  await singleSignOn(page, FIR_MEMBER.email);
  await page.waitForURL((url) => url.pathname === '/');
  await expect(page.getByRole('banner').getByText(FIR_MEMBER.name)).toBeVisible();

  // Someone the provider knows and this account doesn't: a clear page, no session.
  await provider(page, 'stranger@example.test');
  await singleSignOn(page, FIR_MEMBER.email);
  await expect(page.getByRole('alert')).toContainText('has no Tokensmith user');
  await expect(page.getByRole('heading', { name: 'Sign in with single sign-on' })).toBeVisible();
  await expectAccessible(page);
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);

  // A provider whose token isn't signed by its key is refused, however real the rest.
  await provider(page, FIR_MEMBER.email, 'signature');
  await singleSignOn(page, FIR_MEMBER.email);
  await expect(page.getByRole('alert')).toContainText("signature is not the provider's");
  await provider(page, FIR_MEMBER.email);
  expect(errors.filter((e) => !/status of 40[13]/.test(e))).toEqual([]);
});

test('Require single sign-on turns passwords off, but for the break-glass administrator', async ({ page }) => {
  await passwordSignIn(page, FIR_ADMIN.email);
  await page.waitForURL((url) => url.pathname === '/');
  const card = await ssoCard(page);
  await card.getByLabel('Require single sign-on').check();
  await card.getByLabel('Break-glass administrator').selectOption({ label: `${FIR_ADMIN.name} (${FIR_ADMIN.email})` });
  await card.getByRole('button', { name: 'Save single sign-on' }).click();
  await expect(card.getByLabel('Require single sign-on')).toBeChecked();

  await page.context().clearCookies();
  await passwordSignIn(page, FIR_MEMBER.email);
  await expect(page.getByRole('alert')).toContainText('Your account signs in with single sign-on');
  await expect(page).toHaveURL(/\/login$/);

  // The member still signs in through the provider; the administrator with a password.
  await provider(page, FIR_MEMBER.email);
  await singleSignOn(page, FIR_MEMBER.email);
  await page.waitForURL((url) => url.pathname === '/');
  await page.context().clearCookies();
  await passwordSignIn(page, FIR_ADMIN.email);
  await page.waitForURL((url) => url.pathname === '/');
});
