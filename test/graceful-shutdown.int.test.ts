/**
 * DESIGN.md §6 shutdown through the real process (server/main.ts, production build): SIGTERM while
 * webhook calls are still in flight → subwatch stops taking events, lets the slow calls finish,
 * acks them, exits 0; a restart on the same data dir delivers the rest. No event is lost, none
 * reaches the webhook twice, and the acks sent during shutdown reached the server (the restart
 * receives only the events that were not delivered).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptionsResponseSchema } from '../lib/api/schemas';
import { startEmbeddedEsdb, type EmbeddedEsdb } from './helpers/server-fixtures';
import { waitFor } from './helpers/wait-for';
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver';
import { startServer, type RunningServer } from './start-server';

const EVENTS = 20;
const BUFFER_SIZE = 5;
/** How long the held webhook calls still take after SIGTERM (a slow sink). */
const SLOW_SINK_AFTER_SIGTERM_MS = 1_000;

let esdb: EmbeddedEsdb;
let admin: EventStoreDBClient;
let hook: WebhookReceiver;
let dir: string;
const servers: RunningServer[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'subwatch-shutdown-int-'));
  esdb = await startEmbeddedEsdb({ port: 0 });
  admin = EventStoreDBClient.connectionString(esdb.connectionString);
  hook = await startWebhookReceiver();
});

afterAll(async () => {
  for (const server of servers) await server.stop();
  await hook?.close();
  await admin?.dispose();
  await esdb?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Pino JSON lines of the child's output with the given message. */
function logLines(output: string, msg: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === msg);
}

describe('graceful shutdown of a config-file proxy (child process)', () => {
  it('exits 0 after the slow in-flight calls finished and were acked; the restart delivers the rest exactly once', async () => {
    const stream = `orders-${randomUUID()}`;
    const group = 'billing';
    const ids = Array.from({ length: EVENTS }, () => randomUUID());
    await admin.appendToStream(stream, ids.map((id, n) => jsonEvent({ id, type: 'OrderPlaced', data: { n } })));
    const configFile = path.join(dir, 'subwatch.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        proxies: [
          {
            stream,
            group,
            createIfMissing: { startFrom: 'start', messageTimeout: '60s' },
            bufferSize: BUFFER_SIZE,
            sink: { type: 'webhook', url: hook.url, timeoutMs: 10_000, headers: { authorization: 'Bearer hook-secret' } },
          },
        ],
      }),
    );
    const env = {
      ESDB_CONNECTION_STRING: esdb.connectionString,
      SUBWATCH_CONFIG: configFile,
      SUBWATCH_DATA_DIR: path.join(dir, 'data'),
      SUBWATCH_DEMO: '0',
      LOG_LEVEL: 'info',
    };

    // Run 1: every webhook call is held until the test answers it.
    const held: Array<() => void> = [];
    hook.setRespond(() => ({ status: 200, wait: new Promise<void>((resolve) => held.push(resolve)) }));
    const first = await startServer(env);
    servers.push(first);
    await waitFor(() => held.length === BUFFER_SIZE, { timeoutMs: 30_000, message: () => `${BUFFER_SIZE} held calls (got ${held.length})` });
    held.splice(0).forEach((answer) => answer());
    await waitFor(() => held.length === BUFFER_SIZE, { timeoutMs: 15_000, message: () => `the next ${BUFFER_SIZE} held calls (got ${held.length})` });
    expect(hook.calls).toHaveLength(2 * BUFFER_SIZE);

    // SIGTERM while 5 calls are in the sink; they answer a second later.
    const sigtermAt = Date.now();
    // One signal only (a second one would kill the process: process.once).
    const exited = new Promise<number | null>((resolve) => first.child.once('exit', (c) => resolve(c)));
    first.child.kill('SIGTERM');
    await waitFor(() => logLines(first.output(), 'shutting down').length > 0, { message: 'the shutdown to start' });
    setTimeout(() => held.splice(0).forEach((answer) => answer()), SLOW_SINK_AFTER_SIGTERM_MS);
    const code = await exited;

    expect(code).toBe(0);
    const out = first.output();
    expect(out).not.toContain('stop deadline reached');
    expect(out).not.toContain('hook-secret');
    const [stopped] = logLines(out, 'subscriber stopped');
    expect(stopped?.totals).toEqual({ received: 2 * BUFFER_SIZE, delivered: 2 * BUFFER_SIZE, duplicatesSuppressed: 0, parked: 0 });
    // It stopped taking events: nothing new reached the webhook after SIGTERM.
    expect(hook.calls).toHaveLength(2 * BUFFER_SIZE);
    expect(hook.calls.every((c) => c.receivedAt < sigtermAt && c.status === 200)).toBe(true);
    expect(hook.calls.slice(BUFFER_SIZE).every((c) => c.answeredAt! >= sigtermAt)).toBe(true);

    // Run 2 on the same data dir, fast webhook.
    hook.setRespond(() => ({ status: 200 }));
    const second = await startServer(env);
    servers.push(second);
    await waitFor(() => new Set(hook.calls.filter((c) => c.status === 200).map((c) => c.body.eventId)).size === EVENTS, {
      timeoutMs: 30_000,
      message: () => `all ${EVENTS} events delivered (calls so far: ${hook.calls.length})`,
    });
    const row = await waitFor(
      async () => {
        const res = await fetch(`${second.baseUrl}/api/subscriptions`, { headers: { authorization: `Bearer ${second.token}` } });
        const body = subscriptionsResponseSchema.parse(await res.json());
        const found = body.subscriptions.find((s) => s.stream === stream && s.group === group);
        return found?.subscriber && found.subscriber.delivered === EVENTS - 2 * BUFFER_SIZE ? found : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 200, message: 'the restarted subscriber counters' },
    );
    // The acks sent during shutdown reached the server: the delivered events are not redelivered.
    expect(row.subscriber).toMatchObject({ received: EVENTS - 2 * BUFFER_SIZE, duplicatesSuppressed: 0, parked: 0 });
    expect(row.proxied).toBe(true);

    // No event lost, none twice, every call with its event's Idempotency-Key.
    const successes = new Map<string, number>();
    for (const call of hook.calls) {
      expect(call.headers['idempotency-key']).toBe(call.body.eventId);
      if (call.status === 200) successes.set(String(call.body.eventId), (successes.get(String(call.body.eventId)) ?? 0) + 1);
    }
    expect([...successes.keys()].sort()).toEqual([...ids].sort());
    expect([...successes.values()].every((n) => n === 1)).toBe(true);
    expect(await second.stop()).toBe(0);
  });
});
