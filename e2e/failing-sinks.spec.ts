import { expect, test, type APIRequestContext } from '@playwright/test';

import { E2E_SINK_PORT, HELD_FAILURE_BODY, HELD_GROUP, REJECT_BODY, REJECTED_GROUP, DEMO_STREAM } from './env';
import { loginWithLink, saveScreenshot } from './fixtures';

/** Groups of the e2e config file (e2e/e2e-config.ts), served by e2e/sink-receiver.ts. */
const heldPage = `/subscriptions/${encodeURIComponent(DEMO_STREAM)}/${encodeURIComponent(HELD_GROUP)}`;
const rejectedPage = `/subscriptions/${encodeURIComponent('$all')}/${encodeURIComponent(REJECTED_GROUP)}`;

/** Event ids the failing downstream received, newest first. */
async function receivedIds(request: APIRequestContext, route: 'held' | 'reject'): Promise<string[]> {
  const response = await request.get(`http://127.0.0.1:${E2E_SINK_PORT}/received/${route}`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { eventIds: string[] }).eventIds;
}

test.describe('failing sinks', () => {
  test('a delivery the subscriber keeps retrying (sink answers 503) is parked from the page with a reason and listed with it', async ({ page }, testInfo) => {
    // The sink answers 503 to every call: subwatch nacks `retry`, the server redelivers, forever.
    await expect.poll(async () => (await receivedIds(page.request, 'held')).length, { timeout: 30_000 }).toBeGreaterThan(1);
    const reason = `Downstream down; parked for later (e2e ${testInfo.testId})`;
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    await loginWithLink(page);
    await page.goto(heldPage);
    await expect(page.getByTestId('subscription-title')).toHaveText(HELD_GROUP);

    // "Held by the subscriber" lists the retried delivery: phase, retries, the sink's answer as text.
    const card = page.getByTestId('held-card');
    const row = card.getByTestId('held-row').first();
    await expect(row).toBeVisible({ timeout: 30_000 });
    const parkedId = (await row.getAttribute('data-event-id'))!;
    expect(parkedId).toMatch(/^[0-9a-f-]{36}$/);
    const held = card.locator(`[data-testid="held-row"][data-event-id="${parkedId}"]`);
    await expect(held.getByTestId('held-origin')).toHaveText(new RegExp(`^${DEMO_STREAM}@\\d+$`));
    await expect(held.getByTestId('held-outcome')).toHaveText(`sink asked to retry: HTTP 503 Service Unavailable: ${HELD_FAILURE_BODY}`);
    await expect.poll(async () => Number(await held.getAttribute('data-retry-count')), { timeout: 15_000 }).toBeGreaterThan(0);
    // The hostile body is text: no element was made of it, no handler ran.
    await expect(card.locator('img')).toHaveCount(0);
    expect(dialogs).toEqual([]);
    // The sink received that event: the list shows what the downstream keeps failing.
    expect(await receivedIds(page.request, 'held')).toContain(parkedId);
    for (const [width, scheme] of [
      [1440, 'light'],
      [1440, 'dark'],
      [820, 'light'],
      [820, 'dark'],
    ] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await saveScreenshot(page, testInfo, `held-list-${width}-${scheme}`, card);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: 'light' });

    // Park… fills the park form with the event id and puts the cursor in the reason.
    await held.getByTestId('held-park').click();
    await expect(page.getByTestId('park-event-id')).toHaveValue(parkedId);
    await expect(page.getByTestId('park-reason')).toBeFocused();
    await page.keyboard.type(reason);
    await saveScreenshot(page, testInfo, 'park-form-prefilled', page.getByTestId('park-card'));
    // Between a nack and the redelivery (a few ms of each retry cycle) nothing is held: then the
    // server answers 404 and the next click parks the redelivered copy of the same event.
    await expect(async () => {
      await page.getByTestId('park-submit').click();
      await expect(page.getByTestId('park-outcome')).toHaveText(`Parked ${parkedId}.`, { timeout: 5000 });
    }).toPass({ timeout: 30_000 });
    await expect(page.getByTestId('recent-action').first()).toContainText(`Event ${parkedId} parked by`);
    await expect(card.locator(`[data-testid="held-row"][data-event-id="${parkedId}"]`)).toHaveCount(0);

    // The subscriber nacks `park` with the operator's reason, marked as theirs.
    const shown = `parked by operator: ${reason}`;
    const group = page.locator(`[data-testid="parked-group"][data-reason="${shown}"]`);
    await expect(group.getByTestId('parked-reason')).toHaveText(shown);
    await expect(group.locator(`[data-testid="parked-entry"][data-event-id="${parkedId}"]`)).toBeVisible();
    await expect(group.locator(`[data-testid="parked-entry"][data-event-id="${parkedId}"]`)).toContainText(`${DEMO_STREAM}@`);
    await saveScreenshot(page, testInfo, 'park-held-message');
  });

  test('a group whose sink always answers 400 shows as degraded on the overview with the reason', async ({ page }, testInfo) => {
    await loginWithLink(page);
    const row = page.locator(`[data-testid="subscription-row"][data-stream="$all"][data-group="${REJECTED_GROUP}"]`);
    await expect(row).toBeVisible();
    // Every OrderCancelled is parked by subwatch (4xx → nack park): the parked count grows.
    await expect(row).toHaveAttribute('data-health', /^(degraded|failing)$/, { timeout: 60_000 });
    await expect(row.getByTestId('health-badge')).toHaveAttribute('title', /Parked messages grew by \d+ in the last 5 min/);
    await expect(row.getByTestId('health-reason')).toContainText(/Parked messages grew by \d+ in the last 5 min/);
    expect(Number(await row.getByTestId('parked').getAttribute('data-value'))).toBeGreaterThan(0);
    await saveScreenshot(page, testInfo, 'overview-failing-group');

    // The subscription page names the problem and the sink's answer is the parked reason.
    await page.goto(rejectedPage);
    await expect(page.getByTestId('health-reasons')).toContainText(/Parked messages grew by \d+ in the last 5 min/);
    // The heading is the group's name; the badge with its reasons sits beside it, outside the name.
    await expect(page.getByRole('heading', { level: 1 })).toHaveAccessibleName(REJECTED_GROUP);
    await expect(page.getByTestId('title-row').getByTestId('health-badge')).toHaveAttribute('data-level', /^(degraded|failing)$/);
    await expect(page.getByTestId('parked-reason').first()).toContainText(`HTTP 400 Bad Request: ${REJECT_BODY}`);
    expect((await receivedIds(page.request, 'reject')).length).toBeGreaterThan(0);
  });
});
