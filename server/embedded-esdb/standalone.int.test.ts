/**
 * `npm run esdb` as a real child process with `--data-dir`: state written before the process is
 * stopped (SIGTERM) or killed (SIGKILL, no shutdown code runs) is there when the data directory
 * is opened again.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventStoreDBClient, jsonEvent, persistentSubscriptionToStreamSettingsFromDefaults, START } from '@eventstore/db-client';
import { afterEach, describe, expect, test } from 'vitest';
import { createEsdbServer } from './create-esdb-server';
import { collectDeliveries } from './testing/collect-deliveries';
import { waitUntil } from './testing/wait-until';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Starts `standalone.ts` and resolves with the connection string it prints. */
async function startStandalone(dataDir: string): Promise<{ child: ChildProcess; client: EventStoreDBClient }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'standalone.ts'), '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited(child);
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const connectionString = await waitUntil('the printed connection string', () => {
    if (child.exitCode !== null) throw new Error(`standalone server exited: ${output}`);
    return /(esdb:\/\/\S+)/.exec(output)?.[1];
  });
  expect(output).toContain(`data in ${dataDir}`);
  const client = EventStoreDBClient.connectionString(connectionString);
  cleanups.push(() => client.dispose());
  return { child, client };
}

describe('npm run esdb with --data-dir', () => {
  test.each(['SIGTERM', 'SIGKILL'] as const)(
    'streams, groups, checkpoints and parked messages survive the process being stopped with %s',
    async (signal) => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'embedded-esdb-'));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const stream = `s-${randomUUID()}`;
      const group = `g-${randomUUID()}`;

      const first = await startStandalone(dataDir);
      await first.client.appendToStream(stream, [0, 1, 2].map((n) => jsonEvent({ type: 'test-event', data: { n } })));
      // Upper bound 1: every ack writes a checkpoint (§2.5).
      const settings = persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, checkPointLowerBound: 1, checkPointUpperBound: 1 });
      await first.client.createPersistentSubscriptionToStream(stream, group, settings);
      const subscription = first.client.subscribeToPersistentSubscriptionToStream(stream, group);
      const { received } = collectDeliveries(subscription);
      await waitUntil('three deliveries', () => received.length === 3);
      await subscription.nack('park', 'poison', received[0]!);
      await subscription.ack(received[1]!);
      await waitUntil('checkpoint 1', async () => {
        const info = await first.client.getPersistentSubscriptionToStreamInfo(stream, group);
        return info.stats.lastCheckpointedEventRevision === 1n;
      });
      first.child.kill(signal);
      const exit = await exited(first.child);
      expect(signal === 'SIGTERM' ? exit.code : exit.signal).toBe(signal === 'SIGTERM' ? 0 : 'SIGKILL');

      // Read back in-process: one child process per case keeps the suite fast.
      const server = await createEsdbServer({ port: 0, dataDir });
      cleanups.push(() => server.stop());
      const second = { client: EventStoreDBClient.connectionString(server.connectionString) };
      cleanups.push(() => second.client.dispose());
      const events = [];
      for await (const resolved of second.client.readStream(stream)) events.push(resolved.event?.data);
      expect(events).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
      const info = await second.client.getPersistentSubscriptionToStreamInfo(stream, group);
      expect(info.settings).toEqual(settings);
      expect(info.stats.lastCheckpointedEventRevision).toBe(1n);
      expect(info.stats.parkedMessageCount).toBe(1n);
      const resumed = second.client.subscribeToPersistentSubscriptionToStream(stream, group);
      const redelivered = collectDeliveries(resumed).received;
      await waitUntil('event 2 again', () => redelivered.length === 1);
      expect(`${redelivered[0]!.event?.revision}/${redelivered[0]!.retryCount}`).toBe('2/0');
      await resumed.unsubscribe();
    },
  );
});
