import { expect, test, type APIRequestContext } from '@playwright/test';

import { errorBodySchema, parkedResponseSchema, replayResponseSchema, type ParkedResponse } from '../lib/api/schemas';
import { DEMO_STREAM, E2E_TOKEN } from './env';
import { loginWithLink, saveScreenshot } from './fixtures';

/** The demo's fraud-check group parks large orders and orders whose customer note contains markup. */
const GROUP = 'demo-fraud-check';
const MARKUP_REASON = 'Customer note contains markup; held for manual review';
const HOSTILE_IMG = '<img src=x onerror=alert(1)>';
const api = `/api/subscriptions/${encodeURIComponent(DEMO_STREAM)}/${encodeURIComponent(GROUP)}`;
const pagePath = `/subscriptions/${encodeURIComponent(DEMO_STREAM)}/${encodeURIComponent(GROUP)}`;
const bearer = { authorization: `Bearer ${E2E_TOKEN}` };

async function readParked(request: APIRequestContext): Promise<ParkedResponse> {
  const response = await request.get(`${api}/parked?limit=500`, { headers: bearer });
  expect(response.status()).toBe(200);
  return parkedResponseSchema.parse(await response.json());
}

test.describe('parked messages', () => {
  test('the browser lists the parked messages grouped by their reason', async ({ page }, testInfo) => {
    await loginWithLink(page);
    await page.goto(pagePath);
    const browser = page.getByTestId('parked-browser');
    await expect(browser).toBeVisible();
    const markup = browser.locator(`[data-testid="parked-group"][data-reason="${MARKUP_REASON}"]`);
    await expect(markup.getByTestId('parked-reason')).toHaveText(MARKUP_REASON);
    await expect(markup.getByTestId('parked-entry').first()).toContainText('OrderPlaced');
    await expect(markup.getByTestId('parked-entry').first()).toContainText(`${DEMO_STREAM}@`);
    await expect.poll(async () => Number(await page.getByTestId('parked-total').getAttribute('data-value'))).toBeGreaterThan(0);
    await saveScreenshot(page, testInfo, 'parked-browser');
  });

  test('event data with markup and a script end tag is shown as text and runs nothing', async ({ page }, testInfo) => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await loginWithLink(page);
    await page.goto(pagePath);
    const entry = page
      .locator(`[data-testid="parked-group"][data-reason="${MARKUP_REASON}"]`)
      .getByTestId('parked-entry')
      .first();
    await entry.locator('summary').click();
    const data = entry.getByTestId('parked-data');
    await expect(data).toContainText(HOSTILE_IMG);
    await expect(data).toContainText('</script>');
    // Text, not elements: no <img> or <script> was created from the event data.
    await expect(page.getByTestId('parked-browser').locator('img, script')).toHaveCount(0);
    await saveScreenshot(page, testInfo, 'parked-hostile-data');
    expect(dialogs).toEqual([]);
  });

  test('replay first N moves the oldest parked message up by N, and the replayed messages are delivered', async ({ page }, testInfo) => {
    const N = 2;
    await expect.poll(async () => (await readParked(page.request)).total, { timeout: 30_000 }).toBeGreaterThanOrEqual(N + 1);
    await loginWithLink(page);
    await page.goto(pagePath);
    await expect.poll(async () => Number(await page.getByTestId('parked-total').getAttribute('data-value'))).toBeGreaterThanOrEqual(N + 1);
    const before = await readParked(page.request);
    const replayedIds = before.parked.slice(0, N).map((p) => p.eventId);

    await page.getByTestId('replay-first-n').fill(String(N));
    await page.getByTestId('replay-first').click();
    const dialog = page.getByTestId('replay-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('replay-dialog-count')).toHaveText(String(N));
    await saveScreenshot(page, testInfo, 'parked-replay-dialog');
    await dialog.getByTestId('replay-confirm').click();

    await expect(page.getByTestId('replay-progress')).toHaveAttribute('data-state', 'done', { timeout: 20_000 });
    await expect(page.getByTestId('recent-action').first()).toContainText(`Replay of ${N} of`);
    // The outcome: the server's parked count before → now, and what subwatch's subscriber did since.
    const outcome = page.getByTestId('replay-outcome');
    await expect(outcome).toContainText(
      new RegExp(`^Replay of ${N}: parked [\\d,]+ → [\\d,]+ · subwatch delivered [\\d,]+, parked( again)? [\\d,]+, suppressed 0 as already processed`),
    );
    // The fraud check approves a replayed order: at least the N replayed ones are delivered, none was already done.
    await expect.poll(async () => Number(await outcome.getAttribute('data-delivered')), { timeout: 20_000 }).toBeGreaterThanOrEqual(N);
    await expect(outcome).toHaveAttribute('data-suppressed', '0');
    const after = await readParked(page.request);
    // New orders keep being parked at the end; the replayed ones leave the front.
    expect(after.first).toBe(before.first! + N);
    // The fraud check approves a replayed order: it is delivered, not parked again.
    await expect.poll(async () => (await readParked(page.request)).parked.filter((p) => replayedIds.includes(p.eventId)).length).toBe(0);
    await saveScreenshot(page, testInfo, 'parked-after-replay');
  });

  test('parking an event the subscriber does not hold is refused, in the form and in the recent actions', async ({ page }) => {
    const eventId = '00000000-0000-4000-8000-00000000e2e0';
    await loginWithLink(page);
    await page.goto(pagePath);
    await page.getByTestId('park-event-id').fill(eventId);
    await page.getByTestId('park-reason').fill('operator test');
    await page.getByTestId('park-submit').click();
    await expect(page.getByTestId('park-outcome')).toContainText(`No delivery of ${eventId} is in flight or held`);
    await expect(page.getByTestId('recent-action').first()).toContainText(`Park of ${eventId} refused`);
  });

  test('replay and park are refused without login or from another origin, and bad input gets a clear 400', async ({ request }) => {
    for (const path of ['/replay', '/park']) {
      const anonymous = await request.post(`${api}${path}`, { data: {} });
      expect(anonymous.status()).toBe(401);
      expect(errorBodySchema.parse(await anonymous.json()).error.code).toBe('UNAUTHORIZED');
    }
    expect((await request.get(`${api}/parked`)).status()).toBe(401);

    const login = await request.post('/api/auth/login', { data: { token: E2E_TOKEN } });
    expect(login.status()).toBe(200);
    const crossSite = await request.post(`${api}/replay`, { data: {}, headers: { origin: 'http://evil.example' } });
    expect(crossSite.status()).toBe(403);
    await request.post('/api/auth/logout');

    const negative = await request.post(`${api}/replay`, { data: { stopAt: -1 }, headers: bearer });
    expect(negative.status()).toBe(400);
    expect(errorBodySchema.parse(await negative.json()).error.message).toContain('stopAt');
    const notUuid = await request.post(`${api}/park`, { data: { eventId: 'nope' }, headers: bearer });
    expect(notUuid.status()).toBe(400);
    expect(errorBodySchema.parse(await notUuid.json()).error.message).toContain('eventId must be a UUID');
    const badLimit = await request.get(`${api}/parked?limit=501`, { headers: bearer });
    expect(badLimit.status()).toBe(400);
    const notHeld = await request.post(`${api}/park`, { data: { eventId: '00000000-0000-4000-8000-000000000000', reason: 'test' }, headers: bearer });
    expect(notHeld.status()).toBe(404);
    const zero = await request.post(`${api}/replay`, { data: { stopAt: 0 }, headers: bearer });
    expect(zero.status()).toBe(202);
    expect(replayResponseSchema.parse(await zero.json()).requested).toBe(0);
  });
});
