import pg from 'pg';
import { afterAll } from 'vitest';
import { testPostgresUrl as url } from '../../test/helpers/service-urls';
import { runDedupStoreContract } from './dedup-store.contract';
import { createPostgresDedupStore } from './postgres-dedup-store';

const schemas = new Set<string>();

afterAll(async () => {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
});

runDedupStoreContract('postgres', ({ namespace, instanceId, leaseMs, now }) => {
  const schema = `t_${namespace.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 40)}`;
  schemas.add(schema);
  return createPostgresDedupStore({ connectionString: url, schema, instanceId, leaseMs, now });
});
