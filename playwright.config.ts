import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { defineConfig, devices } from '@playwright/test';

import { writeE2eConfig } from './e2e/e2e-config';
import { E2E_PORT, E2E_SINK_PORT, E2E_TOKEN } from './e2e/env';

/**
 * e2e against the production build through the real custom server (server/main.ts): embedded
 * EventStoreDB-compatible server on an ephemeral port, demo traffic, fresh data dir per run, and
 * a config file (e2e/e2e-config.ts) adding two groups whose downstream, the e2e sink receiver
 * started first, keeps failing. `npm run test:e2e` runs `next build` first.
 */
const PORT = E2E_PORT;
const BASE_URL = `http://127.0.0.1:${PORT}`;

// Playwright loads this file in the runner and in each worker: create the data dir once.
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'subwatch-e2e-'));
const configFile = writeE2eConfig(process.env.E2E_DATA_DIR);

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 2 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: BASE_URL,
    trace: 'on-first-retry',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1440, height: 900 },
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--headless',
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
    },
  ],
  webServer: [
    {
      command: 'node --import tsx e2e/sink-receiver.ts',
      url: `http://127.0.0.1:${E2E_SINK_PORT}/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: { E2E_SINK_PORT: String(E2E_SINK_PORT) },
    },
    {
      command: 'node --import tsx server/main.ts',
      url: `${BASE_URL}/api/healthz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        NODE_ENV: 'production',
        PORT: String(PORT),
        HOST: '127.0.0.1',
        SUBWATCH_ADMIN_TOKEN: E2E_TOKEN,
        SUBWATCH_DATA_DIR: process.env.E2E_DATA_DIR,
        SUBWATCH_PUBLIC_READ: '0',
        EMBEDDED_ESDB_PORT: '0',
        SUBWATCH_CONFIG: configFile,
        // error: the e2e-held group's sink fails on purpose and would print a warn line per retry.
        LOG_LEVEL: 'error',
      },
    },
  ],
});
