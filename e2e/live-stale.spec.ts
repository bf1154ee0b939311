import { expect, test } from '@playwright/test';

import { DEMO_GROUP, DEMO_STREAM } from './env';
import { loginWithLink, saveScreenshot } from './fixtures';

const pagePath = `/subscriptions/${encodeURIComponent(DEMO_STREAM)}/${encodeURIComponent(DEMO_GROUP)}`;

test.describe('live stream down', () => {
  test('a reload keeps the live charts, and with the stream blocked they and the live numbers are marked stale until it is back', async ({ page }, testInfo) => {
    await loginWithLink(page);
    await page.goto(pagePath);
    const charts = page.getByTestId('live-charts');
    const throughput = page.getByTestId('throughput-chart');
    await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'open');
    await expect.poll(async () => Number(await throughput.getAttribute('data-points')), { timeout: 20_000 }).toBeGreaterThan(2);
    await expect(charts).toHaveAttribute('data-stale', 'false');
    await expect(page.getByTestId('stale-mark')).toHaveCount(0);

    // Block the live stream, then reload: the charts come back from the saved history, the stream does not.
    await page.route('**/api/live', (route) => route.abort());
    await page.reload();
    await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'reconnecting');
    await expect(page.getByTestId('live-disconnected')).toBeVisible();
    expect(Number(await throughput.getAttribute('data-points'))).toBeGreaterThan(1);
    await expect(throughput.locator('.recharts-line-curve')).toHaveCount(3);

    await expect(charts).toHaveAttribute('data-stale', 'true');
    await expect(charts.getByTestId('stale-mark')).toHaveCount(3);
    await expect(charts.getByTestId('stale-mark').first()).toHaveText(/^Stale · as of \d\d:\d\d:\d\d$/);
    await expect(page.getByTestId('proxy-counters')).toHaveAttribute('data-stale', 'true');
    await expect(page.getByTestId('server-stats')).toHaveAttribute('data-stale', 'true');
    await expect(page.getByTestId('title-row').getByTestId('stale-mark')).toBeVisible();
    await saveScreenshot(page, testInfo, 'subscription-stale');

    // The stream is back: the hook reconnects (backoff 1, 2, 4 … s) and every mark goes.
    await page.unroute('**/api/live');
    await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'open', { timeout: 30_000 });
    await expect(page.getByTestId('stale-mark')).toHaveCount(0);
    await expect(charts).toHaveAttribute('data-stale', 'false');
    await expect(page.getByTestId('proxy-counters')).toHaveAttribute('data-stale', 'false');
  });

  test('the overview marks its live numbers stale while the stream is blocked', async ({ page }) => {
    await loginWithLink(page);
    await page.route('**/api/live', (route) => route.abort());
    await page.reload();
    await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'reconnecting');
    // Rows still come from polling, dimmed, with the time of the last poll in the heading.
    await expect(page.getByTestId('subscription-row').first()).toBeVisible();
    await expect(page.getByTestId('subscriptions-table')).toHaveAttribute('data-stale', 'true');
    await expect(page.getByRole('heading', { level: 1 }).getByTestId('stale-mark')).toHaveText(/^Stale · as of \d\d:\d\d:\d\d$/);
    await page.unroute('**/api/live');
    await expect(page.getByTestId('subscriptions-table')).toHaveAttribute('data-stale', 'false', { timeout: 30_000 });
  });
});
