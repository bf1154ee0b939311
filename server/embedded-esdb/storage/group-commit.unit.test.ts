/**
 * Group commit of the data log (README "fsync policy"): appends that arrive while an fsync runs
 * share the next write and fsync, and none is visible or acknowledged before the fsync covering it
 * returned. The fsync is a controllable fake (`FileSyncer` seam); writes go to a real temp file.
 */
import { randomUUID } from 'node:crypto';
import { fdatasyncSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { EventLog, type AppendResult } from '../log/event-log';
import type { ProposedEvent } from '../log/recorded-event';
import { FakeClock } from '../testing/fake-clock';
import { DataLog } from './data-log';
import type { FileSyncer } from './record-file';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function newDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'esdb-group-commit-'));
  dirs.push(dir);
  return dir;
}

/** An fsync that waits until the test releases it (then really syncs) or fails it. */
class HeldSyncer implements FileSyncer {
  readonly held: { fd: number; callback: (error: NodeJS.ErrnoException | null) => void }[] = [];
  calls = 0;

  fdatasync(fd: number, callback: (error: NodeJS.ErrnoException | null) => void): void {
    this.calls++;
    this.held.push({ fd, callback });
  }

  release(): void {
    const next = this.held.shift();
    if (!next) throw new Error('no fsync is waiting');
    fdatasyncSync(next.fd);
    next.callback(null);
  }

  fail(): void {
    const next = this.held.shift();
    if (!next) throw new Error('no fsync is waiting');
    next.callback(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
  }
}

const event = (n: number): ProposedEvent => ({
  id: randomUUID(),
  type: 'test-event',
  isJson: true,
  data: Buffer.from(JSON.stringify({ n })),
  metadata: new Uint8Array(),
});

/** Lets setImmediate callbacks (group start) and promise reactions (acks) run. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

function track(promise: Promise<AppendResult>) {
  const state: { result?: AppendResult; error?: unknown } = {};
  promise.then(
    (result) => (state.result = result),
    (error: unknown) => (state.error = error),
  );
  return state;
}

function open(dataDir: string, syncer?: FileSyncer) {
  const dataLog = DataLog.open(dataDir, () => undefined, syncer);
  const log = new EventLog(new FakeClock(), dataLog.journal);
  dataLog.restoreInto(log);
  return { dataLog, log };
}

describe('group commit', () => {
  test('appends arriving during an fsync share the next write and fsync and are acknowledged and visible only after it', async () => {
    const dataDir = newDataDir();
    const syncer = new HeldSyncer();
    const { dataLog, log } = open(dataDir, syncer);
    const seen: string[] = [];
    log.onAppended((events) => seen.push(...events.map((e) => e.streamId)));

    const first = track(log.appendDurable('s-0', 'any', [event(0)]));
    await turn();
    expect(syncer.calls).toBe(1);
    const rest = [1, 2, 3, 4, 5].map((n) => track(log.appendDurable(`s-${n}`, 'no_stream', [event(n)])));
    await turn();

    // The first group's fsync has not returned: nothing is acknowledged, readable or delivered.
    expect(first.result).toBeUndefined();
    expect(log.isMissing('s-0')).toBe(true);
    expect(seen).toEqual([]);
    expect(syncer.calls).toBe(1);

    syncer.release();
    await turn();
    expect(first.result).toMatchObject({ kind: 'success', currentRevision: 0 });
    expect(log.isMissing('s-0')).toBe(false);
    // The five waiting appends form one group: one more fsync, still not acknowledged.
    expect(syncer.calls).toBe(2);
    expect(rest.every((r) => r.result === undefined)).toBe(true);
    expect(log.isMissing('s-1')).toBe(true);

    syncer.release();
    await turn();
    expect(rest.map((r) => r.result?.kind)).toEqual(['success', 'success', 'success', 'success', 'success']);
    expect(seen).toEqual(['s-0', 's-1', 's-2', 's-3', 's-4', 's-5']);
    expect(syncer.calls).toBe(2);
    dataLog.close();

    const reopened = open(dataDir);
    expect([0, 1, 2, 3, 4, 5].map((n) => reopened.log.lastRevision(`s-${n}`))).toEqual([0, 0, 0, 0, 0, 0]);
    reopened.dataLog.close();
  });

  test('appends to one stream in the same group see each other: revisions continue and expected versions are checked in order', async () => {
    const syncer = new HeldSyncer();
    const { dataLog, log } = open(newDataDir(), syncer);
    const a = track(log.appendDurable('s', 'no_stream', [event(0), event(1)]));
    const b = track(log.appendDurable('s', 1, [event(2)]));
    const c = track(log.appendDurable('s', 'no_stream', [event(3)]));
    await turn();
    expect(syncer.calls).toBe(1);
    syncer.release();
    await turn();
    expect(a.result).toMatchObject({ kind: 'success', currentRevision: 1 });
    expect(b.result).toMatchObject({ kind: 'success', currentRevision: 2 });
    expect(c.result).toMatchObject({ kind: 'wrong-expected-version', currentRevision: 2 });
    expect(log.readStream('s', { from: 'start', direction: 'forwards', maxCount: 10 }).map((e) => e.revision)).toEqual([0, 1, 2]);
    dataLog.close();
  });

  test('a failed group fsync rejects every append of the group, applies none, and keeps earlier acknowledged appends', async () => {
    const dataDir = newDataDir();
    const syncer = new HeldSyncer();
    const { dataLog, log } = open(dataDir, syncer);
    const acked = track(log.appendDurable('kept', 'any', [event(0)]));
    await turn();
    syncer.release();
    await turn();
    expect(acked.result?.kind).toBe('success');

    const failing = [1, 2, 3].map((n) => track(log.appendDurable('lost', 'any', [event(n)])));
    await turn();
    syncer.fail();
    await turn();
    expect(failing.map((f) => (f.error as Error | undefined)?.message)).toEqual([
      'EIO: i/o error, fdatasync',
      'EIO: i/o error, fdatasync',
      'EIO: i/o error, fdatasync',
    ]);
    expect(log.isMissing('lost')).toBe(true);
    dataLog.close();

    const reopened = open(dataDir);
    expect(reopened.log.lastRevision('kept')).toBe(0);
    expect(reopened.log.isMissing('lost')).toBe(true);
    reopened.dataLog.close();
  });

  test('a synchronous change during a group fsync (a checkpoint write) applies the group first and comes after it', async () => {
    const syncer = new HeldSyncer();
    const { dataLog, log } = open(newDataDir(), syncer);
    const grouped = track(log.appendDurable('user', 'any', [event(0)]));
    await turn();
    const sync = log.append('checkpoint', 'any', [event(1)]);
    await turn();
    // The synchronous fsync covered the group's bytes, which precede the checkpoint in the file.
    expect(grouped.result?.kind).toBe('success');
    expect(sync.kind === 'success' && grouped.result?.kind === 'success' && sync.position > grouped.result.position).toBe(true);
    syncer.release();
    await turn();
    expect(log.readAll('start', 'forwards', 10).map((e) => e.streamId)).toEqual(['user', 'checkpoint']);
    dataLog.close();
  });
});
