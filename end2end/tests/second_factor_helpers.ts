import { createHmac } from 'node:crypto';
import { expect, type Page } from '@playwright/test';
import { PASSWORD, type User } from './helpers';

/** Made by scripts/test for the authenticator-app test alone. */
export const TOTP_USER = { email: 'totp@acme.test', name: 'Toni Totp', role: 'Implementation Specialist' } as const;

/** Made by scripts/test: an account whose administrator requires two-factor authentication. */
export const ELM_ADMIN = { email: 'admin@elm.test', name: 'Eli Elm', role: 'Account Administrator' } as const;
export const ELM_MEMBER = { email: 'member@elm.test', name: 'Mo Elm', role: 'Analyst' } as const;

/** The 6-digit code an authenticator app shows for `key` (base32) at `at` ms (RFC 6238, SHA-1, 30 s). */
export function totp(key: string, at: number = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...key.replace(/\s|=/g, '').toUpperCase()]
    .map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0'))
    .join('');
  const bytes = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', bytes).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  return ((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).toString().padStart(6, '0');
}

/** Types the password step; the browser is then on the second step's form. */
export async function passwordStep(page: Page, user: User): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL('**/login/two-factor');
  await expect(page.getByRole('heading', { level: 1, name: 'Two-factor authentication' })).toBeVisible();
}

/** Sends `code` on the second step's form; its HTTP status. */
export async function codeStep(page: Page, code: string): Promise<number> {
  await page.getByLabel('Authentication code').fill(code);
  const answer = page.waitForResponse((r) => r.url().endsWith('/login/two-factor') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Verify' }).click();
  return (await answer).status();
}

/** Starts setting up an authenticator app on the Security page the browser is on. */
export async function startSetUp(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Set up authenticator app' }).click();
  await expect(page.getByRole('img', { name: 'QR code of the set-up key' })).toBeVisible();
}

/**
 * Sets up an authenticator app on the Security page the browser is on: reads the typed
 * key, confirms with its code; the key and the recovery codes shown.
 */
export async function setUpApp(page: Page): Promise<{ key: string; codes: string[] }> {
  await startSetUp(page);
  return finishSetUp(page);
}

/** Reads the typed key of the set-up shown and confirms it with its code. */
export async function finishSetUp(page: Page): Promise<{ key: string; codes: string[] }> {
  const key = ((await page.getByLabel('Key', { exact: true }).textContent()) ?? '').replace(/\s/g, '');
  expect(key).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel('Code from the app').fill(totp(key));
  await page.getByRole('button', { name: 'Confirm' }).click();
  const list = page.getByRole('list', { name: 'Recovery codes' });
  await expect(list.getByRole('listitem')).toHaveCount(10);
  const codes = (await list.getByRole('listitem').allTextContents()).map((c) => c.trim());
  return { key, codes };
}
