/**
 * Operability and the guards of every mutating route, through the real custom server with the
 * embedded default and demo traffic: `/api/metrics` (DESIGN.md §9) parses as Prometheus text and
 * its counters move with the events; each mutating route answers 401 without credentials, 403
 * for a cookie from a foreign Origin and 2xx with credentials; login and mutations are rate
 * limited; security headers are on every kind of response.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { errorBodySchema } from '../lib/api/schemas';
import { parsePrometheusText, sampleValue, type Exposition } from './helpers/parse-prometheus';
import { waitFor } from './helpers/wait-for';
import { startServer, type RunningServer } from './start-server';

const DEMO = { stream: 'demo-orders', group: 'demo-billing' };
const FOREIGN_ORIGIN = 'http://evil.example';

let server: RunningServer;
let sessionCookie: string;

beforeAll(async () => {
  server = await startServer({ SUBWATCH_DEMO_FAULT_INTERVAL_MS: '600000' });
  const login = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: server.token }),
  });
  expect(login.status).toBe(200);
  sessionCookie = /^(subwatch_session=[^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

const bearer = () => ({ authorization: `Bearer ${server.token}` });

async function scrape(): Promise<Exposition> {
  const response = await fetch(`${server.baseUrl}/api/metrics`);
  expect(response.status).toBe(200);
  return parsePrometheusText(await response.text());
}

const counter = (text: Exposition, name: string) => sampleValue(text, name, DEMO) ?? -1;

describe('GET /api/metrics', () => {
  it('is open to scrapers and answers the Prometheus text format with every metric of DESIGN.md §9', async () => {
    const response = await fetch(`${server.baseUrl}/api/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = parsePrometheusText(await response.text());
    const expected: Array<[string, string]> = [
      ['subwatch_events_received_total', 'counter'],
      ['subwatch_events_delivered_total', 'counter'],
      ['subwatch_duplicates_suppressed_total', 'counter'],
      ['subwatch_reconnects_total', 'counter'],
      ['subwatch_sink_failures_total', 'counter'],
      ['subwatch_parked_messages', 'gauge'],
      ['subwatch_in_flight_messages', 'gauge'],
      ['subwatch_behind_events', 'gauge'],
      ['subwatch_subscription_health', 'gauge'],
      ['subwatch_subscriber_live', 'gauge'],
      ['subwatch_sink_duration_seconds', 'histogram'],
      ['process_cpu_user_seconds_total', 'counter'],
      ['nodejs_heap_size_used_bytes', 'gauge'],
    ];
    for (const [name, type] of expected) expect(text.types.get(name), name).toBe(type);
  });

  it('moves the received and delivered counters and the sink histogram while demo events flow', async () => {
    const first = await scrape();
    const received = counter(first, 'subwatch_events_received_total');
    const later = await waitFor(
      async () => {
        const text = await scrape();
        return counter(text, 'subwatch_events_received_total') > received && counter(text, 'subwatch_events_delivered_total') > 0 ? text : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, message: 'the demo counters to move' },
    );
    expect(sampleValue(later, 'subwatch_sink_duration_seconds_count', DEMO)).toBeGreaterThan(0);
    expect(sampleValue(later, 'subwatch_duplicates_suppressed_total', DEMO)).toBe(0);
  });

  it('shows the demo group’s gauges from the monitor, healthy as 0', async () => {
    // The first snapshots can precede the subscriber's first connection (state "connecting"):
    // wait for the one that shows it live.
    const text = await waitFor(async () => {
      const t = await scrape();
      return sampleValue(t, 'subwatch_subscription_health', DEMO) !== undefined && sampleValue(t, 'subwatch_subscriber_live', DEMO) === 1
        ? t
        : undefined;
    }, { timeoutMs: 15_000, intervalMs: 250, message: 'the demo health gauge with the subscriber live' });
    expect([0, 1, 2]).toContain(sampleValue(text, 'subwatch_subscription_health', DEMO));
    expect(sampleValue(text, 'subwatch_parked_messages', DEMO)).toBe(0);
    expect(sampleValue(text, 'subwatch_subscriber_live', DEMO)).toBe(1);
    expect(sampleValue(text, 'subwatch_in_flight_messages', DEMO)).toBeGreaterThanOrEqual(0);
  });

  it('counts a forced reconnect in subwatch_reconnects_total', async () => {
    const before = counter(await scrape(), 'subwatch_reconnects_total');
    const response = await fetch(`${server.baseUrl}/api/subscriptions/${DEMO.stream}/${DEMO.group}/reconnect`, { method: 'POST', headers: bearer() });
    expect(response.status).toBe(202);
    await waitFor(async () => counter(await scrape(), 'subwatch_reconnects_total') === before + 1, {
      timeoutMs: 30_000,
      intervalMs: 250,
      message: 'the reconnect to be counted',
    });
  });
});

interface MutatingRoute {
  name: string;
  path: () => string;
  body?: string;
  /** Status with valid credentials (DESIGN.md §7). */
  ok: number;
}

const base = `/api/subscriptions/${DEMO.stream}/${DEMO.group}`;
const routes: MutatingRoute[] = [
  { name: 'POST …/reconnect', path: () => `${base}/reconnect`, ok: 202 },
  { name: 'POST …/replay', path: () => `${base}/replay`, body: '{}', ok: 202 },
  // §7: 404 when no delivery of that id is held here — past both guards, with a clear answer.
  { name: 'POST …/park (event not held)', path: () => `${base}/park`, body: JSON.stringify({ eventId: crypto.randomUUID() }), ok: 404 },
];

function post(route: MutatingRoute, headers: Record<string, string>): Promise<Response> {
  return fetch(`${server.baseUrl}${route.path()}`, {
    method: 'POST',
    headers: { ...(route.body ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(route.body ? { body: route.body } : {}),
  });
}

async function expectCode(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(errorBodySchema.parse(await response.json()).error.code).toBe(code);
}

describe('guards of the mutating routes', () => {
  it.each(routes)('$name answers 401 UNAUTHORIZED without credentials', async (route) => {
    await expectCode(await post(route, {}), 401, 'UNAUTHORIZED');
  });

  it.each(routes)('$name answers 401 UNAUTHORIZED for a wrong bearer token', async (route) => {
    await expectCode(await post(route, { authorization: 'Bearer wrong-token-0123456789' }), 401, 'UNAUTHORIZED');
  });

  it.each(routes)('$name answers 403 FORBIDDEN for the session cookie from a foreign Origin', async (route) => {
    await expectCode(await post(route, { cookie: sessionCookie, origin: FOREIGN_ORIGIN }), 403, 'FORBIDDEN');
  });

  it.each(routes)('$name answers 403 FORBIDDEN for the session cookie without an Origin', async (route) => {
    await expectCode(await post(route, { cookie: sessionCookie }), 403, 'FORBIDDEN');
  });

  it.each(routes)('$name passes both guards with the bearer token', async (route) => {
    const response = await post(route, bearer());
    expect(response.status, await response.clone().text()).toBe(route.ok);
  });

  it.each(routes)('$name passes both guards with the session cookie from the same origin', async (route) => {
    const response = await post(route, { cookie: sessionCookie, origin: server.baseUrl });
    expect(response.status, await response.clone().text()).toBe(route.ok);
  });

  it('refuses a login and a logout posted from a foreign Origin with 403', async () => {
    const login = await fetch(`${server.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: FOREIGN_ORIGIN },
      body: JSON.stringify({ token: server.token }),
    });
    await expectCode(login, 403, 'FORBIDDEN');
    expect(login.headers.get('set-cookie')).toBeNull();
    await expectCode(await fetch(`${server.baseUrl}/api/auth/logout`, { method: 'POST', headers: { origin: FOREIGN_ORIGIN } }), 403, 'FORBIDDEN');
  });
});

describe('security headers', () => {
  it('sends nosniff, no-referrer, DENY framing and a CSP on API, page, not-found and static responses', async () => {
    const page = await fetch(`${server.baseUrl}/login`);
    const html = await page.text();
    const asset = /<script[^>]+src="(\/_next\/static\/[^"]+)"/.exec(html)![1]!;
    const responses = await Promise.all(
      ['/api/healthz', '/api/metrics', '/login', '/no-such-page', asset].map((path) => fetch(`${server.baseUrl}${path}`)),
    );
    for (const response of responses) {
      expect(response.headers.get('x-content-type-options'), response.url).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), response.url).toBe('no-referrer');
      expect(response.headers.get('x-frame-options'), response.url).toBe('DENY');
    }
    const [health, , login, missing] = responses;
    expect(health!.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    for (const response of [login!, missing!]) {
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
      expect(policy).toContain("frame-ancestors 'none'");
    }
    // Every script tag of the page carries the nonce of its own response.
    const nonce = /'nonce-([^']+)'/.exec(page.headers.get('content-security-policy') ?? '')![1]!;
    const tags = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
  });
});

describe('rate limits', () => {
  it('answers 429 RATE_LIMITED with Retry-After once a client exhausts its login attempts', async () => {
    const attempt = () =>
      fetch(`${server.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: 'wrong-token-0123456789' }),
      });
    // Burst of 10 (app/api/_shared/rate-limit.ts), some spent above, plus one refilled every 5 s
    // since the start: 40 attempts in a row exhaust it however long the tests above took.
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 40 && !limited; i++) {
      const response = await attempt();
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses.slice(0, -1).every((s) => s === 401)).toBe(true);
    expect(limited, statuses.join(',')).toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(errorBodySchema.parse(await limited!.json()).error.code).toBe('RATE_LIMITED');
  });

  it('answers 429 to a burst of mutations beyond the bucket, before any other work', async () => {
    const route = routes[0]!;
    const statuses = await Promise.all(Array.from({ length: 60 }, () => post(route, {}).then((r) => r.status)));
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s !== 429 && s !== 401)).toEqual([]);
  });
});
