import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { hydrated } from './helpers';

/** A token name no other test uses. */
export function uniqueName(prefix = 'E2E token'): string {
  return `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export async function openWizard(page: Page): Promise<void> {
  await page.goto('/settings/api/tokens/new');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Setup' })).toBeVisible();
}

export async function next(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Next' }).click();
}

/** Fills the first two steps with valid values and lands on API Scopes. */
export async function reachScopes(page: Page, name = uniqueName()): Promise<string> {
  await openWizard(page);
  await page.getByLabel('Token Name').fill(name);
  await next(page);
  await expect(page.getByRole('heading', { name: 'Contact Information' })).toBeVisible();
  await page.getByLabel('Primary Contact').selectOption({ label: 'Alex Morgan <admin@acme.test>' });
  await next(page);
  await expect(page.getByRole('heading', { name: 'API Scopes' })).toBeVisible();
  return name;
}

export function category(page: Page, name: string) {
  return page.getByRole('group', { name, exact: true });
}

export function categorySwitch(page: Page, name: string) {
  return page.getByRole('switch', { name, exact: true });
}

/** No serious or critical accessibility violations on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

/**
 * Waits until the wizard's saved draft (the signed-in user's, in localStorage) says what
 * `saved` checks: the wizard saves as it is edited, so a reload straight after typing could
 * come before the save.
 */
export async function draftSaved(page: Page, saved: (draft: string) => boolean): Promise<void> {
  const draft = () =>
    page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('tokensmith.create-token-draft.'));
      return key ? (localStorage.getItem(key) ?? '') : '';
    });
  await expect.poll(async () => saved(await draft())).toBe(true);
}
