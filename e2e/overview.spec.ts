import { expect, test } from '@playwright/test';

import { demoRow, loginWithLink, readDelivered, saveScreenshot } from './fixtures';

test.describe('overview', () => {
  test('asks an anonymous visitor to log in instead of showing broken data', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('login-required')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Log in' }).first()).toBeVisible();
  });

  test('shows the demo-orders / demo-billing row with a rising delivered count', async ({ page }, testInfo) => {
    await loginWithLink(page);
    await expect(page).toHaveTitle(/Subscriptions/);
    const row = demoRow(page);
    await expect(row).toBeVisible();
    await expect(row.getByTestId('health-badge')).toBeVisible();
    await expect(row.getByTestId('subscriber-state')).toBeVisible();

    await expect.poll(() => readDelivered(page)).toBeGreaterThan(0);
    const first = await readDelivered(page);
    // Live snapshots arrive every second; the demo producer writes continuously.
    await expect.poll(() => readDelivered(page), { timeout: 20_000 }).toBeGreaterThan(first);
    await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'open');

    await saveScreenshot(page, testInfo, 'overview');
  });
});
