import { expect, test } from '@playwright/test';
import { atHome, consoleErrors, hydrated, PASSWORD, ROAMING, signIn, USERS } from './helpers';

for (const user of Object.values(USERS)) {
  test(`${user.role} signs in and sees their name, role and account`, async ({ page }) => {
    const errors = consoleErrors(page);
    await signIn(page, user);
    const header = page.getByRole('banner');
    await expect(header).toContainText(user.name);
    await expect(header).toContainText(user.role);
    await expect(header).toContainText('Acme Outdoor');
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    // Every role lands on a page it may see: nothing fails.
    expect(errors).toEqual([]);
  });
}

test('a wrong password is refused with one message', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(USERS.admin.email);
  await page.getByLabel('Password').fill('not-the-password');
  const response = page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  expect((await response).status()).toBe(401);
  await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.');
  await expect(page.getByLabel('Email')).toHaveValue(USERS.admin.email);
  // The form still works after a failure.
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await atHome(page);
});

test('the sign-in page downloads no app code, only the passkey button\'s small script; the page after it its controls\' script', async ({ page }) => {
  const code: string[] = [];
  const sizes = new Map<string, number>();
  page.on('request', (request) => {
    if (/\.(js|wasm)$/.test(new URL(request.url()).pathname)) code.push(request.url());
  });
  page.on('response', async (response) => {
    if (new URL(response.url()).pathname === '/passkey.js') {
      sizes.set('passkey.js', Number(response.headers()['content-length'] ?? (await response.body()).length));
    }
  });
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(code.map((url) => new URL(url).pathname)).toEqual(['/passkey.js']);
  // Under 5 KB even uncompressed: /login stays light.
  expect(sizes.get('passkey.js')).toBeLessThan(5_000);
  await page.getByLabel('Email').fill(USERS.admin.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await atHome(page);
  await hydrated(page);
  // Home has no island: its controls' small script, and no wasm.
  expect(code.some((url) => new URL(url).pathname === '/enhance.js')).toBe(true);
  expect(code.some((url) => url.endsWith('.wasm'))).toBe(false);
});

test('an unknown email gets the same message', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill('nobody@acme.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.');
});

test('Sign out ends the session', async ({ page }) => {
  await signIn(page, USERS.specialist);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login');
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await page.goto('/settings/api');
  await page.waitForURL('**/login');
});

test('signed-out visitors are sent to sign in', async ({ page }) => {
  await page.goto('/settings/api');
  await page.waitForURL('**/login');
  await expect(page.getByLabel('Email')).toBeVisible();
});

test('Sign out everywhere ends the user\'s sessions in every browser, and only theirs', async ({ browser }) => {
  const laptop = await browser.newContext();
  const phone = await browser.newContext();
  const colleague = await browser.newContext();
  try {
    const [first, second, other] = await Promise.all([laptop.newPage(), phone.newPage(), colleague.newPage()]);
    await signIn(first, ROAMING);
    await signIn(second, ROAMING);
    await signIn(other, USERS.admin);

    // The user menu in the top bar, next to Sign out.
    await first.getByRole('banner').getByText(ROAMING.name).click();
    await first.getByRole('button', { name: 'Sign out everywhere' }).click();
    await first.waitForURL('**/login');

    for (const page of [first, second]) {
      await page.goto('/settings/api');
      await page.waitForURL('**/login');
      await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
    }
    await other.goto('/settings/api');
    await expect(other.getByRole('banner')).toContainText(USERS.admin.name);
    await expect(other).toHaveURL(/\/settings\/api$/);
  } finally {
    await Promise.all([laptop.close(), phone.close(), colleague.close()]);
  }
});
