/**
 * Behaviour every DedupStore backend must show (STYLE.md §8, bull-board contract suites).
 * Each backend's `*.int.test.ts` calls `runDedupStoreContract(name, makeStore)`.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { epochSchema, instanceSchema, type InstanceHeartbeat } from '../api/schemas';
import { checkDedupStore, type DedupStore, type EpochCounters } from './dedup-store';

export interface MakeDedupStoreContext {
  /**
   * Identifies the durable storage (SQLite file, Redis prefix, Postgres schema). Calling
   * makeStore again with the same namespace must reopen the same data, like a process restart.
   */
  namespace: string;
  /** Deployment identity (see SqliteDedupStoreOptions.instanceId). */
  instanceId: string;
  leaseMs: number;
  /** Clock in ms; the suite advances it to expire leases. */
  now: () => number;
}

export type MakeDedupStore = (ctx: MakeDedupStoreContext) => DedupStore | Promise<DedupStore>;

const counters = (n: number): EpochCounters => ({
  received: n,
  delivered: n + 1,
  duplicatesSuppressed: n + 2,
  retried: n + 3,
  parked: n + 4,
  skipped: n + 5,
  duplicatesByCause: { reconnect: n + 6, timeout: n + 7, reload: n + 8, replay: n + 9, other: n + 10 },
  checkpointGap: n % 2 === 0 ? n + 11 : null,
});

const INTERVAL_MS = 5000;

const heartbeat = (instanceId: string, n: number): InstanceHeartbeat => ({
  instanceId,
  host: `host-${instanceId}`,
  pid: 1000 + n,
  startedAt: '2026-01-01T00:00:00.000Z',
  version: '0.1.0',
  intervalMs: INTERVAL_MS,
  groups: [
    { stream: 'orders', group: 'billing', state: 'live', epoch: n, received: 10 * n, delivered: 9 * n, duplicatesSuppressed: n, parked: 0 },
    { stream: '$all', group: 'audit', state: 'backoff', epoch: n + 1, received: n, delivered: n, duplicatesSuppressed: 0, parked: 1 },
  ],
});

export function runDedupStoreContract(name: string, makeStore: MakeDedupStore): void {
  describe(`DedupStore contract: ${name}`, () => {
    const opened: DedupStore[] = [];
    let clock = 1_700_000_000_000;

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    async function open(
      namespace: string,
      overrides: Partial<Omit<MakeDedupStoreContext, 'namespace' | 'now'>> = {},
    ): Promise<DedupStore> {
      const store = await makeStore({
        namespace,
        instanceId: 'instance-a',
        leaseMs: 10_000,
        now: () => clock,
        ...overrides,
      });
      opened.push(store);
      return store;
    }

    const scope = () => `orders-${randomUUID()}::billing`;

    it('claims an unseen key as new', async () => {
      const store = await open(randomUUID());
      expect(await store.claim(scope(), randomUUID())).toEqual({ status: 'new' });
    });

    it('reports a completed key as duplicate', async () => {
      const store = await open(randomUUID());
      const s = scope();
      const key = randomUUID();
      await store.claim(s, key);
      await store.complete(s, key);
      expect(await store.claim(s, key)).toEqual({ status: 'duplicate' });
    });

    it('reports a key claimed by the same store instance as in progress by self', async () => {
      const store = await open(randomUUID());
      const s = scope();
      const key = randomUUID();
      await store.claim(s, key);
      expect(await store.claim(s, key)).toMatchObject({ status: 'in-progress', owner: 'self' });
    });

    it('makes a released key claimable again', async () => {
      const store = await open(randomUUID());
      const s = scope();
      const key = randomUUID();
      await store.claim(s, key);
      await store.release(s, key);
      expect(await store.claim(s, key)).toEqual({ status: 'new' });
    });

    it('keeps a completed key done when it is released afterwards', async () => {
      const store = await open(randomUUID());
      const s = scope();
      const key = randomUUID();
      await store.claim(s, key);
      await store.complete(s, key);
      await store.release(s, key);
      expect(await store.claim(s, key)).toEqual({ status: 'duplicate' });
    });

    it('keeps the same key independent in different scopes', async () => {
      const store = await open(randomUUID());
      const key = randomUUID();
      const first = scope();
      await store.claim(first, key);
      await store.complete(first, key);
      expect(await store.claim(scope(), key)).toEqual({ status: 'new' });
    });

    it('grants exactly one of many concurrent claims of the same key', async () => {
      const namespace = randomUUID();
      const a = await open(namespace, { instanceId: 'instance-a' });
      const b = await open(namespace, { instanceId: 'instance-b' });
      const s = scope();
      const key = randomUUID();
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).claim(s, key)));
      expect(results.filter((r) => r.status === 'new')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'in-progress')).toHaveLength(9);
    });

    it('remembers a completed key after the store is reopened', async () => {
      const namespace = randomUUID();
      const s = scope();
      const key = randomUUID();
      const first = await open(namespace);
      await first.claim(s, key);
      await first.complete(s, key);
      await first.close();
      const reopened = await open(namespace);
      expect(await reopened.claim(s, key)).toEqual({ status: 'duplicate' });
    });

    it('makes a claim left in progress by a crashed process claimable after restart', async () => {
      const namespace = randomUUID();
      const s = scope();
      const key = randomUUID();
      const crashed = await open(namespace);
      expect(await crashed.claim(s, key)).toEqual({ status: 'new' });
      // No release and no close: the process died. The restarted process reopens the same data.
      const restarted = await open(namespace);
      expect(await restarted.claim(s, key)).toEqual({ status: 'new' });
    });

    it('frees the claims a crashed process left for every instance once its instance opens the store again, and only those', async () => {
      const namespace = randomUUID();
      const s = scope();
      const [held, done, heldByB] = [randomUUID(), randomUUID(), randomUUID()];
      const crashed = await open(namespace, { instanceId: 'instance-a' });
      const b = await open(namespace, { instanceId: 'instance-b' });
      expect(await crashed.claim(s, held)).toEqual({ status: 'new' });
      await crashed.claim(s, done);
      await crashed.complete(s, done);
      expect(await b.claim(s, heldByB)).toEqual({ status: 'new' });
      // instance-a's process died holding `held`: instance-b waits for the lease …
      expect(await b.claim(s, held)).toMatchObject({ status: 'in-progress', owner: 'other' });
      // … until instance-a comes back (no close: the old process is gone).
      const restarted = await open(namespace, { instanceId: 'instance-a' });
      expect(await b.claim(s, held)).toEqual({ status: 'new' });
      expect(await b.claim(s, done)).toEqual({ status: 'duplicate' });
      expect(await restarted.claim(s, heldByB)).toMatchObject({ status: 'in-progress', owner: 'other' });
    });

    it('respects another instance’s claim until its lease ends', async () => {
      const namespace = randomUUID();
      const s = scope();
      const key = randomUUID();
      const a = await open(namespace, { instanceId: 'instance-a', leaseMs: 10_000 });
      const b = await open(namespace, { instanceId: 'instance-b', leaseMs: 10_000 });
      await a.claim(s, key);
      clock += 4_000;
      expect(await b.claim(s, key)).toEqual({ status: 'in-progress', owner: 'other', retryAfterMs: 6_000 });
      clock += 6_000;
      expect(await b.claim(s, key)).toEqual({ status: 'new' });
    });

    it('answers many claims made at once, across scopes, as if made one after another', async () => {
      const namespace = randomUUID();
      const a = await open(namespace, { instanceId: 'instance-a' });
      const b = await open(namespace, { instanceId: 'instance-b' });
      const [s1, s2] = [scope(), scope()];
      const done = randomUUID();
      const others = randomUUID();
      const fresh = Array.from({ length: 30 }, () => randomUUID());
      await a.claim(s1, done);
      await a.complete(s1, done);
      await b.claim(s2, others);
      clock += 1_000;
      const results = await Promise.all([
        ...fresh.map((key, i) => a.claim(i % 2 === 0 ? s1 : s2, key)),
        a.claim(s1, done),
        a.claim(s2, others),
        // The same key in one scope but not the other: two independent keys.
        a.claim(s2, done),
      ]);
      expect(results).toEqual([
        ...fresh.map(() => ({ status: 'new' })),
        { status: 'duplicate' },
        { status: 'in-progress', owner: 'other', retryAfterMs: 9_000 },
        { status: 'new' },
      ]);
      // Each fresh key is now this instance's claim.
      expect(await b.claim(s1, fresh[0]!)).toMatchObject({ status: 'in-progress', owner: 'other' });
    });

    it('gives exactly one of two concurrent claims of the same key by one store the key', async () => {
      const store = await open(randomUUID());
      const s = scope();
      const key = randomUUID();
      const results = await Promise.all([store.claim(s, key), store.claim(s, key)]);
      expect(results[0]).toEqual({ status: 'new' });
      expect(results[1]).toMatchObject({ status: 'in-progress', owner: 'self' });
    });

    it('does not let another instance release a claim it does not own', async () => {
      const namespace = randomUUID();
      const s = scope();
      const key = randomUUID();
      const a = await open(namespace, { instanceId: 'instance-a' });
      const b = await open(namespace, { instanceId: 'instance-b' });
      await a.claim(s, key);
      await b.release(s, key);
      expect(await b.claim(s, key)).toMatchObject({ status: 'in-progress', owner: 'other' });
    });

    it('numbers epochs from 1 upwards per scope', async () => {
      const store = await open(randomUUID());
      const s = scope();
      const other = scope();
      const at = new Date('2026-01-01T00:00:00.000Z');
      expect(await store.openEpoch(s, at)).toBe(1);
      expect(await store.openEpoch(s, at)).toBe(2);
      expect(await store.openEpoch(other, at)).toBe(1);
      expect(await store.openEpoch(s, at)).toBe(3);
    });

    it('keeps epoch numbers increasing after the store is reopened', async () => {
      const namespace = randomUUID();
      const s = scope();
      const at = new Date('2026-01-01T00:00:00.000Z');
      const first = await open(namespace);
      await first.openEpoch(s, at);
      await first.openEpoch(s, at);
      await first.close();
      const reopened = await open(namespace);
      expect(await reopened.openEpoch(s, at)).toBe(3);
      expect((await reopened.listEpochs(s, 10)).map((e) => e.epoch)).toEqual([3, 2, 1]);
    });

    it('records epoch counters, end time and end reason, newest first', async () => {
      const store = await open(randomUUID());
      const s = scope();
      const first = await store.openEpoch(s, new Date('2026-01-01T00:00:00.000Z'));
      await store.updateEpoch(s, first, counters(1));
      await store.closeEpoch(s, first, new Date('2026-01-01T00:01:00.000Z'), 'connection lost: test', counters(10));
      const second = await store.openEpoch(s, new Date('2026-01-01T00:01:01.000Z'));
      await store.updateEpoch(s, second, counters(20));

      const epochs = await store.listEpochs(s, 10);
      for (const epoch of epochs) epochSchema.parse(epoch);
      expect(epochs).toEqual([
        {
          epoch: 2,
          startedAt: '2026-01-01T00:01:01.000Z',
          endedAt: null,
          endReason: null,
          ...counters(20),
        },
        {
          epoch: 1,
          startedAt: '2026-01-01T00:00:00.000Z',
          endedAt: '2026-01-01T00:01:00.000Z',
          endReason: 'connection lost: test',
          ...counters(10),
        },
      ]);
      expect((await store.listEpochs(s, 1)).map((e) => e.epoch)).toEqual([2]);
    });

    it('opens an epoch with zero counters, zero per-cause duplicates and an unknown checkpoint gap', async () => {
      const store = await open(randomUUID());
      const s = scope();
      await store.openEpoch(s, new Date('2026-01-01T00:00:00.000Z'));
      expect(await store.listEpochs(s, 1)).toEqual([
        {
          epoch: 1,
          startedAt: '2026-01-01T00:00:00.000Z',
          endedAt: null,
          endReason: null,
          received: 0,
          delivered: 0,
          duplicatesSuppressed: 0,
          retried: 0,
          parked: 0,
          skipped: 0,
          duplicatesByCause: { reconnect: 0, timeout: 0, reload: 0, replay: 0, other: 0 },
          checkpointGap: null,
        },
      ]);
    });

    it('keeps per-cause counts and the checkpoint gap across a reopen, and a later write can clear the gap', async () => {
      const namespace = randomUUID();
      const s = scope();
      const first = await open(namespace);
      const epoch = await first.openEpoch(s, new Date('2026-01-01T00:00:00.000Z'));
      await first.updateEpoch(s, epoch, counters(4));
      await first.close();
      const reopened = await open(namespace);
      expect(await reopened.listEpochs(s, 1)).toEqual([expect.objectContaining(counters(4))]);
      await reopened.closeEpoch(s, epoch, new Date('2026-01-01T00:01:00.000Z'), 'stopped', counters(5));
      expect(await reopened.listEpochs(s, 1)).toEqual([
        expect.objectContaining({ checkpointGap: null, duplicatesByCause: counters(5).duplicatesByCause }),
      ]);
    });

    it('accepts late counter updates for an epoch that is already closed', async () => {
      const store = await open(randomUUID());
      const s = scope();
      const epoch = await store.openEpoch(s, new Date('2026-01-01T00:00:00.000Z'));
      await store.closeEpoch(s, epoch, new Date('2026-01-01T00:01:00.000Z'), 'stopped', counters(1));
      await store.updateEpoch(s, epoch, counters(2));
      expect(await store.listEpochs(s, 1)).toEqual([
        expect.objectContaining({ endReason: 'stopped', endedAt: '2026-01-01T00:01:00.000Z', ...counters(2) }),
      ]);
    });

    it('prunes only done keys completed before the cutoff', async () => {
      const store = await open(randomUUID());
      const s = scope();
      const [old, fresh, pending] = [randomUUID(), randomUUID(), randomUUID()];
      await store.complete(s, old);
      clock += 60_000;
      await store.complete(s, fresh);
      await store.claim(s, pending);
      expect(await store.prune(new Date(clock - 30_000))).toBe(1);
      expect(await store.claim(s, old)).toEqual({ status: 'new' });
      expect(await store.claim(s, fresh)).toEqual({ status: 'duplicate' });
      expect(await store.claim(s, pending)).toMatchObject({ status: 'in-progress' });
    });

    it('lists every instance heartbeating into the shared store, sorted by id, as live', async () => {
      const namespace = randomUUID();
      const a = await open(namespace, { instanceId: 'instance-a' });
      const b = await open(namespace, { instanceId: 'instance-b' });
      expect(await a.listInstances()).toEqual([]);
      await b.heartbeat(heartbeat('instance-b', 2));
      await a.heartbeat(heartbeat('instance-a', 1));
      const seen = new Date(clock).toISOString();
      const expected = [
        { ...heartbeat('instance-a', 1), lastSeen: seen, state: 'live' },
        { ...heartbeat('instance-b', 2), lastSeen: seen, state: 'live' },
      ];
      expect(await a.listInstances()).toEqual(expected);
      expect(await b.listInstances()).toEqual(expected);
      for (const instance of await a.listInstances()) instanceSchema.parse(instance);
    });

    it('keeps only the latest heartbeat of an instance, also across a reopen', async () => {
      const namespace = randomUUID();
      const first = await open(namespace);
      await first.heartbeat(heartbeat('instance-a', 1));
      clock += 1000;
      await first.heartbeat(heartbeat('instance-a', 2));
      await first.close();
      const reopened = await open(namespace);
      expect(await reopened.listInstances()).toEqual([
        { ...heartbeat('instance-a', 2), lastSeen: new Date(clock).toISOString(), state: 'live' },
      ]);
    });

    it('shows an instance that stopped heartbeating as stale after three intervals and drops it after twelve', async () => {
      const store = await open(randomUUID());
      await store.heartbeat(heartbeat('instance-a', 1));
      await store.heartbeat(heartbeat('instance-b', 1));
      const aSeen = clock;
      clock += 3 * INTERVAL_MS;
      expect((await store.listInstances()).map((i) => i.state)).toEqual(['live', 'live']);
      clock += 1;
      await store.heartbeat(heartbeat('instance-b', 2));
      const bSeen = clock;
      expect((await store.listInstances()).map((i) => [i.instanceId, i.state])).toEqual([
        ['instance-a', 'stale'],
        ['instance-b', 'live'],
      ]);
      clock = aSeen + 12 * INTERVAL_MS;
      expect(await store.listInstances()).toEqual([
        { ...heartbeat('instance-b', 2), lastSeen: new Date(bSeen).toISOString(), state: 'stale' },
      ]);
      // Gone for good: a later listing does not bring it back.
      expect((await store.listInstances()).map((i) => i.instanceId)).toEqual(['instance-b']);
    });

    it('refuses a malformed heartbeat and keeps the previous one', async () => {
      const store = await open(randomUUID());
      await store.heartbeat(heartbeat('instance-a', 1));
      await expect(store.heartbeat({ ...heartbeat('instance-a', 2), pid: -1 })).rejects.toThrow(/pid/);
      expect((await store.listInstances()).map((i) => i.pid)).toEqual([1001]);
    });

    it('answers ping while open and refuses it once closed', async () => {
      const store = await makeStore({ namespace: randomUUID(), instanceId: 'a', leaseMs: 1000, now: () => clock });
      expect(store.ping).toBeTypeOf('function');
      await expect(store.ping!()).resolves.toBeUndefined();
      expect(await checkDedupStore(store, 2000)).toBeNull();
      await store.close();
      await expect(store.ping!()).rejects.toThrow(/closed/);
      expect(await checkDedupStore(store, 2000)).toMatch(/closed/);
    });

    it('returns the same promise when closed twice', async () => {
      const store = await makeStore({ namespace: randomUUID(), instanceId: 'a', leaseMs: 1000, now: () => clock });
      const first = store.close();
      expect(store.close()).toBe(first);
      await first;
    });
  });
}
