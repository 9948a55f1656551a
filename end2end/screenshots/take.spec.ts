import { test } from '@playwright/test';
import { hydrated, signIn, USERS } from '../tests/helpers';
import { makeToken } from '../tests/token_helpers';

// Screenshots of home, the API page and a token page at 390 and 1280 px, light and dark,
// for reviews and release notes; not part of the suite (run with
// `npx playwright test --config screenshots.config.ts`, into `docs/screenshots/`).

test('home, the API page and a token page at 390 and 1280 px, light and dark', async ({ page }) => {
  await signIn(page, USERS.admin);
  const token = await makeToken(page, 'Nightly reporting feed', {
    description: 'Pulls yesterday\'s conversions for the BI warehouse.',
  });
  for (const [width, height] of [[390, 844], [1280, 900]]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme });
      for (const [name, path] of [
        ['home', '/'],
        ['api', '/settings/api'],
        ['token', `/settings/api/tokens/${token.sid}`],
      ]) {
        await page.goto(path);
        await hydrated(page);
        await page.screenshot({ path: `../docs/screenshots/${name}-${width}-${colorScheme}.png` });
      }
    }
  }
});
