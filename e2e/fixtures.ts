import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

import { DEMO_GROUP, DEMO_STREAM, E2E_TOKEN } from './env';

/** Logs in the way an operator does: the login link printed at start (`/login#token=…`). */
export async function loginWithLink(page: Page): Promise<void> {
  await page.goto(`/login#token=${encodeURIComponent(E2E_TOKEN)}`);
  await page.waitForURL('/');
  // The token must not linger in the address bar or history.
  expect(page.url()).not.toContain(E2E_TOKEN);
}

export function demoRow(page: Page) {
  return page.locator(`[data-testid="subscription-row"][data-stream="${DEMO_STREAM}"][data-group="${DEMO_GROUP}"]`);
}

export async function readDelivered(page: Page): Promise<number> {
  const value = await demoRow(page).getByTestId('delivered').getAttribute('data-value');
  return Number(value);
}

/**
 * Full-page screenshot (or of `target` only) kept as a test artifact (test-results/…) and
 * attached to the report.
 */
export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string, target?: Locator): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  if (target) await target.screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
