import { expect, test } from '@playwright/test';

import { DEMO_GROUP } from './env';
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

  test('the text filter narrows the table and a sorted column reorders rows; both live in the URL', async ({ page }, testInfo) => {
    await loginWithLink(page);
    const rows = page.getByTestId('subscription-row');
    await expect(demoRow(page)).toBeVisible();
    await expect.poll(() => rows.count()).toBeGreaterThan(1);
    const total = await rows.count();

    // Filter: only groups whose stream or group matches stay.
    await page.getByTestId('overview-filter').fill(DEMO_GROUP);
    await expect(rows).toHaveCount(1);
    await expect(demoRow(page)).toBeVisible();
    await expect(page.getByTestId('overview-shown')).toHaveText(`1 of ${total} shown`);
    await expect(page).toHaveURL(new RegExp(`[?&]q=${DEMO_GROUP}`));
    await page.getByTestId('overview-filter').fill('no-such-group-anywhere');
    await expect(rows).toHaveCount(0);
    await expect(page.getByTestId('overview-no-match')).toBeVisible();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(rows).toHaveCount(total);

    // Sort by name, with the keyboard: ascending, then descending.
    const names = async () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-group') ?? ''));
    const header = page.getByRole('columnheader', { name: /Group \/ stream/ });
    await page.getByTestId('sort-name').focus();
    await page.keyboard.press('Enter');
    await expect(header).toHaveAttribute('aria-sort', 'ascending');
    const ascending = await names();
    expect(ascending).toEqual([...ascending].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    await page.keyboard.press('Enter');
    await expect(header).toHaveAttribute('aria-sort', 'descending');
    await expect.poll(names).toEqual([...ascending].reverse());
    await expect(page).toHaveURL(/[?&]sort=name&dir=desc/);

    // The URL shares the view: a reload keeps the sort.
    await page.reload();
    await expect(page.getByRole('columnheader', { name: /Group \/ stream/ })).toHaveAttribute('aria-sort', 'descending');
    await expect.poll(names).toEqual([...ascending].reverse());
    await saveScreenshot(page, testInfo, 'overview-sorted');
  });

  test('problems come first by default and the health filter keeps them apart', async ({ page }) => {
    await loginWithLink(page);
    const rows = page.getByTestId('subscription-row');
    await expect(demoRow(page)).toBeVisible();
    await expect(page.getByRole('columnheader', { name: /Health/ })).toHaveAttribute('aria-sort', 'descending');
    const severity = { failing: 2, degraded: 1, healthy: 0 } as Record<string, number>;
    const levels = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-health') ?? ''));
    const ranks = levels.map((l) => severity[l] ?? -1);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));

    await page.getByTestId('health-filter-healthy').click();
    await expect(page.getByTestId('health-filter-healthy')).toHaveAttribute('aria-pressed', 'true');
    for (const level of await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-health')))) expect(level).toBe('healthy');
    await page.getByTestId('health-filter-problems').click();
    for (const level of await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-health')))) expect(level).not.toBe('healthy');
  });

  test('each row draws a rate sparkline from the live snapshots', async ({ page }) => {
    await loginWithLink(page);
    const sparkline = demoRow(page).getByTestId('rate-sparkline');
    await expect(sparkline).toBeVisible();
    await expect.poll(async () => Number(await sparkline.getAttribute('data-points')), { timeout: 20_000 }).toBeGreaterThan(2);
    await expect(sparkline.locator('polyline')).toHaveCount(1);
    // The dotted lead-in (time not seen yet) depends on how long the server has run: the history
    // sent on connect may already cover the minute. sparklineLeadIn's unit test pins it.
  });
});

