import { defineConfig } from '@playwright/test';

// The server is started by scripts/test (or by you) before these tests run; Playwright
// never starts one of its own. Browsers come from Debian, not from Playwright's download.
export default defineConfig({
  testDir: './tests',
  // A whole path (the wizard from the keyboard, usage then a scope removed) took 33 s on
  // the 2-core machine with a parallel cargo build (2026-12-05) and failed at 30 s: the
  // budget is for the whole test on a busy machine; each step keeps its own 10 s bound.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:3000',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
