/**
 * Hostile input against the real custom server (production build), watching a separate embedded
 * server through a connection string that carries a password: every hostile request gets a clear
 * JSON error (never a 500), hostile names and events are shown safely, the process keeps
 * running, no proxied event is lost, and the password never leaves the process.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import {
  binaryEvent,
  EventStoreDBClient,
  jsonEvent,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
} from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { errorBodySchema, snapshotEventSchema, subscriptionDetailSchema, subscriptionsResponseSchema } from '../lib/api/schemas';
import { ConfigError, parseConfig } from '../lib/config/schema';
import { parseSubwatchConfigFile } from '../lib/config/proxies-schema';
import { startEmbeddedEsdb, type EmbeddedEsdb } from './helpers/server-fixtures';
import { waitFor } from './helpers/wait-for';
import { FRAUD_CHECK_GROUP } from '../server/demo/fraud-check';
import { startServer, type RunningServer } from './start-server';

const PASSWORD = 'S3cretPassw0rd';
const WEBHOOK_SECRET = 'W3bh00k-K3y-d0-n0t-l0g';
/** A config-file proxy whose webhook sink carries a secret header (DESIGN.md §5). */
const HOOKED = { stream: `hooked-${randomUUID()}`, group: 'hook-group' };
const DEMO_STREAM = 'demo-orders';
const DEMO_GROUP = 'demo-billing';

let esdb: EmbeddedEsdb;
let esdbStopped = false;
let server: RunningServer;
let client: EventStoreDBClient;
let sink: http.Server;
let configDir: string;
/** Event ids the webhook sink answered 200 for, and the x-api-key values it received. */
const hooked = { delivered: new Set<string>(), attempts: new Map<string, number>(), keys: new Set<string>() };
/** Every response body this file received from subwatch (checked for the password at the end). */
const seen: string[] = [];

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** An HTTP request with the path sent byte for byte (fetch would normalise `%2e%2e` and `..`). */
function raw(
  path: string,
  { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  const url = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, method, path, headers: { ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          seen.push(text);
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const bearer = () => ({ authorization: `Bearer ${server.token}` });
const json = (extra: Record<string, string> = {}) => ({ ...bearer(), 'content-type': 'application/json', ...extra });
const enc = encodeURIComponent;

/** A clear error: the status, the `{error: {code, message}}` body as JSON, and a non-empty message. */
function expectError(response: RawResponse, status: number, code: string): void {
  expect(response.status, response.text.slice(0, 300)).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = errorBodySchema.parse(JSON.parse(response.text));
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
}

async function subscriptions() {
  const response = await raw('/api/subscriptions', { headers: bearer() });
  expect(response.status).toBe(200);
  return subscriptionsResponseSchema.parse(JSON.parse(response.text)).subscriptions;
}

beforeAll(async () => {
  esdb = await startEmbeddedEsdb({ port: 0 });
  client = EventStoreDBClient.connectionString(esdb.connectionString);
  // The webhook fails each event's first call (500), so failure paths log too, then accepts it.
  sink = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      hooked.keys.add(String(request.headers['x-api-key']));
      const { eventId } = JSON.parse(body) as { eventId: string };
      const attempt = (hooked.attempts.get(eventId) ?? 0) + 1;
      hooked.attempts.set(eventId, attempt);
      if (attempt > 1) hooked.delivered.add(eventId);
      response.writeHead(attempt > 1 ? 200 : 500).end();
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  configDir = mkdtempSync(path.join(os.tmpdir(), 'subwatch-hostile-'));
  const configFile = path.join(configDir, 'subwatch.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      proxies: [
        {
          ...HOOKED,
          createIfMissing: { startFrom: 'start' },
          sink: {
            type: 'webhook',
            url: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/hook`,
            headers: { 'x-api-key': WEBHOOK_SECRET },
          },
        },
      ],
    }),
  );
  server = await startServer({
    SUBWATCH_CONFIG: configFile,
    ESDB_CONNECTION_STRING: `esdb://admin:${PASSWORD}@127.0.0.1:${esdb.port}?tls=false`,
    SUBWATCH_DEMO: '1',
    SUBWATCH_DEMO_FAULT_INTERVAL_MS: '600000',
    // Every log line the process can write is checked for the password.
    LOG_LEVEL: 'trace',
  });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await client?.dispose();
  if (!esdbStopped) await esdb?.stop();
  await new Promise((resolve) => sink?.close(resolve));
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

describe('hostile query parameters', () => {
  const epochs = `/api/subscriptions/${DEMO_STREAM}/${DEMO_GROUP}/epochs`;
  it.each(['-1', '0', '99999999999999999999', '1e309', 'abc', '1.5', '%00', '%20', '1001'])(
    'answers epochs?limit=%s with 400 VALIDATION',
    async (limit) => {
      expectError(await raw(`${epochs}?limit=${limit}`, { headers: bearer() }), 400, 'VALIDATION');
    },
  );

  it('accepts the largest allowed limit and a repeated parameter without failing', async () => {
    expect((await raw(`${epochs}?limit=1000`, { headers: bearer() })).status).toBe(200);
    expect((await raw(`${epochs}?limit=5&limit=-1`, { headers: bearer() })).status).toBe(200);
  });

  it.each(['limit=-5', 'limit=abc', 'from=-1', 'from=1e400', 'from=%27%20OR%201%3D1'])(
    'answers parked?%s with 400 VALIDATION',
    async (query) => {
      expectError(await raw(`/api/subscriptions/${DEMO_STREAM}/${DEMO_GROUP}/parked?${query}`, { headers: bearer() }), 400, 'VALIDATION');
    },
  );
});

describe('hostile stream and group names in the path', () => {
  it.each([
    ['an encoded traversal', `/api/subscriptions/${enc('../../etc/passwd')}/g`],
    ['an encoded traversal in the group', `/api/subscriptions/s/${enc('../../../../etc/shadow')}`],
    ['percent-encoded dots', '/api/subscriptions/%2e%2e/%2e%2e%2fetc'],
    ['a NUL byte', '/api/subscriptions/orders%00.json/g'],
    ['a 6000-character name', `/api/subscriptions/${'x'.repeat(6000)}/g`],
    ['a name made of CR LF header injection', `/api/subscriptions/${enc('a\r\nSet-Cookie: pwned=1')}/g`],
    ['invalid UTF-8 percent-encoding', '/api/subscriptions/%ff%fe/g'],
    ['a malformed percent-escape', '/api/subscriptions/%E0%A4%A/g'],
  ])('answers %s with a clear 4xx error and no 500', async (_what, path) => {
    const response = await raw(path, { headers: bearer() });
    expect([400, 404], response.text.slice(0, 300)).toContain(response.status);
    expect(errorBodySchema.safeParse(JSON.parse(response.text)).success).toBe(true);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('never serves a file for a raw ../ traversal', async () => {
    const response = await raw('/api/subscriptions/../../../../etc/passwd', { headers: bearer() });
    expect(response.status).toBe(404);
    expect(response.text).not.toMatch(/root:.*:0:0:/);
  });
});

describe('hostile bodies and headers', () => {
  const replay = `/api/subscriptions/${DEMO_STREAM}/${DEMO_GROUP}/replay`;
  const twoMegabytes = JSON.stringify({ token: 'x'.repeat(2 * 1024 * 1024) });

  it('refuses a 2 MB login body with 413 PAYLOAD_TOO_LARGE', async () => {
    expectError(await raw('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: twoMegabytes }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('refuses a 2 MB replay body with 413 PAYLOAD_TOO_LARGE', async () => {
    expectError(await raw(replay, { method: 'POST', headers: json(), body: twoMegabytes }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it.each([
    ['malformed JSON', '{"stopAt": 1,'],
    ['a negative stopAt', '{"stopAt": -1}'],
    ['a stopAt beyond 2^53', '{"stopAt": 1e300}'],
    ['a fractional stopAt', '{"stopAt": 1.5}'],
    ['a numeric string stopAt', '{"stopAt": "5"}'],
    ['a JSON array', '[1,2,3]'],
    ['JSON null', 'null'],
  ])('answers a replay with %s with 400 VALIDATION', async (_what, body) => {
    expectError(await raw(replay, { method: 'POST', headers: json(), body }), 400, 'VALIDATION');
  });

  it('answers a login sent as text/plain or as a form with 400 VALIDATION naming the content type', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const response = await raw('/api/auth/login', { method: 'POST', headers: { 'content-type': type }, body: '{"token":"x"}' });
      expectError(response, 400, 'VALIDATION');
      expect(response.text).toContain('application/json');
    }
  });

  it('answers a login body that is not UTF-8 with 400 VALIDATION', async () => {
    const body = Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    expectError(await raw('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body }), 400, 'VALIDATION');
  });

  it('answers a login with a 5000-character token with 400 VALIDATION', async () => {
    const body = JSON.stringify({ token: 't'.repeat(5000) });
    expectError(await raw('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body }), 400, 'VALIDATION');
  });

  it('answers an 8 KB garbage Authorization header with 401 UNAUTHORIZED', async () => {
    expectError(await raw('/api/subscriptions', { headers: { authorization: `Bearer ${'A'.repeat(8 * 1024)}` } }), 401, 'UNAUTHORIZED');
  });

  it('refuses a 100 KB Authorization header at the HTTP layer (431) and keeps serving', async () => {
    // Node answers 431 and closes the socket; a client still writing its headers may see the reset first.
    const outcome = await raw('/api/subscriptions', { headers: { authorization: `Bearer ${'A'.repeat(100 * 1024)}` } }).then(
      (response) => response.status,
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect([431, 'ECONNRESET', 'EPIPE']).toContain(outcome);
    expect((await raw('/api/healthz')).status).toBe(200);
  });

  it('answers unknown API routes with the JSON 404 body and wrong methods with 405', async () => {
    expectError(await raw('/api/does-not-exist'), 404, 'NOT_FOUND');
    expectError(await raw('/api/subscriptions/a/b/c/d/e', { headers: bearer() }), 404, 'NOT_FOUND');
    expect((await raw('/api/subscriptions', { method: 'DELETE', headers: bearer() })).status).toBe(405);
    expect((await raw('/api/healthz', { method: 'POST' })).status).toBe(405);
  });
});

describe('hostile names and events shown through the API', () => {
  const hostileStream = `</script><script>alert(1)</script>-${randomUUID()}`;
  const hostileGroup = `<img src=x onerror="alert(1)">-${randomUUID()}`;

  beforeAll(async () => {
    await client.createPersistentSubscriptionToStream(
      hostileStream,
      hostileGroup,
      persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START }),
    );
  });

  it('lists a group with script and img markup in its names as exact JSON strings, with nosniff', async () => {
    const response = await raw('/api/subscriptions', { headers: bearer() });
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    const row = await waitFor(
      async () => (await subscriptions()).find((s) => s.group === hostileGroup),
      { timeoutMs: 15_000, intervalMs: 200, message: 'the hostile group in /api/subscriptions' },
    );
    expect(row.stream).toBe(hostileStream);
    const detail = await raw(`/api/subscriptions/${enc(hostileStream)}/${enc(hostileGroup)}`, { headers: bearer() });
    expect(detail.status).toBe(200);
    expect(subscriptionDetailSchema.parse(JSON.parse(detail.text)).summary.group).toBe(hostileGroup);
  });

  it('renders the detail page of that group with the markup escaped, never as tags', async () => {
    const page = await raw(`/subscriptions/${enc(hostileStream)}/${enc(hostileGroup)}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).not.toContain('<img src=x onerror');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-/);
  });

  it('delivers binary, invalid UTF-8, 1 MB, deeply nested and markup-laden events through the proxy without losing or parking one', async () => {
    let nested: unknown = 'bottom';
    // 1000 levels: deeper, and the producer's own JSON.stringify overflows the stack first.
    for (let i = 0; i < 1000; i++) nested = [nested];
    const events = [
      binaryEvent({ type: 'hostile-binary', data: Uint8Array.from({ length: 256 }, (_, i) => i) }),
      binaryEvent({ type: 'hostile-bad-utf8-json', data: Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xff, 0xfe, 0xfd]) }),
      jsonEvent({ type: 'hostile-1mb', data: { blob: 'm'.repeat(1024 * 1024) } }),
      jsonEvent({ type: 'hostile-nested', data: { nested } }),
      jsonEvent({
        type: 'hostile-markup</script>',
        data: { note: '</script><script>alert(1)</script>' },
        metadata: { note: '<img src=x onerror=alert(1)>', '__proto__': { polluted: true } },
      }),
    ];
    const before = (await subscriptions()).find((s) => s.stream === DEMO_STREAM && s.group === DEMO_GROUP);
    expect(before?.parked).toBe(0);
    let last = 0n;
    for (const event of events) {
      const result = await client.appendToStream(DEMO_STREAM, event);
      last = result.nextExpectedRevision;
      await client.appendToStream(hostileStream, event);
    }
    // The checkpoint moves past an event only once it was acked: acked after the sink succeeded
    // (DESIGN.md §6), so reaching `last` with nothing parked means all five were delivered.
    const row = await waitFor(
      async () => {
        const demo = (await subscriptions()).find((s) => s.stream === DEMO_STREAM && s.group === DEMO_GROUP);
        return demo && demo.lastCheckpointed !== null && BigInt(demo.lastCheckpointed) >= last ? demo : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 250, message: `the ${DEMO_GROUP} checkpoint to pass revision ${last}` },
    );
    expect(row.parked).toBe(0);
    expect(row.subscriber?.state).toBe('live');
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    const hostile = (await subscriptions()).find((s) => s.group === hostileGroup);
    expect(hostile?.lastKnown).toBe('4');
  });
});

describe('webhook sink with a secret header', () => {
  it('delivers every event to the webhook with its header after a failed first call, losing none', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of ids) {
      await client.appendToStream(HOOKED.stream, jsonEvent({ id, type: 'hooked', data: { id } }));
    }
    await waitFor(() => ids.every((id) => hooked.delivered.has(id)), {
      timeoutMs: 45_000,
      intervalMs: 100,
      message: () => `webhook deliveries of ${ids.join(', ')} (attempts: ${JSON.stringify([...hooked.attempts])})`,
    });
    expect([...hooked.keys]).toEqual([WEBHOOK_SECRET]);
    const row = (await subscriptions()).find((s) => s.stream === HOOKED.stream && s.group === HOOKED.group);
    expect(row?.proxied).toBe(true);
    expect(row?.parked).toBe(0);
  });
});

describe('hostile configuration', () => {
  it('lists every bad environment value in one ConfigError', () => {
    let error: unknown;
    try {
      parseConfig({
        PORT: '-1',
        EMBEDDED_ESDB_PORT: '70000',
        SUBWATCH_ADMIN_TOKEN: 'short',
        SUBWATCH_PUBLIC_READ: 'maybe',
        SUBWATCH_DEMO_FAULT_INTERVAL_MS: 'soon',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const key of ['PORT', 'EMBEDDED_ESDB_PORT', 'SUBWATCH_ADMIN_TOKEN', 'SUBWATCH_PUBLIC_READ', 'SUBWATCH_DEMO_FAULT_INTERVAL_MS']) {
      expect(problems).toContain(key);
    }
  });

  it('rejects a connection string with a foreign scheme without echoing its password', () => {
    expect(() => parseConfig({ ESDB_CONNECTION_STRING: `http://admin:${PASSWORD}@db:2113` })).toThrow(ConfigError);
    try {
      parseConfig({ ESDB_CONNECTION_STRING: `http://admin:${PASSWORD}@db:2113` });
    } catch (e) {
      expect((e as Error).message).toContain('ESDB_CONNECTION_STRING');
      expect((e as Error).message).not.toContain(PASSWORD);
    }
  });

  it('rejects a config file that is not JSON, or smuggles __proto__, without polluting objects', () => {
    expect(() => parseSubwatchConfigFile('{"proxies": [', 'subwatch.config.json')).toThrow(/subwatch\.config\.json/);
    expect(() => parseSubwatchConfigFile('{"__proto__": {"polluted": true}, "proxies": "nope"}', 'subwatch.config.json')).toThrow(ConfigError);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe('after the hostile input', () => {
  it('writes every log line as JSON, with stream, group, epoch and eventId on the lines about a delivery', () => {
    // Plain text comes only from the banner (server/main.ts) and Next's own status lines (✓/⚠/▲);
    // everything subwatch logs is pino JSON.
    const lines = server.output().split('\n').filter((line) => line.trim() !== '');
    const entries = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    const plain = lines.filter((line) => !line.startsWith('{'));
    const allowed = /^( {2}(subwatch is running|Dashboard:|Log in:|EventStoreDB:|\(random admin token)| ?[✓⚠▲] )/;
    expect(plain.filter((line) => !allowed.test(line))).toEqual([]);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(typeof entry.level, JSON.stringify(entry)).toBe('number');
      expect(typeof entry.time, JSON.stringify(entry)).toBe('number');
      expect(typeof entry.msg, JSON.stringify(entry)).toBe('string');
    }
    // Every line a subscriber, its sink or its proxy writes names the group it is about.
    const perGroup = entries.filter((entry) => ['subscriber', 'sink', 'proxy'].includes(String(entry.component)));
    const groups = new Set(perGroup.map((entry) => `${String(entry.stream)}::${String(entry.group)}`));
    expect([...groups].sort()).toEqual([`${DEMO_STREAM}::${DEMO_GROUP}`, `${DEMO_STREAM}::${FRAUD_CHECK_GROUP}`, `${HOOKED.stream}::${HOOKED.group}`].sort());
    // A line about one delivery carries the event id and the epoch it arrived in.
    const perEvent = perGroup.filter((entry) => 'eventId' in entry || 'key' in entry);
    for (const entry of perEvent) {
      expect(typeof entry.eventId, JSON.stringify(entry)).toBe('string');
      expect(Number.isInteger(entry.epoch), JSON.stringify(entry)).toBe(true);
    }
    // The webhook answers each event's first call with 500: the retry is logged per event.
    const retried = perEvent.filter((entry) => entry.stream === HOOKED.stream && /nack retry/.test(String(entry.msg)));
    expect(new Set(retried.map((entry) => entry.eventId)).size).toBeGreaterThan(0);
    for (const entry of retried) expect(hooked.delivered.has(String(entry.eventId)), JSON.stringify(entry)).toBe(true);
    const epochLines = perGroup.filter((entry) => /^(subscription live; epoch opened|epoch closed)$/.test(String(entry.msg)));
    expect(epochLines.length).toBeGreaterThan(0);
    for (const entry of epochLines) expect(Number.isInteger(entry.epoch), JSON.stringify(entry)).toBe(true);
  });

  it('keeps the process running and healthy', async () => {
    expect(server.child.exitCode).toBeNull();
    const health = await raw('/api/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toEqual({ status: 'ok' });
  });

  it('never shows the connection-string password or the webhook secret in a log line, API response, SSE event, page or script', async () => {
    // Gather what a user or scraper can see, on top of every response above.
    const hookedPath = `/api/subscriptions/${HOOKED.stream}/${HOOKED.group}`;
    for (const path of [hookedPath, `${hookedPath}/epochs`, '/api/subscriptions', '/api/readyz', '/api/metrics', `/api/subscriptions/${DEMO_STREAM}/${DEMO_GROUP}`, `/api/subscriptions/${DEMO_STREAM}/${DEMO_GROUP}/epochs`, '/api/auth/session']) {
      await raw(path, { headers: bearer() });
    }
    const pages = await Promise.all(['/', '/login', `/subscriptions/${DEMO_STREAM}/${DEMO_GROUP}`].map((p) => raw(p)));
    const scripts = new Set(pages.flatMap((p) => [...p.text.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!)));
    expect(scripts.size).toBeGreaterThan(0);
    for (const src of scripts) await raw(src);

    const controller = new AbortController();
    const live = await fetch(`${server.baseUrl}/api/live`, { headers: bearer(), signal: controller.signal });
    const reader = live.body!.getReader();
    const decoder = new TextDecoder();
    let sse = '';
    while (!/event: snapshot\ndata: .*\n\n/.test(sse)) {
      const { value, done } = await reader.read();
      if (done) break;
      sse += decoder.decode(value, { stream: true });
    }
    controller.abort();
    snapshotEventSchema.parse(JSON.parse(/event: snapshot\ndata: (.*)\n\n/.exec(sse)![1]!));
    seen.push(sse);

    // The banner names the server with the password masked: proof the output was captured.
    expect(server.output()).toContain(`esdb://admin:***@127.0.0.1:${esdb.port}`);
    expect(server.output()).not.toContain(PASSWORD);
    expect(server.output()).not.toContain(WEBHOOK_SECRET);
    const leaks = seen.filter((text) => text.includes(PASSWORD) || text.includes(WEBHOOK_SECRET));
    expect(leaks.map((text) => text.slice(0, 200))).toEqual([]);
  });

  // Last: it stops the watched server.
  it('answers the readiness probe with 503 naming EventStoreDB once the watched server is gone, and keeps serving', async () => {
    await esdb.stop();
    esdbStopped = true;
    const body = await waitFor(
      async () => {
        const response = await raw('/api/readyz');
        return response.status === 503 ? (JSON.parse(response.text) as { status: string; reasons: string[] }) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, message: '/api/readyz to answer 503' },
    );
    expect(body.status).toBe('not-ready');
    expect(body.reasons.some((reason) => reason.startsWith('EventStoreDB unreachable'))).toBe(true);
    expect(body.reasons.join(' ')).not.toContain(PASSWORD);
    const health = await raw('/api/healthz');
    expect(health.status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });
});
