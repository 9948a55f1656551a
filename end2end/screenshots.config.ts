import base from './playwright.config';
import { defineConfig } from '@playwright/test';

// The screenshots of `screenshots/take.spec.ts`: the suite's browser and server, one worker.
export default defineConfig({ ...base, testDir: './screenshots', workers: 1 });
