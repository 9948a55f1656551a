import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { consoleErrors, hydrated, JUNIPER, signIn } from './helpers';
import { expectAccessible } from './wizard_helpers';

// Webhooks (issue 29): Juniper's administrator adds an endpoint pointing at a receiver this
// spec runs, copies its signing secret (shown once), sends a test event and sees it
// delivered; the receiver checks the Standard Webhooks signature. An address only the
// server could reach is refused.

test.describe.configure({ mode: 'serial' });

type Received = { headers: IncomingHttpHeaders; body: string };
let server: Server;
let received: Received[] = [];
let url = '';

test.beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

test.afterAll(() => server.close());

/** Whether `message` carries a v1 signature by `secret` over id.timestamp.body. */
function signedBy(message: Received, secret: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const id = message.headers['webhook-id'];
  const timestamp = message.headers['webhook-timestamp'];
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${message.body}`).digest('base64');
  return String(message.headers['webhook-signature'])
    .split(' ')
    .some((signature) => signature === `v1,${expected}`);
}

async function openWebhooks(page: Page): Promise<void> {
  await page.goto('/settings/api');
  await page.getByRole('region', { name: 'Webhooks' }).getByRole('link', { name: 'Webhooks' }).click();
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
  await hydrated(page);
}

test('an endpoint added, its secret shown once, a test event delivered and signed', async ({ page }) => {
  const errors = consoleErrors(page);
  await signIn(page, JUNIPER);
  await openWebhooks(page);
  const add = page.getByRole('region', { name: 'Add endpoint' });
  // Nothing chosen: refused beside the form, nothing sent.
  await add.getByRole('textbox', { name: 'Endpoint URL' }).fill(url);
  await add.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(add.getByText('Events: Choose at least one event.')).toBeVisible();
  await add.getByRole('textbox', { name: 'Description' }).fill('Security team');
  await add.getByRole('group', { name: 'Events' }).getByRole('checkbox', { name: /token\.created/ }).check();
  await add.getByRole('group', { name: 'Events' }).getByRole('checkbox', { name: /token\.deleted/ }).check();
  await expectAccessible(page);
  await add.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(page.getByRole('heading', { name: 'Endpoint added' })).toBeVisible();
  const secret = (await page.getByLabel('Signing secret', { exact: true }).textContent()) ?? '';
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
  await page.getByRole('link', { name: 'Done' }).click();

  // The endpoint's page: never the secret again.
  await expect(page.getByRole('heading', { name: url })).toBeVisible();
  await expect(page.getByText(secret)).toHaveCount(0);
  await expect(page.getByText('Enabled', { exact: true })).toBeVisible();
  await expect(page.getByText('Nothing sent yet.')).toBeVisible();
  received = [];
  await page.getByRole('button', { name: 'Send test event' }).click();
  await expect(page.getByRole('heading', { name: url })).toBeVisible();
  // Delivered by the server's worker within seconds; the page shows it on a reload.
  await expect(async () => {
    await page.reload();
    const deliveries = page.getByRole('region', { name: 'Deliveries', exact: true });
    await expect(deliveries.getByRole('row').filter({ hasText: 'Delivered' })).toHaveCount(1, { timeout: 500 });
  }).toPass({ timeout: 20_000 });
  const row = page.getByRole('region', { name: 'Deliveries', exact: true }).getByRole('row').filter({ hasText: 'Delivered' });
  await expect(row).toContainText('test');
  await expect(row).toContainText('HTTP 200 in');
  await expect(row).toContainText('thanks');
  expect(received).toHaveLength(1);
  const body = JSON.parse(received[0].body);
  expect(body.type).toBe('test');
  expect(body.data.actor).toEqual({ id: JUNIPER.email, name: JUNIPER.name });
  expect(signedBy(received[0], secret)).toBe(true);
  await expect(row).toContainText(String(received[0].headers['webhook-id']));
  await expectAccessible(page);

  // Resend: the same message again, with the same webhook-id.
  await row.getByRole('button', { name: 'Resend' }).click();
  await expect.poll(() => received.length, { timeout: 20_000 }).toBe(2);
  expect(received[1].headers['webhook-id']).toBe(received[0].headers['webhook-id']);

  // Disabled: no test event to send; enabled again.
  await page.getByRole('button', { name: 'Disable' }).click();
  await expect(page.getByText('Disabled', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send test event' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Enable' }).click();
  await expect(page.getByRole('button', { name: 'Send test event' })).toBeVisible();
  // Rotate: a new secret, once; the next message is signed by both while the old one lasts.
  await hydrated(page);
  await page.getByRole('button', { name: 'Rotate secret' }).click();
  await expect(page.getByRole('heading', { name: 'New signing secret' })).toBeVisible();
  const rotated = (await page.getByLabel('Signing secret', { exact: true }).textContent()) ?? '';
  expect(rotated).toMatch(/^whsec_/);
  expect(rotated).not.toBe(secret);
  await page.getByRole('link', { name: 'Done' }).click();
  await expect(page.getByText(rotated)).toHaveCount(0);
  await expect(page.getByText('Previous secret signs until')).toBeVisible();
  const before = received.length;
  await page.getByRole('button', { name: 'Send test event' }).click();
  await expect.poll(() => received.length, { timeout: 20_000 }).toBe(before + 1);
  const last = received[received.length - 1];
  expect(signedBy(last, rotated) && signedBy(last, secret)).toBe(true);
  expect(String(last.headers['webhook-signature']).split(' ')).toHaveLength(2);

  // Only the refusal the test asked for (a form without events) reached the console.
  expect(errors.filter((e) => !e.includes('422 (Unprocessable Entity) (http://') || !e.includes('/api/add_webhook'))).toEqual([]);
});

test('an address only the server can reach is refused, and an endpoint is deleted from the list', async ({ page }) => {
  await signIn(page, JUNIPER);
  await openWebhooks(page);
  const add = page.getByRole('region', { name: 'Add endpoint' });
  await add.getByRole('textbox', { name: 'Endpoint URL' }).fill('https://169.254.169.254/latest/meta-data');
  await add.getByRole('group', { name: 'Events' }).getByRole('checkbox', { name: /token\.created/ }).check();
  await add.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(add.getByRole('alert')).toContainText('a cloud metadata address');
  await add.getByRole('textbox', { name: 'Endpoint URL' }).fill('https://10.1.2.3/hook');
  await add.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(add.getByRole('alert')).toContainText('a private network address');
  await expect(page.getByRole('heading', { name: 'Endpoint added' })).toHaveCount(0);

  // Delete from the list: a plain form, back to the list.
  const endpoints = page.getByRole('region', { name: 'Endpoints', exact: true });
  await expect(endpoints.getByRole('link', { name: url })).toBeVisible();
  await endpoints.getByRole('button', { name: `Delete endpoint ${url}` }).click();
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Endpoints', exact: true }).getByText('No endpoints yet.')).toBeVisible();
});
