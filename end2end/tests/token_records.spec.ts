import { expect, test } from '@playwright/test';
import { signIn, USERS } from './helpers';
import { changeToken, events, history, makeToken, openToken } from './token_helpers';
import { uniqueName } from './wizard_helpers';

test('the history shows fifty events a page, with links that keep the page in the URL', async ({ page }) => {
  await signIn(page, USERS.admin);
  const token = await makeToken(page, uniqueName('Busy'));
  for (let n = 0; n < 51; n++) {
    await changeToken(page, token.sid, { SetEnabled: { enabled: n % 2 === 1 } });
  }
  await openToken(page, token.sid);
  const pages = page.getByRole('navigation', { name: 'History pages' });
  await expect(page.getByText('Showing 1–50 of 52 events')).toBeVisible();
  await expect(events(page)).toHaveCount(50);
  await pages.getByRole('link', { name: 'Next' }).click();
  await page.waitForURL(/\?history=2$/);
  await expect(page.getByText('Showing 51–52 of 52 events')).toBeVisible();
  await expect(events(page)).toHaveCount(2);
  await expect(events(page).last()).toContainText('Created the token');
  // A change made from page 2 keeps page 2 in view (now one event further on).
  await page.getByRole('button', { name: 'Enable', exact: true }).click();
  await expect(history(page)).toBeVisible();
  await expect(page.getByText('Showing 51–53 of 53 events')).toBeVisible();
});
