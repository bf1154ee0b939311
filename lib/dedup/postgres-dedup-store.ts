/**
 * PostgreSQL dedup store, for several subwatch instances sharing one group (issue 8).
 *
 * Claims are one atomic `INSERT … ON CONFLICT DO UPDATE … WHERE` (the row is taken over only when
 * it is free: released, left by an earlier session of the same instance, or another instance's
 * lease has run out). Claims of one tick share one statement, and so do completes (sorted, so
 * concurrent batches lock rows in one order). Tables live in their own schema
 * (default `subwatch`) and are created at start under an advisory lock, so instances may start
 * together. A `complete` has resolved only after PostgreSQL committed it (durable per the
 * server's own `synchronous_commit`).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { instanceHeartbeatSchema, type EpochRecord, type Instance } from '../api/schemas';
import { sortInstances, toInstance, type ClaimResult, type DedupStore, type EpochCounters } from './dedup-store';
import { toEpochRecord, type EpochRow } from './epoch-row';

export interface PostgresDedupStoreOptions {
  /** `postgres://user:pass@host:5432/db` — or pass a `pool` the caller owns. */
  connectionString?: string;
  pool?: pg.Pool;
  /** Schema holding the tables (letters, digits, `_`). Default `subwatch`. */
  schema?: string;
  instanceId?: string;
  /** How long another instance's in-progress claim is respected. Default 60_000 ms. */
  leaseMs?: number;
  now?: () => number;
}

/** One string per (scope, key) pair. */
const pairId = (scope: string, key: string) => `${scope}\u0000${key}`;

const MIGRATION_LOCK = 0x5ab_0a7c;

export async function createPostgresDedupStore(options: PostgresDedupStoreOptions): Promise<DedupStore> {
  const schema = options.schema ?? 'subwatch';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`createPostgresDedupStore: schema must match [a-z_][a-z0-9_]* (got "${schema}")`);
  }
  if (!options.pool && !options.connectionString) {
    throw new Error('createPostgresDedupStore: pass `connectionString` or `pool`');
  }
  const instanceId = options.instanceId ?? 'local';
  const sessionId = randomUUID();
  const leaseMs = options.leaseMs ?? 60_000;
  const now = options.now ?? Date.now;
  const ownsPool = !options.pool;
  const pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: 4 });
  const t = (name: string) => `"${schema}".${name}`;

  try {
    await migrate(pool, schema);
    // This session is new: every in-progress claim of this instance belongs to a dead process.
    await pool.query(`DELETE FROM "${schema}".dedup_keys WHERE status = 'in-progress' AND instance_id = $1`, [instanceId]);
  } catch (error) {
    if (ownsPool) await pool.end();
    throw new Error(`Cannot open PostgreSQL dedup store (schema ${schema}): ${String(error)}`, { cause: error });
  }

  // One statement claims every key of a tick; a row is taken over only when it is free. RETURNING
  // lists the keys this statement took; the others are read back in one SELECT.
  const claimSql = `
    INSERT INTO ${t('dedup_keys')} (scope, key, status, instance_id, session_id, lease_until, updated_at)
    SELECT s, k, 'in-progress', $3, $4, $5, $6 FROM unnest($1::text[], $2::text[]) AS u(s, k)
    ON CONFLICT (scope, key) DO UPDATE SET status = 'in-progress', instance_id = EXCLUDED.instance_id,
      session_id = EXCLUDED.session_id, lease_until = EXCLUDED.lease_until, updated_at = EXCLUDED.updated_at
    WHERE ${t('dedup_keys')}.status = 'in-progress'
      AND ((${t('dedup_keys')}.instance_id = EXCLUDED.instance_id AND ${t('dedup_keys')}.session_id <> EXCLUDED.session_id)
        OR (${t('dedup_keys')}.instance_id <> EXCLUDED.instance_id AND ${t('dedup_keys')}.lease_until <= $6))
    RETURNING scope, key`;

  interface Waiter<T> {
    scope: string;
    key: string;
    resolve: (value: T) => void;
    reject: (error: unknown) => void;
  }
  let claims: Array<Waiter<ClaimResult>> = [];

  /**
   * Keys of a batch in (scope, key) order: every statement locks rows in that order, so two
   * instances' batches over the same keys wait for each other instead of deadlocking.
   */
  function sortedPairs(items: ReadonlyArray<{ scope: string; key: string }>): { scopes: string[]; keys: string[] } {
    const unique = new Map<string, { scope: string; key: string }>();
    for (const item of items) unique.set(pairId(item.scope, item.key), item);
    const ordered = [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
    return { scopes: ordered.map((i) => i.scope), keys: ordered.map((i) => i.key) };
  }

  /** Claims queued in one tick go out together. */
  function queueClaim(item: Waiter<ClaimResult>): void {
    claims.push(item);
    if (claims.length === 1) setImmediate(flushClaims);
  }

  /** One statement (one commit) for every claim() of the current tick. */
  function flushClaims(): void {
    const items = claims;
    claims = [];
    const at = now();
    const { scopes, keys } = sortedPairs(items);
    void (async () => {
      const taken = await pool.query<{ scope: string; key: string }>(claimSql, [scopes, keys, instanceId, sessionId, at + leaseMs, at]);
      const takenIds = new Set(taken.rows.map((r) => pairId(r.scope, r.key)));
      // A key claimed twice in one tick: the first caller gets the statement's answer, a later
      // one what it would have seen right after (this session's own live claim).
      const answered = new Set<string>();
      const rest: Array<Waiter<ClaimResult>> = [];
      for (const item of items) {
        const itemId = pairId(item.scope, item.key);
        if (!takenIds.has(itemId)) {
          rest.push(item);
          continue;
        }
        item.resolve(answered.has(itemId) ? { status: 'in-progress', owner: 'self', retryAfterMs: 0 } : { status: 'new' });
        answered.add(itemId);
      }
      if (rest.length === 0) return;
      try {
        const pairs = sortedPairs(rest);
        const rows = await pool.query<{ scope: string; key: string; status: string; instance_id: string; session_id: string; lease_until: string }>(
          `SELECT d.scope, d.key, d.status, d.instance_id, d.session_id, d.lease_until
           FROM unnest($1::text[], $2::text[]) AS u(s, k) JOIN ${t('dedup_keys')} d ON d.scope = u.s AND d.key = u.k`,
          [pairs.scopes, pairs.keys],
        );
        const current = new Map(rows.rows.map((row) => [pairId(row.scope, row.key), row]));
        for (const item of rest) {
          const row = current.get(pairId(item.scope, item.key));
          // Released or pruned between the two statements: the key is free, so it is claimed again
          // in the next batch rather than answered as held by someone.
          if (!row) queueClaim(item);
          else if (row.status === 'done') item.resolve({ status: 'duplicate' });
          else if (row.instance_id === instanceId && row.session_id === sessionId) {
            item.resolve({ status: 'in-progress', owner: 'self', retryAfterMs: 0 });
          } else item.resolve({ status: 'in-progress', owner: 'other', retryAfterMs: Math.max(0, Number(row.lease_until) - at) });
        }
      } catch (error) {
        // Mapped to the callers still waiting: the statement that would have answered them failed.
        for (const item of rest) item.reject(error);
      }
    })().catch(
      // Mapped to every waiting caller: the claim statement failed, so none of these keys is claimed.
      (error: unknown) => items.forEach((i) => i.reject(error)),
    );
  }

  let batch: Array<Waiter<void>> = [];
  let closing: Promise<void> | undefined;

  /** One statement (one commit) for every complete() of the current tick. */
  function flushCompletes(): void {
    const items = batch;
    batch = [];
    const { scopes, keys } = sortedPairs(items);
    pool
      .query(
        `INSERT INTO ${t('dedup_keys')} (scope, key, status, instance_id, session_id, lease_until, updated_at)
         SELECT s, k, 'done', $3, $4, 0, $5 FROM unnest($1::text[], $2::text[]) AS u(s, k)
         ON CONFLICT (scope, key) DO UPDATE SET status = 'done', instance_id = EXCLUDED.instance_id,
           session_id = EXCLUDED.session_id, lease_until = 0, updated_at = EXCLUDED.updated_at`,
        [scopes, keys, instanceId, sessionId, now()],
      )
      .then(
        () => items.forEach((i) => i.resolve()),
        // Mapped to every waiting caller: none of these keys is recorded done.
        (error: unknown) => items.forEach((i) => i.reject(error)),
      );
  }

  const counterValues = (c: EpochCounters) => {
    const d = c.duplicatesByCause;
    return [c.received, c.delivered, c.duplicatesSuppressed, c.retried, c.parked, c.skipped, d.reconnect, d.timeout, d.reload, d.replay, d.other, c.checkpointGap];
  };

  return {
    claim(scope, key): Promise<ClaimResult> {
      if (closing) return Promise.reject(new Error('PostgreSQL dedup store is closed'));
      return new Promise<ClaimResult>((resolve, reject) => {
        queueClaim({ scope, key, resolve, reject });
      });
    },
    complete(scope, key) {
      if (closing) return Promise.reject(new Error('PostgreSQL dedup store is closed'));
      return new Promise<void>((resolve, reject) => {
        batch.push({ scope, key, resolve, reject });
        if (batch.length === 1) setImmediate(flushCompletes);
      });
    },
    async release(scope, key) {
      await pool.query(
        `DELETE FROM ${t('dedup_keys')} WHERE scope = $1 AND key = $2 AND status = 'in-progress'
           AND instance_id = $3 AND session_id = $4`,
        [scope, key, instanceId, sessionId],
      );
    },
    async openEpoch(scope, startedAt) {
      const result = await pool.query<{ epoch: number }>(
        `WITH seq AS (
           INSERT INTO ${t('epoch_seq')} (scope, last) VALUES ($1, 1)
           ON CONFLICT (scope) DO UPDATE SET last = ${t('epoch_seq')}.last + 1 RETURNING last)
         INSERT INTO ${t('epochs')} (scope, epoch, started_at) SELECT $1, last, $2 FROM seq RETURNING epoch`,
        [scope, startedAt.toISOString()],
      );
      const epoch = result.rows[0]?.epoch;
      if (epoch === undefined) throw new Error(`epoch sequence for ${scope} returned no row`);
      return epoch;
    },
    async updateEpoch(scope, epoch, c) {
      await pool.query(
        `UPDATE ${t('epochs')} SET ${COUNTER_ASSIGNMENTS} WHERE scope = $13 AND epoch = $14`,
        [...counterValues(c), scope, epoch],
      );
    },
    async closeEpoch(scope, epoch, endedAt, endReason, c) {
      await pool.query(
        `UPDATE ${t('epochs')} SET ${COUNTER_ASSIGNMENTS}, ended_at = $13, end_reason = $14
         WHERE scope = $15 AND epoch = $16`,
        [...counterValues(c), endedAt.toISOString(), endReason, scope, epoch],
      );
    },
    async listEpochs(scope, limit): Promise<EpochRecord[]> {
      const result = await pool.query<EpochRow>(
        `SELECT epoch, started_at, ended_at, end_reason, received, delivered, duplicates_suppressed, retried, parked, skipped,
           dup_reconnect, dup_timeout, dup_reload, dup_replay, dup_other, checkpoint_gap
         FROM ${t('epochs')} WHERE scope = $1 ORDER BY epoch DESC LIMIT $2`,
        [scope, Math.max(0, Math.floor(limit))],
      );
      return result.rows.map(toEpochRecord);
    },
    async prune(olderThan) {
      const result = await pool.query(`DELETE FROM ${t('dedup_keys')} WHERE status = 'done' AND updated_at < $1`, [
        olderThan.getTime(),
      ]);
      return result.rowCount ?? 0;
    },
    async heartbeat(beat) {
      const parsed = instanceHeartbeatSchema.parse(beat);
      await pool.query(
        `INSERT INTO ${t('instances')} (instance_id, last_seen, beat) VALUES ($1, $2, $3)
         ON CONFLICT (instance_id) DO UPDATE SET last_seen = EXCLUDED.last_seen, beat = EXCLUDED.beat`,
        [parsed.instanceId, now(), JSON.stringify(parsed)],
      );
    },
    async listInstances() {
      const at = now();
      const result = await pool.query<{ last_seen: string; beat: string }>(`SELECT last_seen, beat FROM ${t('instances')}`);
      const listed: Instance[] = [];
      for (const row of result.rows) {
        const beat = instanceHeartbeatSchema.parse(JSON.parse(row.beat));
        const instance = toInstance(beat, Number(row.last_seen), at);
        if (instance) listed.push(instance);
        // Only the very record judged gone: a fresh beat written meanwhile stays.
        else await pool.query(`DELETE FROM ${t('instances')} WHERE instance_id = $1 AND last_seen = $2`, [beat.instanceId, row.last_seen]);
      }
      return sortInstances(listed);
    },
    async ping() {
      if (closing) throw new Error('PostgreSQL dedup store is closed');
      await pool.query('SELECT 1');
    },
    close() {
      closing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        if (claims.length > 0) flushClaims();
        if (batch.length > 0) flushCompletes();
        // Let the last batch's statement finish before the pool goes.
        await pool.query('SELECT 1');
        if (ownsPool) await pool.end();
      });
      return closing;
    },
  };
}


/** `$1…$12`: the mutable epoch columns, in the order of `counterValues`. */
const COUNTER_ASSIGNMENTS = `received = $1, delivered = $2, duplicates_suppressed = $3, retried = $4, parked = $5,
  skipped = $6, dup_reconnect = $7, dup_timeout = $8, dup_reload = $9, dup_replay = $10, dup_other = $11,
  checkpoint_gap = $12`;


async function migrate(pool: pg.Pool, schema: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Instances starting together must not race on CREATE TABLE IF NOT EXISTS.
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS "${schema}".dedup_keys (
        scope text NOT NULL,
        key text NOT NULL,
        status text NOT NULL CHECK (status IN ('in-progress', 'done')),
        instance_id text NOT NULL,
        session_id text NOT NULL,
        lease_until bigint NOT NULL,
        updated_at bigint NOT NULL,
        PRIMARY KEY (scope, key)
      )`);
    await client.query(
      `CREATE INDEX IF NOT EXISTS dedup_keys_done_at ON "${schema}".dedup_keys (updated_at) WHERE status = 'done'`,
    );
    // Small: only live claims. Lets an opening instance find the claims its dead process left.
    await client.query(
      `CREATE INDEX IF NOT EXISTS dedup_keys_in_progress ON "${schema}".dedup_keys (instance_id) WHERE status = 'in-progress'`,
    );
    await client.query(`CREATE TABLE IF NOT EXISTS "${schema}".epoch_seq (scope text PRIMARY KEY, last integer NOT NULL)`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS "${schema}".epochs (
        scope text NOT NULL,
        epoch integer NOT NULL,
        started_at text NOT NULL,
        ended_at text,
        end_reason text,
        received integer NOT NULL DEFAULT 0,
        delivered integer NOT NULL DEFAULT 0,
        duplicates_suppressed integer NOT NULL DEFAULT 0,
        retried integer NOT NULL DEFAULT 0,
        parked integer NOT NULL DEFAULT 0,
        skipped integer NOT NULL DEFAULT 0,
        PRIMARY KEY (scope, epoch)
      )`);
    // Added after the first release; IF NOT EXISTS makes it a no-op on migrated schemas.
    await client.query(`
      ALTER TABLE "${schema}".epochs
        ADD COLUMN IF NOT EXISTS dup_reconnect integer NOT NULL DEFAULT 0,
        ADD COLUMN IF NOT EXISTS dup_timeout integer NOT NULL DEFAULT 0,
        ADD COLUMN IF NOT EXISTS dup_reload integer NOT NULL DEFAULT 0,
        ADD COLUMN IF NOT EXISTS dup_replay integer NOT NULL DEFAULT 0,
        ADD COLUMN IF NOT EXISTS dup_other integer NOT NULL DEFAULT 0,
        ADD COLUMN IF NOT EXISTS checkpoint_gap integer`);
    // Heartbeats of the instances sharing this store (one row per instance id).
    await client.query(`
      CREATE TABLE IF NOT EXISTS "${schema}".instances (
        instance_id text PRIMARY KEY,
        last_seen bigint NOT NULL,
        beat text NOT NULL
      )`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined /* the original error is what matters */);
    throw error;
  } finally {
    client.release();
  }
}
