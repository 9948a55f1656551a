import { expect, type APIResponse, type Page } from '@playwright/test';

export const PASSWORD = process.env.TOKENSMITH_DEMO_PASSWORD ?? 'demo-password-e2e';

export const USERS = {
  admin: { email: 'admin@acme.test', name: 'Alex Morgan', role: 'Account Administrator' },
  specialist: { email: 'specialist@acme.test', name: 'Sam Rivera', role: 'Implementation Specialist' },
  analyst: { email: 'analyst@acme.test', name: 'Jordan Lee', role: 'Analyst' },
  finance: { email: 'finance@acme.test', name: 'Casey Kim', role: 'Finance' },
} as const;

/** Made by scripts/test for the Sign out everywhere test alone (not a demo user). */
export const ROAMING = { email: 'roaming@acme.test', name: 'Robin Roaming', role: 'Analyst' } as const;

/** Made by scripts/test for the Change password test alone. */
export const CHANGER = { email: 'changer@acme.test', name: 'Pat Changer', role: 'Finance' } as const;

/** Made by scripts/test: the admin of an account of its own, for tests that change its API settings. */
export const BIRCH = { email: 'admin@birch.test', name: 'Robin Birch', role: 'Account Administrator' } as const;

/** Made by scripts/test: the admin of an account of its own, where the paging test puts 120 tokens. */
export const CEDAR = { email: 'admin@cedar.test', name: 'Morgan Cedar', role: 'Account Administrator' } as const;

/** Made by scripts/test: the admin of an account whose users the Users tests change. */
export const DOGWOOD = { email: 'admin@dogwood.test', name: 'Dana Dogwood', role: 'Account Administrator' } as const;

/** Made by scripts/test: a user of that account the Users tests disable and reset. */
export const MEMBER = { email: 'member@dogwood.test', name: 'Max Member', role: 'Analyst' } as const;

/** Made by scripts/test: the admin of an account whose tokens need approval. */
export const HAZEL = { email: 'admin@hazel.test', name: 'Hana Hazel', role: 'Account Administrator' } as const;

/** Made by scripts/test: that account's Implementation Specialist, who requests tokens. */
export const HUGO = { email: 'specialist@hazel.test', name: 'Hugo Hazel', role: 'Implementation Specialist' } as const;

/** Made by scripts/test: the admin of an account that sends webhooks to the suite's receiver. */
export const JUNIPER = { email: 'admin@juniper.test', name: 'Jo Juniper', role: 'Account Administrator' } as const;

/** Made by scripts/test: the admin of an account whose home the home test counts. */
export const KIWI = { email: 'admin@kiwi.test', name: 'Kai Kiwi', role: 'Account Administrator' } as const;

/** Made by scripts/test: a user of that account the home test makes a primary contact, then disables. */
export const LEAVER = { email: 'leaver@kiwi.test', name: 'Lee Leaver', role: 'Analyst' } as const;

export type User = { readonly email: string; readonly name: string; readonly role: string };

/** Waits until the wasm has hydrated the page: before that, clicks do nothing. */
export async function hydrated(page: Page): Promise<void> {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

/** Collects console errors (CSP violations, panics) so a test can assert there were none. */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** Whether a user of this role may see the API settings page. */
export function seesApiSettings(user: User): boolean {
  return user.role === 'Account Administrator' || user.role === 'Implementation Specialist';
}

/** Waits until the browser is on the home page, where every sign-in lands. */
export async function atHome(page: Page): Promise<void> {
  await page.waitForURL((url) => url.pathname === '/');
}

/**
 * Signs in through the form (the sign-in page is plain HTML: there is nothing to hydrate),
 * lands on the home page, and goes on to the API page for the roles that may see it.
 */
export async function signIn(
  page: Page,
  user: User,
  options = { waitForHydration: true },
  password: string = PASSWORD,
): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await atHome(page);
  if (seesApiSettings(user)) await page.goto('/settings/api');
  if (options.waitForHydration) await hydrated(page);
}

/**
 * What the product promises about a token change (Reset, Revoke, Disable …) and the brand
 * API: the instance that made it refuses the old credentials at once; every other instance
 * within 1 s (milliseconds, through PostgreSQL's change feed; 800 ms is the token cache's
 * bound on any entry). scripts/test sets E2E_INSTANCES=2 for its run through nginx, where the
 * next call may reach the other instance.
 */
export const CHANGE_REACHES_EVERY_INSTANCE_MS = Number(process.env.E2E_INSTANCES ?? '1') > 1 ? 1_000 : 0;

/**
 * Calls `call` until it answers `status`, for as long as the promise above allows (plus a
 * second for the calls themselves on a loaded machine); with one instance, only once.
 */
export async function answersAfterAChange(call: () => Promise<APIResponse>, status: number): Promise<APIResponse> {
  const until = Date.now() + CHANGE_REACHES_EVERY_INSTANCE_MS + (CHANGE_REACHES_EVERY_INSTANCE_MS ? 1_000 : 0);
  for (;;) {
    const answer = await call();
    if (answer.status() === status || Date.now() >= until) {
      expect(answer.status(), `answered ${answer.status()} after the change`).toBe(status);
      return answer;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
