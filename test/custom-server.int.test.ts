/**
 * The real custom server with the embedded default: route handlers (separate Next bundles) reach
 * the runtime through globalThis, errors keep their codes across the bundle line, auth guards the
 * API, SSE streams snapshots, and SIGTERM shuts everything down with exit code 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorBodySchema,
  heldResponseSchema,
  historyEventSchema,
  instancesResponseSchema,
  snapshotEventSchema,
  subscriptionDetailSchema,
  subscriptionsResponseSchema,
} from '../lib/api/schemas';
import { waitFor } from './helpers/wait-for';
import { startServer, type RunningServer } from './start-server';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ SUBWATCH_DEMO_FAULT_INTERVAL_MS: '600000' });
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

const auth = () => ({ authorization: `Bearer ${server.token}` });

/** The first `count` events of a fresh `/api/live` connection (name and parsed data), in order. */
async function readSseEvents(count: number): Promise<Array<{ event: string; data: unknown }>> {
  const controller = new AbortController();
  const res = await fetch(`${server.baseUrl}/api/live`, { headers: auth(), signal: controller.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: Array<{ event: string; data: unknown }> = [];
  let buffer = '';
  try {
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0 && events.length < count) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.*)$/m.exec(block)?.[1];
        const data = [...block.matchAll(/^data: (.*)$/gm)].map((m) => m[1]).join('\n');
        if (name) events.push({ event: name, data: JSON.parse(data) });
      }
    }
  } finally {
    controller.abort();
  }
  return events;
}

const poll = <T>(check: () => Promise<T | undefined>) =>
  waitFor(check, { timeoutMs: 30_000, intervalMs: 250, message: 'the server state' });

describe('custom server (production build, embedded default)', () => {
  it('answers the liveness probe without credentials', async () => {
    const res = await fetch(`${server.baseUrl}/api/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('rejects API reads without credentials when public read is off', async () => {
    const res = await fetch(`${server.baseUrl}/api/subscriptions`);
    expect(res.status).toBe(401);
    expect(errorBodySchema.parse(await res.json()).error.code).toBe('UNAUTHORIZED');
  });

  it('lists the demo subscription with live subscriber counters from the runtime', async () => {
    const row = await poll(async () => {
      const res = await fetch(`${server.baseUrl}/api/subscriptions`, { headers: auth() });
      expect(res.status).toBe(200);
      const body = subscriptionsResponseSchema.parse(await res.json());
      const demo = body.subscriptions.find((s) => s.stream === 'demo-orders' && s.group === 'demo-billing');
      return demo?.subscriber && demo.subscriber.delivered > 0 ? demo : undefined;
    });
    expect(row.proxied).toBe(true);
    expect(row.subscriber?.state).toBe('live');
  });

  it('answers the readiness probe without credentials: 200 ready with no reasons once the demo subscriber is live', async () => {
    const body = await poll(async () => {
      const res = await fetch(`${server.baseUrl}/api/readyz`);
      return res.status === 200 ? ((await res.json()) as unknown) : undefined;
    });
    expect(body).toEqual({ status: 'ready', reasons: [] });
  });

  it('lists this instance from its heartbeat as live, with the demo group among its groups', async () => {
    const body = await poll(async () => {
      const res = await fetch(`${server.baseUrl}/api/instances`, { headers: auth() });
      expect(res.status).toBe(200);
      const parsed = instancesResponseSchema.parse(await res.json());
      return parsed.instances.some((i) => i.groups.some((g) => g.group === 'demo-billing' && g.delivered > 0)) ? parsed : undefined;
    });
    expect(body.instances.map((i) => [i.instanceId, i.state])).toEqual([[body.self, 'live']]);
    expect(body.groups.find((g) => g.group === 'demo-billing')).toMatchObject({ stream: 'demo-orders', instances: 1, liveInstances: 1 });
    const unauthenticated = await fetch(`${server.baseUrl}/api/instances`);
    expect(unauthenticated.status).toBe(401);
  });

  it('returns the detail of a group with settings and connections', async () => {
    const res = await fetch(`${server.baseUrl}/api/subscriptions/demo-orders/demo-billing`, { headers: auth() });
    expect(res.status).toBe(200);
    const detail = subscriptionDetailSchema.parse(await res.json());
    expect(detail.summary.group).toBe('demo-billing');
    expect(detail.settings.startFrom).toBe('start');
  });

  it('maps a missing group to 404 NOT_FOUND across the bundle boundary', async () => {
    const res = await fetch(`${server.baseUrl}/api/subscriptions/${encodeURIComponent('$all')}/no-such-group`, { headers: auth() });
    expect(res.status).toBe(404);
    expect(errorBodySchema.parse(await res.json()).error.code).toBe('NOT_FOUND');
  });

  it('lists the deliveries the demo subscriber holds (within the limit), 404 for a missing group, 400 for a bad limit, 401 without credentials', async () => {
    const path = '/api/subscriptions/demo-orders/demo-billing/held';
    const res = await fetch(`${server.baseUrl}${path}?limit=5`, { headers: auth() });
    expect(res.status).toBe(200);
    const body = heldResponseSchema.parse(await res.json());
    expect(body.held.length).toBeLessThanOrEqual(5);
    expect(body.total).toBeGreaterThanOrEqual(body.held.length);
    const missing = await fetch(`${server.baseUrl}/api/subscriptions/${encodeURIComponent('$all')}/no-such-group/held`, { headers: auth() });
    expect(missing.status).toBe(404);
    expect(errorBodySchema.parse(await missing.json()).error.code).toBe('NOT_FOUND');
    const badLimit = await fetch(`${server.baseUrl}${path}?limit=101`, { headers: auth() });
    expect(badLimit.status).toBe(400);
    expect(errorBodySchema.parse(await badLimit.json()).error.code).toBe('VALIDATION');
    expect((await fetch(`${server.baseUrl}${path}`)).status).toBe(401);
  });

  it('streams a snapshot event over SSE that matches the shared schema', async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.baseUrl}/api/live`, { headers: auth(), signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let snapshot: unknown;
    while (snapshot === undefined) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      const match = /event: snapshot\ndata: (.*)\n\n/.exec(buffer);
      if (match?.[1]) snapshot = JSON.parse(match[1]);
    }
    controller.abort();
    const parsed = snapshotEventSchema.parse(snapshot);
    expect(parsed.subscriptions.some((s) => s.stream === 'demo-orders')).toBe(true);
  });

  it('sends the kept snapshots of the last minutes as one history event before the snapshot on connect', async () => {
    // Wait until the runtime has published a few snapshots, then connect as a fresh dashboard.
    await poll(async () => {
      const first = await readSseEvents(2);
      if (first[0]?.event !== 'history') return undefined;
      return historyEventSchema.parse(first[0].data).snapshots.length >= 3 ? true : undefined;
    });
    const [history, snapshot] = await readSseEvents(2);
    expect(history?.event).toBe('history');
    expect(snapshot?.event).toBe('snapshot');
    const { snapshots } = historyEventSchema.parse(history!.data);
    const latest = snapshotEventSchema.parse(snapshot!.data);
    const times = snapshots.map((s) => Date.parse(s.ts));
    // Oldest first, one per poll (~1 s apart), none newer than the current snapshot, within 5 min.
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
    expect(times.at(-1)!).toBeLessThanOrEqual(Date.parse(latest.ts));
    expect(Date.parse(latest.ts) - times[0]!).toBeLessThanOrEqual(5 * 60_000);
    expect(snapshots.length).toBeLessThanOrEqual(300);
    expect(snapshots.at(-1)!.subscriptions.some((s) => s.stream === 'demo-orders')).toBe(true);
  });

  it('forces a reconnect of the proxied demo subscriber, which opens a new epoch', async () => {
    const before = await poll(async () => {
      const res = await fetch(`${server.baseUrl}/api/subscriptions/demo-orders/demo-billing/epochs`, { headers: auth() });
      const body = (await res.json()) as { epochs: Array<{ epoch: number }> };
      return body.epochs.length > 0 ? body.epochs[0]!.epoch : undefined;
    });
    const res = await fetch(`${server.baseUrl}/api/subscriptions/demo-orders/demo-billing/reconnect`, {
      method: 'POST',
      headers: auth(),
    });
    expect(res.status).toBe(202);
    const after = await poll(async () => {
      const r = await fetch(`${server.baseUrl}/api/subscriptions/demo-orders/demo-billing/epochs`, { headers: auth() });
      const body = (await r.json()) as { epochs: Array<{ epoch: number }> };
      return body.epochs[0]!.epoch > before ? body.epochs[0]!.epoch : undefined;
    });
    expect(after).toBe(before + 1);
  });

  it('shows the demo consumer with zero duplicates', async () => {
    const res = await fetch(`${server.baseUrl}/api/demo/consumer`, { headers: auth() });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { received: number; unique: number; duplicates: number };
    expect(body.duplicates).toBe(0);
    expect(body.received).toBe(body.unique);
  });

  it('shuts down cleanly on SIGTERM with exit code 0', async () => {
    const code = await server.stop();
    expect(code).toBe(0);
  });
});
