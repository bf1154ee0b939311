/**
 * SQLite dedup store (better-sqlite3, WAL). One file per deployment; safe for several processes
 * on one host because every claim runs in an IMMEDIATE transaction.
 *
 * Throughput: better-sqlite3 is synchronous, so every commit and every fsync would stall the
 * event loop that also reads the subscription. Claims (and completes) requested in the same tick
 * therefore share one transaction, and a durable complete is made durable by an *asynchronous*
 * fdatasync of the WAL file (libuv thread pool) after a synchronous=NORMAL commit — the same
 * bytes on disk as a synchronous=FULL commit (FULL fsyncs the WAL after writing the commit's
 * frames), without blocking the loop. One sync is in flight at a time; commits made while it
 * runs wait for the next one (group commit). WAL checkpoints (page copies and two fsyncs each)
 * run in a worker thread too (sqlite-wal-checkpointer.ts).
 *
 * Claim ownership: each store instance has an `instanceId` (stable across restarts of the same
 * deployment, default "local") and a random `sessionId` (new per open). A claim left
 * `in-progress` by an earlier session of the same instance belongs to a dead process, so opening
 * the store frees it (for every instance) at once after a restart. Claims of *other* instances are respected until their
 * lease (`leaseMs`) ends. Two processes must never run with the same instanceId at once.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, fdatasync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { instanceHeartbeatSchema, type Instance } from '../api/schemas';
import { sortInstances, toInstance, type ClaimResult, type DedupStore, type EpochCounters } from './dedup-store';
import { toEpochRecord, type EpochRow } from './epoch-row';
import { startWalCheckpointer, type WalCheckpointer } from './sqlite-wal-checkpointer';

export interface SqliteDedupStoreOptions {
  /** Database file (created if missing; its directory must exist). `:memory:` for throwaway use. */
  path: string;
  /** Identity of this deployment/process role. Default "local". */
  instanceId?: string;
  /** How long another instance's in-progress claim is respected. Default 60_000 ms. */
  leaseMs?: number;
  /**
   * `full` (default): `complete` resolves only after its commit reached the disk (fdatasync of the
   * WAL), so a done key survives power loss. Completes arriving in the same tick share one commit
   * and one sync (group commit); claims and epoch writes are not fsynced on their own (losing a
   * claim only makes the key claimable again).
   * `normal`: nothing is fsynced (WAL + synchronous=NORMAL): survives process crashes only.
   */
  durability?: 'full' | 'normal';
  /** Clock in ms since the Unix epoch (tests). Default Date.now. */
  now?: () => number;
}

/** Done keys deleted per transaction by prune() (~2–5 ms each) before it yields to the event loop. */
export const PRUNE_CHUNK_KEYS = 2_000;

interface KeyRow {
  status: 'in-progress' | 'done';
  instance_id: string;
  session_id: string;
  lease_until: number;
}


/**
 * Columns added after the first release, as `name → definition`. They are added by
 * {@link migrateEpochColumns} (fresh files too), so old files and new ones end up identical.
 */
const ADDED_EPOCH_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['dup_reconnect', 'INTEGER NOT NULL DEFAULT 0'],
  ['dup_timeout', 'INTEGER NOT NULL DEFAULT 0'],
  ['dup_reload', 'INTEGER NOT NULL DEFAULT 0'],
  ['dup_replay', 'INTEGER NOT NULL DEFAULT 0'],
  ['dup_other', 'INTEGER NOT NULL DEFAULT 0'],
  ['checkpoint_gap', 'INTEGER'],
];

/**
 * Adds the missing epoch columns. SQLite has no `ADD COLUMN IF NOT EXISTS`, so the existing
 * columns are read first; an immediate transaction keeps two processes opening the same file at
 * once from both adding a column (the loser would fail with "duplicate column").
 */
function migrateEpochColumns(db: Database.Database): void {
  db.transaction(() => {
    const present = new Set(
      (db.prepare('SELECT name FROM pragma_table_info(?)').all('epochs') as Array<{ name: string }>).map((c) => c.name),
    );
    for (const [name, definition] of ADDED_EPOCH_COLUMNS) {
      if (!present.has(name)) db.exec(`ALTER TABLE epochs ADD COLUMN ${name} ${definition}`);
    }
  }).immediate();
}

/** Values of the mutable epoch columns, in the order the UPDATE statements list them. */
function counterValues(c: EpochCounters): [number, number, number, number, number, number, number, number, number, number, number, number | null] {
  const d = c.duplicatesByCause;
  return [c.received, c.delivered, c.duplicatesSuppressed, c.retried, c.parked, c.skipped, d.reconnect, d.timeout, d.reload, d.replay, d.other, c.checkpointGap];
}

const COUNTER_ASSIGNMENTS = `received = ?, delivered = ?, duplicates_suppressed = ?, retried = ?, parked = ?, skipped = ?,
  dup_reconnect = ?, dup_timeout = ?, dup_reload = ?, dup_replay = ?, dup_other = ?, checkpoint_gap = ?`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS dedup_keys (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('in-progress', 'done')),
  instance_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  lease_until INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
) WITHOUT ROWID;
DROP INDEX IF EXISTS dedup_keys_done_at;
CREATE INDEX IF NOT EXISTS dedup_keys_done_by_time ON dedup_keys (updated_at) WHERE status = 'done';
CREATE TABLE IF NOT EXISTS epoch_seq (
  scope TEXT PRIMARY KEY,
  last INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS epochs (
  scope TEXT NOT NULL,
  epoch INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  end_reason TEXT,
  received INTEGER NOT NULL DEFAULT 0,
  delivered INTEGER NOT NULL DEFAULT 0,
  duplicates_suppressed INTEGER NOT NULL DEFAULT 0,
  retried INTEGER NOT NULL DEFAULT 0,
  parked INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (scope, epoch)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS instances (
  instance_id TEXT PRIMARY KEY,
  last_seen INTEGER NOT NULL,
  beat TEXT NOT NULL
) WITHOUT ROWID;
`;

/** @throws Error (with the path) when the file cannot be opened or migrated. */
export function createSqliteDedupStore(options: SqliteDedupStoreOptions): DedupStore {
  const instanceId = options.instanceId ?? 'local';
  const sessionId = randomUUID();
  const leaseMs = options.leaseMs ?? 60_000;
  const now = options.now ?? Date.now;
  if (!(leaseMs > 0)) throw new Error(`createSqliteDedupStore: leaseMs must be > 0 (got ${leaseMs})`);

  let db: Database.Database;
  let walMode = false;
  try {
    db = new Database(options.path);
    // Some file systems (and `:memory:`) cannot do WAL; the mode actually set is returned.
    walMode = db.pragma('journal_mode = WAL', { simple: true }) === 'wal';
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    migrateEpochColumns(db);
    // This session is new: every in-progress claim of this instance belongs to a dead process.
    db.prepare("DELETE FROM dedup_keys WHERE status = 'in-progress' AND instance_id = ?").run(instanceId);
  } catch (error) {
    throw new Error(`Cannot open SQLite dedup store at ${options.path}: ${String(error)}`, { cause: error });
  }

  const selectKey = db.prepare<[string, string], KeyRow>(
    'SELECT status, instance_id, session_id, lease_until FROM dedup_keys WHERE scope = ? AND key = ?',
  );
  const upsertClaim = db.prepare<[string, string, string, string, number, number]>(
    `INSERT INTO dedup_keys (scope, key, status, instance_id, session_id, lease_until, updated_at)
     VALUES (?, ?, 'in-progress', ?, ?, ?, ?)
     ON CONFLICT (scope, key) DO UPDATE SET status = 'in-progress', instance_id = excluded.instance_id,
       session_id = excluded.session_id, lease_until = excluded.lease_until, updated_at = excluded.updated_at`,
  );
  // Common cases in one B-tree descent: a new key is inserted, a claimed key is updated.
  const insertNewClaim = db.prepare<[string, string, string, string, number, number]>(
    `INSERT INTO dedup_keys (scope, key, status, instance_id, session_id, lease_until, updated_at)
     VALUES (?, ?, 'in-progress', ?, ?, ?, ?) ON CONFLICT (scope, key) DO NOTHING`,
  );
  const markDone = db.prepare<[string, string, number, string, string]>(
    `UPDATE dedup_keys SET status = 'done', instance_id = ?, session_id = ?, lease_until = 0, updated_at = ?
     WHERE scope = ? AND key = ?`,
  );
  const upsertDone = db.prepare<[string, string, string, string, number]>(
    `INSERT INTO dedup_keys (scope, key, status, instance_id, session_id, lease_until, updated_at)
     VALUES (?, ?, 'done', ?, ?, 0, ?)
     ON CONFLICT (scope, key) DO UPDATE SET status = 'done', instance_id = excluded.instance_id,
       session_id = excluded.session_id, lease_until = 0, updated_at = excluded.updated_at`,
  );
  const deleteOwnClaim = db.prepare<[string, string, string, string]>(
    `DELETE FROM dedup_keys WHERE scope = ? AND key = ? AND status = 'in-progress'
       AND instance_id = ? AND session_id = ?`,
  );
  // A chunk at a time: one DELETE of a week's keys would hold the event loop for seconds.
  const pruneChunk = db.prepare<[number, number]>(
    `DELETE FROM dedup_keys WHERE (scope, key) IN
       (SELECT scope, key FROM dedup_keys WHERE status = 'done' AND updated_at < ? LIMIT ?)`,
  );
  const nextEpochSeq = db.prepare<[string], { last: number }>(
    `INSERT INTO epoch_seq (scope, last) VALUES (?, 1)
     ON CONFLICT (scope) DO UPDATE SET last = last + 1 RETURNING last`,
  );
  const insertEpoch = db.prepare<[string, number, string]>(
    'INSERT INTO epochs (scope, epoch, started_at) VALUES (?, ?, ?)',
  );
  const updateCounters = db.prepare<[...ReturnType<typeof counterValues>, string, number]>(
    `UPDATE epochs SET ${COUNTER_ASSIGNMENTS} WHERE scope = ? AND epoch = ?`,
  );
  const closeEpochStmt = db.prepare<[string, string, ...ReturnType<typeof counterValues>, string, number]>(
    `UPDATE epochs SET ended_at = ?, end_reason = ?, ${COUNTER_ASSIGNMENTS} WHERE scope = ? AND epoch = ?`,
  );
  const selectEpochs = db.prepare<[string, number], EpochRow>(
    `SELECT epoch, started_at, ended_at, end_reason, received, delivered, duplicates_suppressed, retried, parked, skipped,
       dup_reconnect, dup_timeout, dup_reload, dup_replay, dup_other, checkpoint_gap
     FROM epochs WHERE scope = ? ORDER BY epoch DESC LIMIT ?`,
  );

  const upsertInstance = db.prepare<[string, number, string]>(
    `INSERT INTO instances (instance_id, last_seen, beat) VALUES (?, ?, ?)
     ON CONFLICT (instance_id) DO UPDATE SET last_seen = excluded.last_seen, beat = excluded.beat`,
  );
  const selectInstances = db.prepare<[], { last_seen: number; beat: string }>('SELECT last_seen, beat FROM instances');
  // Only the very record judged gone: a fresh beat written meanwhile stays.
  const deleteGoneInstance = db.prepare<[string, number]>('DELETE FROM instances WHERE instance_id = ? AND last_seen = ?');

  function claimOne(scope: string, key: string, at: number): ClaimResult {
    if (insertNewClaim.run(scope, key, instanceId, sessionId, at + leaseMs, at).changes === 1) return { status: 'new' };
    const row = selectKey.get(scope, key);
    if (row?.status === 'done') return { status: 'duplicate' };
    if (row) {
      const mine = row.instance_id === instanceId;
      if (mine && row.session_id === sessionId) return { status: 'in-progress', owner: 'self', retryAfterMs: 0 };
      // Same instance, earlier session: that process is gone. Other instance: honour its lease.
      if (!mine && row.lease_until > at) {
        return { status: 'in-progress', owner: 'other', retryAfterMs: row.lease_until - at };
      }
    }
    upsertClaim.run(scope, key, instanceId, sessionId, at + leaseMs, at);
    return { status: 'new' };
  }
  // In order: a key claimed twice in one batch is `in-progress` (self) the second time, as if
  // the claims had run one after the other.
  const claimBatchTx = db.transaction((items: ReadonlyArray<{ scope: string; key: string }>, at: number) =>
    items.map(({ scope, key }) => claimOne(scope, key, at)),
  );
  let claims: Array<{ scope: string; key: string; resolve: (result: ClaimResult) => void; reject: (error: unknown) => void }> = [];

  /** One IMMEDIATE transaction for every claim() of the current tick. */
  function flushClaims(): void {
    const items = claims;
    claims = [];
    try {
      const results = claimBatchTx.immediate(items, now());
      items.forEach((item, i) => item.resolve(results[i] as ClaimResult));
    } catch (error) {
      // Mapped to every waiting caller: none of these keys was claimed.
      for (const item of items) item.reject(error);
    }
  }

  const openEpochTx = db.transaction((scope: string, startedAt: Date): number => {
    const seq = nextEpochSeq.get(scope);
    if (!seq) throw new Error(`epoch sequence for ${scope} returned no row`);
    insertEpoch.run(scope, seq.last, startedAt.toISOString());
    return seq.last;
  });

  const durable = options.durability !== 'normal';
  // A file-backed WAL database is made durable by syncing its WAL file off the loop; anything
  // else (rollback journal, `:memory:`) by a synchronous=FULL commit.
  const walPath = walMode && options.path !== ':memory:' && options.path !== '' ? `${options.path}-wal` : null;
  let checkpointer: WalCheckpointer | undefined;
  if (walPath !== null) {
    // Checkpoints run in a worker; the writer's own threshold (default 1000 pages) only as a backstop.
    db.pragma('wal_autocheckpoint = 20000');
    checkpointer = startWalCheckpointer(options.path);
  }
  const completeBatchTx = db.transaction((items: ReadonlyArray<{ scope: string; key: string }>, at: number) => {
    for (const { scope, key } of items) {
      if (markDone.run(instanceId, sessionId, at, scope, key).changes === 0) upsertDone.run(scope, key, instanceId, sessionId, at);
    }
  });
  type Waiter = { resolve: () => void; reject: (error: unknown) => void };
  let completes: Array<{ scope: string; key: string } & Waiter> = [];
  /** Committed completes waiting for the next WAL sync (one sync runs at a time). */
  let unsynced: Waiter[] = [];
  let syncing: Promise<void> | undefined;
  let walFd: number | undefined;

  function syncWal(fd: number): Promise<void> {
    return new Promise<void>((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
  }

  /** Syncs the WAL for every committed complete, again and again while more were committed meanwhile. */
  function startSync(): void {
    if (syncing || unsynced.length === 0) return;
    const waiters = unsynced;
    unsynced = [];
    syncing = (async () => {
      try {
        // The WAL exists once anything was committed in WAL mode; it stays the same file while open.
        walFd ??= openSync(walPath as string, 'r');
        await syncWal(walFd);
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        // Mapped: the commit may not be on disk, so none of these keys counts as durably done.
        for (const waiter of waiters) waiter.reject(error);
      } finally {
        syncing = undefined;
        startSync();
      }
    })();
  }

  /** One transaction for every complete() of the current tick; with `full`, one sync for them. */
  function flushCompletes(): void {
    const items = completes;
    completes = [];
    const viaWalSync = durable && walPath !== null;
    try {
      if (durable && !viaWalSync) db.pragma('synchronous = FULL');
      try {
        completeBatchTx(items, now());
      } finally {
        if (durable && !viaWalSync) db.pragma('synchronous = NORMAL');
      }
    } catch (error) {
      // Mapped to every waiting caller: none of these keys is recorded done.
      for (const item of items) item.reject(error);
      return;
    }
    if (!viaWalSync) {
      for (const item of items) item.resolve();
      return;
    }
    unsynced.push(...items);
    startSync();
  }

  let closing: Promise<void> | undefined;
  const pingStmt = db.prepare('SELECT 1');

  return {
    claim(scope, key) {
      if (closing) return Promise.reject(new Error('SQLite dedup store is closed'));
      return new Promise<ClaimResult>((resolve, reject) => {
        claims.push({ scope, key, resolve, reject });
        if (claims.length === 1) setImmediate(flushClaims);
      });
    },
    complete(scope, key) {
      if (closing) return Promise.reject(new Error('SQLite dedup store is closed'));
      return new Promise<void>((resolve, reject) => {
        completes.push({ scope, key, resolve, reject });
        if (completes.length === 1) setImmediate(flushCompletes);
      });
    },
    async release(scope, key) {
      deleteOwnClaim.run(scope, key, instanceId, sessionId);
    },
    async openEpoch(scope, startedAt) {
      return openEpochTx.immediate(scope, startedAt);
    },
    async updateEpoch(scope, epoch, c: EpochCounters) {
      updateCounters.run(...counterValues(c), scope, epoch);
    },
    async closeEpoch(scope, epoch, endedAt, endReason, c) {
      closeEpochStmt.run(endedAt.toISOString(), endReason, ...counterValues(c), scope, epoch);
    },
    async listEpochs(scope, limit) {
      return selectEpochs.all(scope, Math.max(0, Math.floor(limit))).map(toEpochRecord);
    },
    async prune(olderThan) {
      let removed = 0;
      for (;;) {
        if (closing) return removed;
        const changes = pruneChunk.run(olderThan.getTime(), PRUNE_CHUNK_KEYS).changes;
        removed += changes;
        if (changes < PRUNE_CHUNK_KEYS) return removed;
        // Deliveries go on between chunks.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    },
    async heartbeat(beat) {
      const parsed = instanceHeartbeatSchema.parse(beat);
      upsertInstance.run(parsed.instanceId, now(), JSON.stringify(parsed));
    },
    async listInstances() {
      const at = now();
      const listed: Instance[] = [];
      for (const row of selectInstances.all()) {
        const beat = instanceHeartbeatSchema.parse(JSON.parse(row.beat));
        const instance = toInstance(beat, row.last_seen, at);
        if (instance) listed.push(instance);
        else deleteGoneInstance.run(beat.instanceId, row.last_seen);
      }
      return sortInstances(listed);
    },
    async ping() {
      if (closing || !db.open) throw new Error('SQLite dedup store is closed');
      pingStmt.get();
    },
    close() {
      closing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        if (claims.length > 0) flushClaims();
        if (completes.length > 0) flushCompletes();
        while (syncing) await syncing;
        if (walFd !== undefined) closeSync(walFd);
        // Before the writer closes, so the writer is the last connection and removes the WAL.
        await checkpointer?.stop();
        db.close();
      });
      return closing;
    },
  };
}

