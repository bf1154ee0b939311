/**
 * Redis dedup store, for several subwatch instances sharing one group (issue 8).
 *
 * Layout under `prefix` (default `subwatch`):
 * - `<prefix>:k:<scope>\n<key>` — `d` once done (TTL = retention), or `p|<instance>|<session>|<leaseUntil>`
 *   while claimed. Claims run as one Lua script, so two claimers never both get `new`.
 * - `<prefix>:c:<instanceId>` — the key names this instance claimed and has not completed or
 *   released, so a restarted instance frees what its dead process held (see DedupStore).
 * - `<prefix>:done` — sorted set of done keys by completion time, for `prune`.
 * - `<prefix>:eseq` (hash scope → last epoch), `<prefix>:e:<scope>` (hash epoch → JSON record).
 * - `<prefix>:i:<instanceId>` — the instance's latest heartbeat `{lastSeen, beat}` as JSON, expiring
 *   when the instance counts as gone; `<prefix>:instances` — set of ids, so listing needs no SCAN.
 * Durability is Redis's own: with AOF `appendfsync always` a completed key survives a crash;
 * with the default snapshotting it may not (a lost done key means one possible redelivery).
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { z } from 'zod';
import { epochSchema, instanceHeartbeatSchema, type Epoch, type Instance } from '../api/schemas';
import {
  goneAfterMs,
  sortInstances,
  toInstance,
  zeroCounters,
  type ClaimResult,
  type DedupStore,
  type EpochCounters,
} from './dedup-store';

const storedHeartbeatSchema = z.object({ lastSeen: z.number(), beat: instanceHeartbeatSchema });

export interface RedisDedupStoreOptions {
  /** `redis://[:password@]host:6379[/db]` or `rediss://…` (TLS) — or pass a `client` the caller owns. */
  url?: string;
  client?: Redis;
  prefix?: string;
  instanceId?: string;
  /** How long another instance's in-progress claim is respected. Default 60_000 ms. */
  leaseMs?: number;
  /** Done markers expire after this (the dedup retention). Default 7 days. */
  doneTtlMs?: number;
  now?: () => number;
}

/**
 * KEYS[1] key, KEYS[2] this instance's claim index; ARGV: instance, session, leaseMs, now, gcMs.
 * Returns {'new'} | {'duplicate'} | {'self'} | {'other', retryAfterMs}.
 */
const CLAIM_SCRIPT = `
local v = redis.call('GET', KEYS[1])
local now = tonumber(ARGV[4])
if v then
  if v == 'd' then return {'duplicate'} end
  local inst, sess, lease = string.match(v, '^p|([^|]*)|([^|]*)|(%d+)$')
  if inst == ARGV[1] and sess == ARGV[2] then return {'self'} end
  if inst ~= ARGV[1] and tonumber(lease) > now then return {'other', tonumber(lease) - now} end
end
redis.call('SET', KEYS[1], 'p|' .. ARGV[1] .. '|' .. ARGV[2] .. '|' .. (now + tonumber(ARGV[3])), 'PX', ARGV[5])
redis.call('SADD', KEYS[2], KEYS[1])
return {'new'}
`;

/** KEYS[1] key, KEYS[2] this instance's claim index; ARGV: instance, session. Deletes only this session's own claim. */
const RELEASE_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, 2) == 'p|' then
  local inst, sess = string.match(v, '^p|([^|]*)|([^|]*)|')
  if inst == ARGV[1] and sess == ARGV[2] then
    redis.call('SREM', KEYS[2], KEYS[1])
    return redis.call('DEL', KEYS[1])
  end
end
return 0
`;

/**
 * KEYS[1] this instance's claim index; ARGV[1] instance. Run when a session opens: every claim
 * still held by this instance is from a dead earlier session, so it is deleted (claimable by all).
 * Index entries of keys since done or taken over by another instance are only dropped.
 */
const FREE_DEAD_CLAIMS_SCRIPT = `
local mine = 'p|' .. ARGV[1] .. '|'
local freed = 0
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local v = redis.call('GET', key)
  if v and string.sub(v, 1, #mine) == mine then
    redis.call('DEL', key)
    freed = freed + 1
  end
end
redis.call('DEL', KEYS[1])
return freed
`;

/** KEYS[1] key; ARGV: zset key name is KEYS[2]; ARGV[1] member. Deletes a done marker and its index entry. */
const PRUNE_ONE_SCRIPT = `
if redis.call('GET', KEYS[1]) == 'd' then redis.call('DEL', KEYS[1]) end
return redis.call('ZREM', KEYS[2], ARGV[1])
`;

/** KEYS[1] heartbeat key, KEYS[2] instance index; ARGV[1] id. Forgets the id only while its heartbeat is absent. */
const FORGET_INSTANCE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return redis.call('SREM', KEYS[2], ARGV[1]) end
return 0
`;

type RedisWithScripts = Redis & {
  subwatchForgetInstance(key: string, index: string, id: string): Promise<number>;
  subwatchClaim(key: string, index: string, instance: string, session: string, leaseMs: number, now: number, gcMs: number): Promise<[string, number?]>;
  subwatchRelease(key: string, index: string, instance: string, session: string): Promise<number>;
  subwatchFreeDeadClaims(index: string, instance: string): Promise<number>;
  subwatchPruneOne(key: string, zset: string, member: string): Promise<number>;
};

export async function createRedisDedupStore(options: RedisDedupStoreOptions): Promise<DedupStore> {
  if (!options.client && !options.url) throw new Error('createRedisDedupStore: pass `url` or `client`');
  const instanceId = options.instanceId ?? 'local';
  if (instanceId.includes('|')) throw new Error('createRedisDedupStore: instanceId must not contain "|"');
  const sessionId = randomUUID();
  const leaseMs = options.leaseMs ?? 60_000;
  const doneTtlMs = options.doneTtlMs ?? 7 * 24 * 60 * 60 * 1000;
  // Orphaned claims (a crashed claimer whose event never comes back) disappear eventually.
  const claimGcMs = Math.max(leaseMs * 100, 60 * 60 * 1000);
  const now = options.now ?? Date.now;
  const prefix = options.prefix ?? 'subwatch';
  const ownsClient = !options.client;
  const redis = (options.client ??
    new Redis(options.url!, { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true })) as RedisWithScripts;

  redis.defineCommand('subwatchClaim', { numberOfKeys: 2, lua: CLAIM_SCRIPT });
  redis.defineCommand('subwatchRelease', { numberOfKeys: 2, lua: RELEASE_SCRIPT });
  redis.defineCommand('subwatchFreeDeadClaims', { numberOfKeys: 1, lua: FREE_DEAD_CLAIMS_SCRIPT });
  redis.defineCommand('subwatchPruneOne', { numberOfKeys: 2, lua: PRUNE_ONE_SCRIPT });
  redis.defineCommand('subwatchForgetInstance', { numberOfKeys: 2, lua: FORGET_INSTANCE_SCRIPT });
  if (ownsClient) {
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      throw new Error(`Cannot open Redis dedup store: ${String(error)}`, { cause: error });
    }
  }

  const member = (scope: string, key: string) => `${scope}\n${key}`;
  const keyName = (m: string) => `${prefix}:k:${m}`;
  const doneIndex = `${prefix}:done`;
  const epochSeq = `${prefix}:eseq`;
  const epochsOf = (scope: string) => `${prefix}:e:${scope}`;
  const instanceKey = (id: string) => `${prefix}:i:${id}`;
  const instanceIndex = `${prefix}:instances`;
  const claimIndex = `${prefix}:c:${instanceId}`;
  try {
    await redis.subwatchFreeDeadClaims(claimIndex, instanceId);
  } catch (error) {
    if (ownsClient) redis.disconnect();
    throw new Error(`Cannot open Redis dedup store: ${String(error)}`, { cause: error });
  }
  let closing: Promise<void> | undefined;

  async function writeEpoch(scope: string, epoch: number, patch: Partial<Epoch>): Promise<void> {
    const raw = await redis.hget(epochsOf(scope), String(epoch));
    if (raw === null) return; // Unknown epoch: nothing to update (mirrors an UPDATE matching no row).
    await redis.hset(epochsOf(scope), String(epoch), JSON.stringify({ ...(JSON.parse(raw) as Epoch), ...patch }));
  }

  return {
    async claim(scope, key): Promise<ClaimResult> {
      const [status, retryAfterMs] = await redis.subwatchClaim(
        keyName(member(scope, key)),
        claimIndex,
        instanceId,
        sessionId,
        leaseMs,
        now(),
        claimGcMs,
      );
      if (status === 'new') return { status: 'new' };
      if (status === 'duplicate') return { status: 'duplicate' };
      if (status === 'self') return { status: 'in-progress', owner: 'self', retryAfterMs: 0 };
      return { status: 'in-progress', owner: 'other', retryAfterMs: Number(retryAfterMs ?? 0) };
    },
    async complete(scope, key) {
      if (closing) throw new Error('Redis dedup store is closed');
      const m = member(scope, key);
      // MULTI: the done marker and its prune-index entry are written together.
      const result = await redis
        .multi()
        .set(keyName(m), 'd', 'PX', doneTtlMs)
        .zadd(doneIndex, now(), m)
        .srem(claimIndex, keyName(m))
        .exec();
      const failed = result?.find(([error]) => error !== null);
      if (!result || failed) throw new Error(`Redis complete failed for ${scope}: ${String(failed?.[0] ?? 'aborted')}`);
    },
    async release(scope, key) {
      await redis.subwatchRelease(keyName(member(scope, key)), claimIndex, instanceId, sessionId);
    },
    async openEpoch(scope, startedAt) {
      const epoch = await redis.hincrby(epochSeq, scope, 1);
      const record: Epoch = {
        epoch,
        startedAt: startedAt.toISOString(),
        endedAt: null,
        endReason: null,
        ...zeroCounters(),
      };
      await redis.hset(epochsOf(scope), String(epoch), JSON.stringify(record));
      return epoch;
    },
    async updateEpoch(scope, epoch, c: EpochCounters) {
      await writeEpoch(scope, epoch, c);
    },
    async closeEpoch(scope, epoch, endedAt, endReason, c) {
      await writeEpoch(scope, epoch, { ...c, endedAt: endedAt.toISOString(), endReason });
    },
    async listEpochs(scope, limit) {
      const all = await redis.hgetall(epochsOf(scope));
      return Object.values(all)
        // Parsed with the schema: records written before a field existed get its default.
        .map((raw) => epochSchema.parse(JSON.parse(raw)))
        .sort((a, b) => b.epoch - a.epoch)
        .slice(0, Math.max(0, Math.floor(limit)));
    },
    async prune(olderThan) {
      let removed = 0;
      for (;;) {
        const members = await redis.zrangebyscore(doneIndex, '-inf', `(${olderThan.getTime()}`, 'LIMIT', 0, 500);
        if (members.length === 0) return removed;
        for (const m of members) removed += await redis.subwatchPruneOne(keyName(m), doneIndex, m);
      }
    },
    async heartbeat(beat) {
      const parsed = instanceHeartbeatSchema.parse(beat);
      const value = JSON.stringify({ lastSeen: now(), beat: parsed });
      const result = await redis
        .multi()
        .set(instanceKey(parsed.instanceId), value, 'PX', goneAfterMs(parsed.intervalMs))
        .sadd(instanceIndex, parsed.instanceId)
        .exec();
      const failed = result?.find(([error]) => error !== null);
      if (!result || failed) throw new Error(`Redis heartbeat failed: ${String(failed?.[0] ?? 'aborted')}`);
    },
    async listInstances() {
      const ids = await redis.smembers(instanceIndex);
      if (ids.length === 0) return [];
      const values = await redis.mget(ids.map(instanceKey));
      const at = now();
      const listed: Instance[] = [];
      for (const [i, raw] of values.entries()) {
        const id = ids[i] as string;
        const stored = raw === null ? null : storedHeartbeatSchema.parse(JSON.parse(raw));
        const instance = stored && toInstance(stored.beat, stored.lastSeen, at);
        if (instance) listed.push(instance);
        // Expired by Redis: forget the id, unless it beat again meanwhile.
        else if (raw === null) await redis.subwatchForgetInstance(instanceKey(id), instanceIndex, id);
      }
      return sortInstances(listed);
    },
    async ping() {
      if (closing) throw new Error('Redis dedup store is closed');
      const reply = await redis.ping();
      if (reply !== 'PONG') throw new Error(`Redis answered PING with ${reply}`);
    },
    close() {
      closing ??= (async () => {
        if (ownsClient) await redis.quit();
      })();
      return closing;
    },
  };
}
