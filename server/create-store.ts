/**
 * Chooses the dedup store from config: SQLite in the data dir by default, Redis or PostgreSQL
 * when SUBWATCH_STORE_URL is set (several instances sharing one group must share the store).
 */
import { hostname } from 'node:os';
import path from 'node:path';
import type { Config } from '../lib/config/schema';
import type { DedupStore } from '../lib/dedup/dedup-store';
import { createPostgresDedupStore } from '../lib/dedup/postgres-dedup-store';
import { createRedisDedupStore } from '../lib/dedup/redis-dedup-store';
import { createSqliteDedupStore } from '../lib/dedup/sqlite-dedup-store';

export interface CreatedStore {
  store: DedupStore;
  /** For logs: the backend and, for shared stores, the instance id (never the URL: it may hold a password). */
  description: string;
}

export interface CreateStoreOptions {
  /** How long other instances respect a claim (see toClaimLeaseMs); the stores' default (60 s) when unset. */
  leaseMs?: number;
}

export async function createStore(config: Config, options: CreateStoreOptions = {}): Promise<CreatedStore> {
  const url = config.store.url;
  const lease = options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs };
  if (url === undefined) {
    const file = path.join(config.dataDir, 'subwatch.db');
    return { store: createSqliteDedupStore({ path: file, ...lease }), description: `SQLite at ${file}` };
  }
  // A stable id per host lets a restarted instance take over its own claims at once;
  // two instances on one host must set SUBWATCH_INSTANCE_ID.
  const instanceId = config.store.instanceId ?? hostname();
  if (/^rediss?:\/\//.test(url)) {
    return { store: await createRedisDedupStore({ url, instanceId, ...lease }), description: `Redis (instance ${instanceId})` };
  }
  return {
    store: await createPostgresDedupStore({ connectionString: url, instanceId, ...lease }),
    description: `PostgreSQL (instance ${instanceId})`,
  };
}
