/**
 * Issue 4: the subscriber as a child process (test/fixtures/webhook-subscriber-child.ts) is
 * SIGKILLed mid-batch, then restarted on the same SQLite store. Nothing is lost; the only events
 * that may reach the webhook twice are ones whose first call succeeded (2xx) before the crash —
 * the crash window between the sink's success and the durable "done" record — and every call of
 * an event carries the same Idempotency-Key, so an idempotent receiver applies it once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  EventStoreDBClient,
  jsonEvent,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
} from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedEsdb, type EmbeddedEsdb } from './helpers/server-fixtures';
import { waitFor } from './helpers/wait-for';
import { startWebhookReceiver, type WebhookCall, type WebhookReceiver } from './helpers/webhook-receiver';

const EVENTS = 150;
const BUFFER_SIZE = 10;
/** The webhook call during which the first process is killed (mid-stream, buffer full). */
const KILL_AT_CALL = 61;
const CHILD = path.join(import.meta.dirname, 'fixtures', 'webhook-subscriber-child.ts');

let esdb: EmbeddedEsdb;
let admin: EventStoreDBClient;
let hook: WebhookReceiver;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'subwatch-crash-int-'));
  esdb = await startEmbeddedEsdb({ port: 0 });
  admin = EventStoreDBClient.connectionString(esdb.connectionString);
  hook = await startWebhookReceiver();
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await hook?.close();
  await admin?.dispose();
  await esdb?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function startChild(args: string[]): { child: ChildProcess; exited: Promise<{ code: number | null; signal: string | null }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      if (code !== 0 && signal === null && stderr) console.error(stderr);
      resolve({ code, signal });
    }),
  );
  return { child, exited };
}

describe('subscriber child process killed with SIGKILL mid-batch', () => {
  it('loses nothing after a restart, and repeats only events whose webhook call succeeded before the crash, with the same Idempotency-Key', async () => {
    const stream = `orders-${randomUUID()}`;
    const group = 'billing';
    const ids = Array.from({ length: EVENTS }, () => randomUUID());
    await admin.appendToStream(stream, ids.map((id, n) => jsonEvent({ id, type: 'OrderPlaced', data: { n } })));
    await admin.createPersistentSubscriptionToStream(
      stream,
      group,
      persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, maxRetryCount: 100 }),
    );
    const callsBefore = hook.calls.length;
    const args = [esdb.connectionString, stream, group, path.join(dir, 'dedup.db'), hook.url, String(BUFFER_SIZE)];

    const first = startChild([...args, 'first']);
    hook.setRespond((call) => {
      if (call.n - callsBefore === KILL_AT_CALL) {
        // Crash while this call and the rest of the buffer are in flight; calls answered just
        // before may not be recorded done yet. This call is never answered.
        first.child.kill('SIGKILL');
        return { status: 200, wait: new Promise(() => undefined) };
      }
      return { status: 200 };
    });
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const mine = (): WebhookCall[] => hook.calls.slice(callsBefore);
    const succeeded = () => mine().filter((c) => c.status === 200);
    const second = startChild([...args, 'second']);
    await waitFor(() => new Set(succeeded().map((c) => c.body.eventId)).size === EVENTS, {
      timeoutMs: 30_000,
      message: () => `every event answered 200 (have ${new Set(succeeded().map((c) => c.body.eventId)).size})`,
    });
    await waitFor(
      async () => {
        const { stats } = await admin.getPersistentSubscriptionToStreamInfo(stream, group);
        return stats.totalInFlightMessages === 0 && stats.retryBufferCount === 0 && stats.readBufferCount === 0;
      },
      { message: 'everything acked after the restart' },
    );
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });

    const calls = mine();
    // Nothing lost.
    expect(new Set(calls.map((c) => c.body.eventId))).toEqual(new Set(ids));
    // Every call of an event carries the event's dedup key (the original event id).
    expect(calls.filter((c) => c.headers['idempotency-key'] !== c.body.eventId)).toEqual([]);
    // No event succeeds twice within one process; an event that succeeded in both processes
    // succeeded in the first one before the crash (only those can repeat): at most one buffer.
    const successes = (run: string) => succeeded().filter((c) => c.headers['x-test-run'] === run).map((c) => c.body.eventId);
    const [beforeCrash, afterRestart] = [successes('first'), successes('second')];
    expect(new Set(beforeCrash).size).toBe(beforeCrash.length);
    expect(new Set(afterRestart).size).toBe(afterRestart.length);
    const repeated = afterRestart.filter((id) => beforeCrash.includes(id));
    expect(repeated.length).toBeLessThanOrEqual(BUFFER_SIZE);
    expect(beforeCrash.length + afterRestart.length - repeated.length).toBe(EVENTS);
    console.info(`[crash] calls=${calls.length} beforeCrash=${beforeCrash.length} repeatedAfterRestart=${repeated.length}`);
  });
});
