/**
 * The services every machine of this kind runs on 127.0.0.1 (PostgreSQL with trust auth and a
 * `test` database, Redis on 6379). Overridable for other setups.
 */
export const testPostgresUrl = process.env.SUBWATCH_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const testRedisUrl = process.env.SUBWATCH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
