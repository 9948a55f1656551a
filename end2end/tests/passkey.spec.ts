import { expect, test, type Page } from '@playwright/test';
import { consoleErrors, hydrated, PASSWORD, signIn } from './helpers';
import { expectAccessible } from './wizard_helpers';
import { passwordStep } from './second_factor_helpers';

/** Made by scripts/test for this test alone: it adds passkeys to this user. */
const PASSKEY_USER = { email: 'passkey@acme.test', name: 'Kit Passkey', role: 'Analyst' } as const;

// Browsers refuse an IP address as a passkey's relying party: the console is opened at
// localhost, the name the server's passkeys are bound to (TOKENSMITH_PUBLIC_URL).
test.use({
  baseURL: (() => {
    const url = new URL(process.env.BASE_URL ?? 'http://127.0.0.1:3000');
    url.hostname = 'localhost';
    return url.origin;
  })(),
});

/** A platform authenticator in Chromium (CDP WebAuthn), that verifies its user at once. */
async function virtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}

async function openSecurity(page: Page): Promise<void> {
  await page.goto('/settings/security');
  await expect(page.getByRole('heading', { level: 1, name: 'Security' })).toBeVisible();
  await hydrated(page);
}

test('a passkey: added on Security, signs in alone, serves after the password, is removed', async ({ page }) => {
  const errors = consoleErrors(page);
  await virtualAuthenticator(page);
  await signIn(page, PASSKEY_USER);
  await openSecurity(page);
  const card = page.getByRole('region', { name: 'Passkeys' });
  await expect(card.getByText('You have no passkeys.')).toBeVisible();

  // A name is required before the browser is even asked.
  await card.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(card.getByRole('alert')).toContainText('Give the passkey a name');

  // The first passkey is the user's first factor: it brings 10 recovery codes, shown once.
  await card.getByLabel('Passkey name').fill('Work laptop');
  await card.getByRole('button', { name: 'Add a passkey' }).click();
  const codes = card.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(codes).toHaveCount(10);
  await expectAccessible(page);
  await card.getByRole('link', { name: 'I have saved my recovery codes' }).click();
  await expect(card.getByText('Work laptop', { exact: true })).toBeVisible();
  await expect(card.getByText(/Added .*\. Never used\./)).toBeVisible();
  await expect(page.getByText('10 of 10 unused.')).toBeVisible();

  // Signed out, the passkey alone signs in (a discoverable credential: no email typed).
  await page.context().clearCookies();
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await openSecurity(page);
  await expect(card.getByText(/Last used /)).toBeVisible();

  // The password alone no longer signs in: the passkey is asked for after it.
  await page.context().clearCookies();
  await passwordStep(page, PASSKEY_USER);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Use a passkey' }).click();
  await page.waitForURL((url) => url.pathname === '/');

  // Rename, then remove it: the password alone signs in again.
  await openSecurity(page);
  await card.getByLabel('New name for Work laptop').fill('Old laptop');
  await card.getByRole('button', { name: 'Rename' }).click();
  await expect(card.getByText('Old laptop', { exact: true })).toBeVisible();
  await card.getByRole('button', { name: 'Remove Old laptop' }).click();
  await expect(card.getByText('You have no passkeys.')).toBeVisible();
  await expect(page.getByText('You get 10 recovery codes when you add a second factor')).toBeVisible();
  await page.context().clearCookies();
  await signIn(page, PASSKEY_USER);
  // The one refusal the test asked for (a passkey without a name) is the only error logged.
  expect(errors.filter((e) => !e.includes('status of 422'))).toEqual([]);
});

test('a passkey this console does not know is refused with a clear message', async ({ page }) => {
  await virtualAuthenticator(page);
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  // The authenticator holds no credential for this site: the browser gives up, and says so.
  await expect(page.getByRole('alert')).toContainText(/cancelled or timed out|isn't registered/);
  await expect(page).toHaveURL(/\/login$/);
  // The password still works.
  await page.getByLabel('Email').fill(PASSKEY_USER.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
});
