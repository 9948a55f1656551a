import { expect, test } from '@playwright/test';
import { PASSWORD, USERS } from './helpers';

test.use({ javaScriptEnabled: false });

test('sign-in works with JavaScript disabled', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(USERS.admin.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${USERS.admin.name}` })).toBeVisible();
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText(USERS.admin.name);
});

test('a failed sign-in shows the message with JavaScript disabled', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(USERS.admin.email);
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.');
});

test('Sign out works with JavaScript disabled', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(USERS.finance.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login');
});

test('without JavaScript, Change password says it needs it and never sends a password', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(USERS.analyst.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await page.goto('/settings/password');
  await expect(page.getByText('Changing your password needs JavaScript.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Change password' })).toBeDisabled();
  await expect(page.getByLabel('Current password')).toHaveAttribute('autocomplete', 'current-password');
});
