import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InstanceGroup, InstanceHeartbeat } from '../api/schemas';
import { createMemoryDedupStore } from '../dedup/memory-dedup-store';
import { createInstanceHeartbeat } from './instance-heartbeat';

const identity = { instanceId: 'worker-1', host: 'host-1', pid: 4242, startedAt: new Date('2026-01-01T00:00:00.000Z'), version: '0.1.0' };
const group = (delivered: number, state: InstanceGroup['state'] = 'live'): InstanceGroup => ({
  stream: 'orders',
  group: 'billing',
  state,
  epoch: 3,
  received: delivered + 1,
  delivered,
  duplicatesSuppressed: 1,
  parked: 0,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('instance heartbeat', () => {
  it('beats at start and then every interval with the current group counters, and once more on stop', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T00:00:10.000Z') });
    const beats: InstanceHeartbeat[] = [];
    let delivered = 5;
    let state: InstanceGroup['state'] = 'live';
    const heartbeat = createInstanceHeartbeat({
      store: { heartbeat: async (beat) => void beats.push(beat) },
      identity,
      intervalMs: 1000,
      getGroups: () => [group(delivered, state)],
      logger: pino({ level: 'silent' }),
    });
    heartbeat.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(beats).toEqual([
      { instanceId: 'worker-1', host: 'host-1', pid: 4242, startedAt: '2026-01-01T00:00:00.000Z', version: '0.1.0', intervalMs: 1000, groups: [group(5)] },
    ]);
    delivered = 9;
    await vi.advanceTimersByTimeAsync(1000);
    expect(beats.map((b) => b.groups[0]?.delivered)).toEqual([5, 9]);
    state = 'stopped';
    const stopped = heartbeat.stop();
    expect(heartbeat.stop()).toBe(stopped);
    await stopped;
    await vi.advanceTimersByTimeAsync(5000);
    expect(beats.map((b) => b.groups[0]?.state)).toEqual(['live', 'live', 'stopped']);
  });

  it('keeps beating after a failed write, so the instance comes back as live', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T00:00:10.000Z') });
    const store = createMemoryDedupStore();
    let fail = true;
    const heartbeat = createInstanceHeartbeat({
      store: { heartbeat: (beat) => (fail ? Promise.reject(new Error('store down')) : store.heartbeat(beat)) },
      identity,
      intervalMs: 1000,
      getGroups: () => [group(1)],
      logger: pino({ level: 'silent' }),
    });
    heartbeat.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(await store.listInstances()).toEqual([]);
    fail = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect((await store.listInstances()).map((i) => [i.instanceId, i.state])).toEqual([['worker-1', 'live']]);
    await heartbeat.stop();
  });

  it('rejects an interval that is not a positive integer', () => {
    expect(() =>
      createInstanceHeartbeat({ store: createMemoryDedupStore(), identity, intervalMs: 0, getGroups: () => [], logger: pino({ level: 'silent' }) }),
    ).toThrow(/intervalMs must be a positive integer/);
  });
});
