import { expect, test, type Page } from '@playwright/test';
import { signIn, USERS } from './helpers';
import { expectAccessible } from './wizard_helpers';

// The shell on a phone (issue 30, begun): below 768 px the navigation waits behind Menu, a
// disclosure that opens and closes from the keyboard without JavaScript; exactly one item is
// current; the page is no wider than the screen.

async function widthFits(page: Page): Promise<void> {
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scroll).toBeLessThanOrEqual(inner);
}

for (const width of [320, 390]) {
  test(`at ${width} px the navigation opens and closes behind Menu`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    await signIn(page, USERS.admin);
    await page.goto('/');
    const menu = page.getByText('Menu', { exact: true });
    const nav = page.getByRole('navigation', { name: 'Settings' });
    await expect(menu).toBeVisible();
    await expect(nav).toBeHidden();
    await widthFits(page);
    // The header keeps one line: the account and role wait in the user menu.
    const banner = page.getByRole('banner');
    expect((await banner.boundingBox())?.height).toBeLessThanOrEqual(60);
    await expect(banner.getByRole('button', { name: 'Sign out', exact: true })).toBeInViewport();
    await banner.getByText(USERS.admin.name).click();
    await expect(banner.getByText(`Signed in to Acme`)).toBeVisible();
    await banner.getByText(USERS.admin.name).click();
    await menu.focus();
    await page.keyboard.press('Enter');
    await expect(nav).toBeVisible();
    await expect(nav.locator('[aria-current="page"]')).toHaveText('Home');
    await expectAccessible(page);
    await page.keyboard.press('Enter');
    await expect(nav).toBeHidden();
    await page.keyboard.press('Enter');
    await nav.getByRole('link', { name: 'API reference' }).click();
    await expect(page.getByRole('heading', { name: 'API reference', level: 1 })).toBeVisible();
    await expect(nav).toBeHidden();
  });
}

test('at 1280 px the navigation stands beside the page, with no Menu', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, USERS.admin);
  await page.goto('/settings/api/reference');
  await expect(page.getByText('Menu', { exact: true })).toBeHidden();
  const nav = page.getByRole('navigation', { name: 'Settings' });
  await expect(nav).toBeVisible();
  await expect(nav.locator('[aria-current="page"]')).toHaveText('API reference');
  await widthFits(page);
});
