import { expect, test, type Page } from '@playwright/test';
import { BIRCH, USERS, hydrated, signIn } from './helpers';
import { makeToken } from './token_helpers';
import { uniqueName } from './wizard_helpers';

// The Birch account, whose other tests make tokens with the default 90 days: a 90-day
// maximum never refuses them.

async function savePolicy(page: Page, maximum: string, allowNever: boolean): Promise<void> {
  await page.goto('/settings/api');
  await hydrated(page);
  const card = page.getByRole('region', { name: 'Token policy' });
  await card.getByLabel('Maximum lifetime').selectOption({ label: maximum });
  await card.getByLabel('Allow tokens that never expire').setChecked(allowNever);
  await card.getByRole('button', { name: 'Save policy' }).click();
  await page.waitForLoadState();
}

test('the account policy bounds new tokens, blocks never, and lists the tokens it outlives', async ({ page }) => {
  await signIn(page, BIRCH);
  const forever = uniqueName('Forever');
  await makeToken(page, forever, { contact: 'admin@birch.test', expiration: 'Never' });
  try {
    await savePolicy(page, '90 days', false);
    const card = page.getByRole('region', { name: 'Token policy' });
    await expect(card).toContainText('Tokens live at most 90 days.');
    await expect(card.getByRole('link', { name: forever })).toBeVisible();
    await expect(card.getByRole('listitem').filter({ hasText: forever })).toContainText('Never expires');

    // The wizard offers what the policy allows, and the server refuses the rest.
    await page.goto('/settings/api/tokens/new');
    await hydrated(page);
    const expiration = page.getByLabel('Expiration', { exact: true });
    await expect(expiration.getByRole('option', { name: 'Never' })).toHaveCount(0);
    await expect(expiration.getByRole('option', { name: '90 days' })).toHaveCount(1);
    await expect(page.getByText("This account's tokens live at most 90 days.")).toBeVisible();
    const contacts: { id: number }[] = await (
      await page.request.post('/api/list_contacts', { headers: { accept: 'application/json' } })
    ).json();
    const draft = {
      name: uniqueName('Never'),
      primary_contact: contacts[0].id,
      scopes: ['actions:get'],
      expiration: 'Never',
    };
    const refused = await page.request.post('/api/create_token', { data: { draft } });
    expect(refused.status()).toBe(422);
    expect(await refused.text()).toContain('This account requires tokens to expire: choose a lifetime or a date.');
  } finally {
    await savePolicy(page, 'No maximum', true);
  }
  await expect(page.getByRole('region', { name: 'Token policy' })).toContainText('tokens may be made to never expire');
});

test('an Implementation Specialist sees the policy but cannot change it', async ({ page }) => {
  await signIn(page, USERS.specialist);
  const card = page.getByRole('region', { name: 'Token policy' });
  await expect(card).toContainText('No maximum lifetime');
  await expect(card.getByRole('button', { name: 'Save policy' })).toHaveCount(0);
});
