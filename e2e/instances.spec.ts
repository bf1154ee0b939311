import { expect, test } from '@playwright/test';

import { instancesResponseSchema } from '../lib/api/schemas';
import { DEMO_GROUP, DEMO_STREAM, E2E_TOKEN } from './env';
import { loginWithLink, saveScreenshot } from './fixtures';

const pagePath = `/subscriptions/${encodeURIComponent(DEMO_STREAM)}/${encodeURIComponent(DEMO_GROUP)}`;

test.describe('instances', () => {
  test('the subscription page shows the embedded demo instance as live, its counters moving, and the group totals', async ({ page }, testInfo) => {
    const response = await page.request.get('/api/instances', { headers: { authorization: `Bearer ${E2E_TOKEN}` } });
    expect(response.status()).toBe(200);
    const { self } = instancesResponseSchema.parse(await response.json());

    await loginWithLink(page);
    // The overview notes how many instances share the store.
    await expect(page.getByText(/proxied by subwatch \(1 instance\)/)).toBeVisible();
    await page.goto(pagePath);
    const card = page.getByTestId('instances-card');
    const rows = card.getByTestId('instance-row');
    // The demo runs one instance: the one serving this dashboard.
    await expect(rows).toHaveCount(1);
    const row = rows.first();
    await expect(row).toHaveAttribute('data-instance', self);
    await expect(row).toContainText('this one');
    await expect(row.getByTestId('instance-state')).toHaveText('live');
    await expect(row.getByTestId('instance-last-seen')).toHaveText(/just now|\d+ s ago/);
    await expect(row.getByTestId('subscriber-state')).toHaveText('live');

    const delivered = async () => Number(await row.getByTestId('instance-delivered').getAttribute('data-value'));
    await expect.poll(delivered).toBeGreaterThan(0);
    const first = await delivered();
    // Heartbeats every 5 s carry the counters; the page polls at the same pace.
    await expect.poll(delivered, { timeout: 20_000 }).toBeGreaterThan(first);

    // One instance: the group's totals are its counters.
    const totals = card.getByTestId('instances-totals');
    await expect(totals).toContainText('1 reporting, 1 live');
    expect(Number(await totals.getByTestId('totals-delivered').getAttribute('data-value'))).toBe(await delivered());
    await saveScreenshot(page, testInfo, 'subscription-instances');
  });
});
