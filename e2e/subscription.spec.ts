import { expect, test } from '@playwright/test';

import { HISTORY_STORAGE_KEY } from '../components/hooks/live-history-storage';

import { DEMO_GROUP, DEMO_STREAM } from './env';
import { demoRow, loginWithLink, saveScreenshot } from './fixtures';

const pagePath = `/subscriptions/${encodeURIComponent(DEMO_STREAM)}/${encodeURIComponent(DEMO_GROUP)}`;

test.describe('subscription page', () => {
  test('asks an anonymous visitor to log in before showing the subscription', async ({ page }) => {
    await page.goto(pagePath);
    await expect(page.getByTestId('login-required')).toBeVisible();
  });

  test('Force reconnect adds an epoch bar and an epochs row', async ({ page }, testInfo) => {
    await loginWithLink(page);
    await demoRow(page).getByRole('link').click();
    await expect(page).toHaveURL(pagePath);
    await expect(page).toHaveTitle(`${DEMO_GROUP} · ${DEMO_STREAM} · subwatch`);

    const chart = page.getByTestId('duplicates-chart');
    const rows = page.getByTestId('epoch-row');
    await expect(chart).toBeVisible();
    await expect(rows.first()).toBeVisible();
    const barsBefore = Number(await chart.getAttribute('data-bars'));
    // The table lists the newest epochs first (the newest ten until "Show all").
    const newestEpoch = async () => Number(await rows.first().getAttribute('data-epoch'));
    const newestBefore = await newestEpoch();

    const button = page.getByTestId('force-reconnect');
    await expect(button).toBeEnabled();
    await button.click();
    await expect(page.getByTestId('reconnect-outcome')).toContainText('Reconnect requested');

    await expect.poll(async () => Number(await chart.getAttribute('data-bars')), { timeout: 20_000 }).toBeGreaterThan(barsBefore);
    await expect.poll(newestEpoch, { timeout: 20_000 }).toBeGreaterThan(newestBefore);
    await expect(page.getByTestId('epochs-table')).toContainText(/forced reconnect/i);
    // The reconnect timeline shows that epoch's end as a forced reconnect, with its details on focus.
    const forced = page.locator('[data-testid="timeline-segment"][data-kind="forced"]').last();
    await forced.focus();
    await expect(page.getByTestId('timeline-detail')).toContainText(/Epoch #\d+ · .* ended: forced reconnect by .* duplicates? suppressed/);
    // Arrow keys move along the track: the next epoch is the connection that followed.
    const forcedEpoch = Number(await forced.getAttribute('data-epoch'));
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('timeline-detail')).toContainText(`Epoch #${forcedEpoch + 1} · `);
    // The chart draws one bar per epoch.
    await expect(chart.locator('.recharts-bar-rectangle')).toHaveCount(Number(await chart.getAttribute('data-bars')));
    // The subscriber's suppressed duplicates by cause: one count per cause.
    await expect(page.getByTestId('duplicates-by-cause').locator('dd')).toHaveCount(5);

    await saveScreenshot(page, testInfo, 'subscription');
  });

  test('live charts draw received / delivered per second from the snapshots', async ({ page }, testInfo) => {
    await loginWithLink(page);
    await page.goto(pagePath);
    const chart = page.getByTestId('throughput-chart');
    await expect(chart).toBeVisible();
    // Two snapshots make one per-second point; wait for a few so a line is drawn.
    await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 20_000 }).toBeGreaterThan(3);
    await expect(chart.locator('.recharts-line-curve')).toHaveCount(3);
    await expect(chart.locator('.chart-legend-value').first()).toHaveText(/\/s$/);
    await expect(page.getByTestId('backlog-chart').locator('.recharts-line-curve')).toHaveCount(2);
    await expect(page.getByTestId('buffer-chart').locator('.recharts-line-curve')).toHaveCount(2);
    // Events since the last checkpoint: what a restart would redeliver (a stream group: a count).
    const since = page.getByTestId('since-checkpoint');
    await expect(since).toContainText('Events since last checkpoint');
    await expect(since).toContainText(/\d+ events?/);
    await expect(since).toContainText('What a server restart or a group reload would redeliver');
    await saveScreenshot(page, testInfo, 'subscription-live-charts');
  });

  test('a fresh tab shows the last minutes at once: the server sends the snapshots it kept on connect', async ({ page }, testInfo) => {
    // A fresh tab: nothing saved in sessionStorage, on any page of this context (the login page
    // below would otherwise save its history on the way out).
    await page.context().addInitScript((key) => window.sessionStorage.removeItem(key), HISTORY_STORAGE_KEY);
    await loginWithLink(page);
    // The app must have been running for a while: wait until the server keeps > 12 s of snapshots.
    const keptSeconds = () =>
      page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const source = new EventSource('/api/live');
            const done = (seconds: number) => {
              source.close();
              resolve(seconds);
            };
            source.addEventListener('history', (event) => {
              const times = (JSON.parse((event as MessageEvent<string>).data) as { snapshots: Array<{ ts: string }> }).snapshots.map((s) =>
                Date.parse(s.ts),
              );
              done(((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000);
            });
            // The history comes before the first snapshot: a snapshot first means none was kept.
            source.addEventListener('snapshot', () => done(0));
          }),
      );
    await expect.poll(keptSeconds, { timeout: 30_000 }).toBeGreaterThan(12);

    const loadedAt = Date.now();
    await page.goto(pagePath);
    const chart = page.getByTestId('throughput-chart');
    // Time of a chart's oldest point (absent until it has one: never "older than the load").
    const oldestPoint = async (testId: string) => {
      const t = await page.getByTestId(testId).getAttribute('data-first-t');
      return t === null ? Infinity : Number(t);
    };
    // Points from before this page existed can only come from the server's history event.
    await expect.poll(() => oldestPoint('throughput-chart')).toBeLessThan(loadedAt - 10_000);
    await expect(chart.locator('.recharts-line-curve')).toHaveCount(3);
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(10);
    await expect.poll(() => oldestPoint('backlog-chart')).toBeLessThan(loadedAt - 10_000);
    await saveScreenshot(page, testInfo, 'subscription-history-on-connect');
  });

  test('stream and group names with $, ::, /, spaces and % round-trip through page and API URLs', async ({ page }) => {
    await loginWithLink(page);
    const stream = '$all';
    const group = 'ops::a/b 100%25';
    const apiPath = `/api/subscriptions/${encodeURIComponent(stream)}/${encodeURIComponent(group)}`;
    const apiRequest = page.waitForRequest((r) => new URL(r.url()).pathname === apiPath);
    await page.goto(`/subscriptions/${encodeURIComponent(stream)}/${encodeURIComponent(group)}`);
    await apiRequest;
    await expect(page.getByTestId('subscription-title')).toHaveText(group);
    await expect(page).toHaveTitle(`${group} · ${stream} · subwatch`);
    await expect(page.getByText('No such persistent subscription')).toBeVisible();
  });
});
