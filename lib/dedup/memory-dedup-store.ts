/**
 * In-memory DedupStore with the same semantics as the SQLite store (passes the same contract).
 * For tests and throwaway runs. Several store instances can share one `MemoryDedupData` to
 * model "the same database" (reopen after a restart, or several instances).
 */
import { randomUUID } from 'node:crypto';
import { instanceHeartbeatSchema, type EpochRecord, type Instance, type InstanceHeartbeat } from '../api/schemas';
import {
  copyCounters,
  sortInstances,
  toInstance,
  zeroCounters,
  type ClaimResult,
  type DedupStore,
  type EpochCounters,
} from './dedup-store';

interface KeyRecord {
  status: 'in-progress' | 'done';
  instanceId: string;
  sessionId: string;
  leaseUntil: number;
  updatedAt: number;
}

export interface MemoryDedupData {
  keys: Map<string, KeyRecord>;
  epochSeq: Map<string, number>;
  epochs: Map<string, EpochRecord[]>;
  /** instanceId → latest heartbeat and when it was seen. */
  instances: Map<string, { beat: InstanceHeartbeat; lastSeen: number }>;
}

export function createMemoryDedupData(): MemoryDedupData {
  return { keys: new Map(), epochSeq: new Map(), epochs: new Map(), instances: new Map() };
}

export interface MemoryDedupStoreOptions {
  data?: MemoryDedupData;
  instanceId?: string;
  leaseMs?: number;
  now?: () => number;
}

export function createMemoryDedupStore(options: MemoryDedupStoreOptions = {}): DedupStore {
  const data = options.data ?? createMemoryDedupData();
  const instanceId = options.instanceId ?? 'local';
  const sessionId = randomUUID();
  const leaseMs = options.leaseMs ?? 60_000;
  const now = options.now ?? Date.now;
  let closed: Promise<void> | undefined;

  // Opening frees this instance's claims left by an earlier session (its process died).
  for (const [k, record] of data.keys) {
    if (record.status === 'in-progress' && record.instanceId === instanceId) data.keys.delete(k);
  }

  const id = (scope: string, key: string) => `${scope}\u0000${key}`;
  const assertOpen = () => {
    if (closed) throw new Error('memory dedup store is closed');
  };
  const findEpoch = (scope: string, epoch: number) => data.epochs.get(scope)?.find((e) => e.epoch === epoch);

  return {
    async claim(scope, key): Promise<ClaimResult> {
      assertOpen();
      const at = now();
      const record = data.keys.get(id(scope, key));
      if (record?.status === 'done') return { status: 'duplicate' };
      if (record) {
        const mine = record.instanceId === instanceId;
        if (mine && record.sessionId === sessionId) return { status: 'in-progress', owner: 'self', retryAfterMs: 0 };
        if (!mine && record.leaseUntil > at) {
          return { status: 'in-progress', owner: 'other', retryAfterMs: record.leaseUntil - at };
        }
      }
      data.keys.set(id(scope, key), { status: 'in-progress', instanceId, sessionId, leaseUntil: at + leaseMs, updatedAt: at });
      return { status: 'new' };
    },
    async complete(scope, key) {
      assertOpen();
      data.keys.set(id(scope, key), { status: 'done', instanceId, sessionId, leaseUntil: 0, updatedAt: now() });
    },
    async release(scope, key) {
      assertOpen();
      const record = data.keys.get(id(scope, key));
      if (record?.status === 'in-progress' && record.instanceId === instanceId && record.sessionId === sessionId) {
        data.keys.delete(id(scope, key));
      }
    },
    async openEpoch(scope, startedAt) {
      assertOpen();
      const epoch = (data.epochSeq.get(scope) ?? 0) + 1;
      data.epochSeq.set(scope, epoch);
      const list = data.epochs.get(scope) ?? [];
      list.push({
        epoch,
        startedAt: startedAt.toISOString(),
        endedAt: null,
        endReason: null,
        ...zeroCounters(),
      });
      data.epochs.set(scope, list);
      return epoch;
    },
    async updateEpoch(scope, epoch, counters: EpochCounters) {
      assertOpen();
      const record = findEpoch(scope, epoch);
      if (record) Object.assign(record, copyCounters(counters));
    },
    async closeEpoch(scope, epoch, endedAt, endReason, counters) {
      assertOpen();
      const record = findEpoch(scope, epoch);
      if (record) Object.assign(record, copyCounters(counters), { endedAt: endedAt.toISOString(), endReason });
    },
    async listEpochs(scope, limit) {
      assertOpen();
      return [...(data.epochs.get(scope) ?? [])]
        .sort((a, b) => b.epoch - a.epoch)
        .slice(0, Math.max(0, Math.floor(limit)))
        .map((e) => ({ ...e, duplicatesByCause: { ...e.duplicatesByCause } }));
    },
    async prune(olderThan) {
      assertOpen();
      let removed = 0;
      for (const [k, record] of data.keys) {
        if (record.status === 'done' && record.updatedAt < olderThan.getTime()) {
          data.keys.delete(k);
          removed += 1;
        }
      }
      return removed;
    },
    async heartbeat(beat) {
      assertOpen();
      // Parsed: a copy the caller cannot mutate afterwards, validated like the other backends' JSON.
      const copy = instanceHeartbeatSchema.parse(beat);
      data.instances.set(copy.instanceId, { beat: copy, lastSeen: now() });
    },
    async listInstances() {
      assertOpen();
      const at = now();
      const listed: Instance[] = [];
      for (const [instanceId, { beat, lastSeen }] of data.instances) {
        const instance = toInstance(beat, lastSeen, at);
        if (instance) listed.push(instance);
        else data.instances.delete(instanceId);
      }
      return sortInstances(listed);
    },
    async ping() {
      assertOpen();
    },
    close() {
      closed ??= Promise.resolve();
      return closed;
    },
  };
}
