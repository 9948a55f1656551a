import { expect, type Page } from '@playwright/test';
import { BIRCH, hydrated, signIn } from './helpers';

export interface Made {
  sid: string;
  secret: string;
  name: string;
}

/** The id of the account's user with this email, as the wizard's drop-down has it. */
export async function contactId(page: Page, email: string): Promise<number> {
  const reply = await page.request.post('/api/list_contacts', { headers: { accept: 'application/json' } });
  expect(reply.ok()).toBeTruthy();
  const contacts: { id: number; email: string }[] = await reply.json();
  const contact = contacts.find((c) => c.email === email);
  if (!contact) throw new Error(`no contact ${email}`);
  return contact.id;
}

/** Creates a token through the wizard's server function, signed in as the page's user. */
export async function makeToken(
  page: Page,
  name: string,
  options: {
    apiVersion?: number;
    scopes?: string[];
    description?: string;
    contact?: string;
    expiration?: unknown;
  } = {},
): Promise<Made> {
  const scopes = options.scopes ?? ['reports:get', 'actions:get'];
  const draft = {
    step: 'Review',
    name,
    description: options.description ?? 'Made by an end-to-end test',
    api_version: options.apiVersion ?? 14,
    primary_contact: await contactId(page, options.contact ?? 'admin@acme.test'),
    developer_emails: ['dev@partner.test'],
    scopes,
    open_categories: [...new Set(scopes.map((s) => s.split(':')[0]))],
    ...(options.expiration === undefined ? {} : { expiration: options.expiration }),
  };
  const reply = await page.request.post('/api/create_token', { data: { draft } });
  expect(reply.status(), await reply.text()).toBe(200);
  const created = await reply.json();
  return { sid: created.sid, secret: created.secret, name };
}

/** Sends one change as another browser tab would, at the token's current revision. */
export async function changeToken(page: Page, sid: string, change: unknown): Promise<void> {
  const detail = await page.request.post('/api/get_token', { data: { sid } });
  const { version } = await detail.json();
  const reply = await page.request.post('/api/change_token', { data: { sid, version, change } });
  expect(reply.status(), await reply.text()).toBe(200);
}

export async function openToken(page: Page, sid: string): Promise<void> {
  await page.goto(`/settings/api/tokens/${sid}`);
  await hydrated(page);
}

export function history(page: Page) {
  return page.getByRole('list', { name: 'History' });
}

/** The history's events (not the lines of detail inside them). */
export function events(page: Page) {
  return history(page).locator(':scope > li');
}

/** The card of the token named `name` on the list. */
export function card(page: Page, name: string) {
  return page.getByRole('listitem', { name, exact: true });
}

/**
 * Signs in as Birch's administrator, on the API page with the account's API access on (it
 * is only ever turned on: the demo account's switch is flipped by other tests); the
 * account's SID.
 */
export async function birchWithApiAccess(page: Page): Promise<string> {
  await signIn(page, BIRCH);
  const toggle = page.getByRole('switch', { name: 'Enable API access' });
  if (!(await toggle.isChecked())) {
    await toggle.click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  }
  return (await page.getByLabel('Account SID', { exact: true }).textContent())?.trim() ?? '';
}

/**
 * Opens the token page's editor behind the button `name` (**Edit scopes**, …): the editors'
 * code is fetched when one is first opened, so the fields are waited for by whoever uses them.
 */
export async function openEditor(page: Page, name: string): Promise<void> {
  const button = page.getByRole('button', { name, exact: true });
  if ((await button.getAttribute('aria-expanded')) !== 'true') {
    await button.click();
  }
  await expect(button).toHaveAttribute('aria-expanded', 'true');
}
