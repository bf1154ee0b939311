import { expect, test } from '@playwright/test';

import { errorBodySchema, snapshotEventSchema, subscriptionDetailSchema } from '../lib/api/schemas';
import { DEMO_GROUP, DEMO_STREAM, E2E_TOKEN } from './env';

const bearer = { authorization: `Bearer ${E2E_TOKEN}` };
const reconnectPath = `/api/subscriptions/${DEMO_STREAM}/${DEMO_GROUP}/reconnect`;

test.describe('HTTP API', () => {
  test('probes stay open without a token', async ({ request }) => {
    const health = await request.get('/api/healthz');
    expect(health.status()).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await request.get('/api/readyz');
    expect([200, 503]).toContain(ready.status());
    expect(await ready.json()).toHaveProperty('reasons');
  });

  test('refuses GET /api/subscriptions without a token when public read is off', async ({ request }) => {
    const response = await request.get('/api/subscriptions');
    expect(response.status()).toBe(401);
    expect(errorBodySchema.parse(await response.json()).error.code).toBe('UNAUTHORIZED');
  });

  test('refuses POST reconnect without a token', async ({ request }) => {
    const response = await request.post(reconnectPath);
    expect(response.status()).toBe(401);
    expect(errorBodySchema.parse(await response.json()).error.code).toBe('UNAUTHORIZED');
  });

  test('refuses a wrong bearer token', async ({ request }) => {
    const response = await request.get('/api/subscriptions', { headers: { authorization: 'Bearer not-the-token' } });
    expect(response.status()).toBe(401);
  });

  test('refuses a cookie-authenticated POST from another origin (CSRF)', async ({ request }) => {
    const login = await request.post('/api/auth/login', { data: { token: E2E_TOKEN } });
    expect(login.status()).toBe(200);
    const setCookie = login.headers()['set-cookie'] ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).not.toContain(E2E_TOKEN);
    const response = await request.post(reconnectPath, { headers: { origin: 'http://evil.example' } });
    expect(response.status()).toBe(403);
    expect(errorBodySchema.parse(await response.json()).error.code).toBe('FORBIDDEN');
    await request.post('/api/auth/logout');
  });

  test('serves the demo group with a bearer token, and URL-encoded names round-trip', async ({ request }) => {
    const encoded = `/api/subscriptions/${encodeURIComponent(DEMO_STREAM)}/${encodeURIComponent(DEMO_GROUP)}`;
    const detail = await request.get(encoded.replace('-', '%2D'), { headers: bearer });
    expect(detail.status()).toBe(200);
    const body = subscriptionDetailSchema.parse(await detail.json());
    expect(body.summary).toMatchObject({ stream: DEMO_STREAM, group: DEMO_GROUP, proxied: true });

    for (const stream of ['$all', 'orders with spaces', 'orders::eu', 'a/b%41']) {
      const missing = await request.get(`/api/subscriptions/${encodeURIComponent(stream)}/none`, { headers: bearer });
      expect(missing.status(), stream).toBe(404);
      expect(errorBodySchema.parse(await missing.json()).error.code).toBe('NOT_FOUND');
    }
  });

  test('answers 404 for an unknown group on a unicode stream name', async ({ request }) => {
    const missing = await request.get(`/api/subscriptions/${encodeURIComponent('заказы::ü')}/none`, { headers: bearer });
    expect(missing.status()).toBe(404);
  });

  test('streams a snapshot over SSE on connect', async ({ baseURL }) => {
    const abort = new AbortController();
    const response = await fetch(`${baseURL}/api/live`, { headers: bearer, signal: abort.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const deadline = Date.now() + 10_000;
    while (!/event: snapshot\ndata: .*\n\n/.test(text) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    abort.abort();
    const data = /event: snapshot\ndata: (.*)\n\n/.exec(text)?.[1];
    expect(data, 'a snapshot event within 10 s').toBeDefined();
    const snapshot = snapshotEventSchema.parse(JSON.parse(data!));
    expect(snapshot.subscriptions.some((s) => s.stream === DEMO_STREAM && s.group === DEMO_GROUP)).toBe(true);
  });
});
