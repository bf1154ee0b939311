import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './schema';

describe('parseConfig', () => {
  it('defaults to the embedded demo on 127.0.0.1:3000 with ./data when the environment is empty', () => {
    const config = parseConfig({});
    expect(config.esdb.connectionString).toBeUndefined();
    expect(config.esdb.embeddedPort).toBe(2113);
    expect(config.http).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(config.dataDir).toBe('./data');
    expect(config.demo.enabled).toBe(true);
    expect(config.auth.publicRead).toBe(false);
    expect(config.auth.token).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('turns the demo off by default when a connection string is given', () => {
    const config = parseConfig({ ESDB_CONNECTION_STRING: 'esdb://node1:2113?tls=false' });
    expect(config.esdb.connectionString).toBe('esdb://node1:2113?tls=false');
    expect(config.demo.enabled).toBe(false);
  });

  it('accepts KURRENTDB_CONNECTION_STRING as an alias', () => {
    const config = parseConfig({ KURRENTDB_CONNECTION_STRING: 'kurrentdb+discover://db.example:2113' });
    // Same format, spelled the way the official Node client (6.2.1) parses it.
    expect(config.esdb.connectionString).toBe('esdb+discover://db.example:2113');
    expect(parseConfig({ ESDB_CONNECTION_STRING: 'kdb://a:2113?tls=false' }).esdb.connectionString).toBe('esdb://a:2113?tls=false');
  });

  it('parses booleans explicitly instead of treating any non-empty string as true', () => {
    expect(parseConfig({ SUBWATCH_PUBLIC_READ: '1' }).auth.publicRead).toBe(true);
    expect(parseConfig({ SUBWATCH_PUBLIC_READ: 'false' }).auth.publicRead).toBe(false);
    expect(parseConfig({ SUBWATCH_PUBLIC_READ: '0' }).auth.publicRead).toBe(false);
  });

  it('lists every problem at once, each with its variable name', () => {
    let error: unknown;
    try {
      parseConfig({
        PORT: 'eighty',
        SUBWATCH_PUBLIC_READ: 'maybe',
        ESDB_CONNECTION_STRING: 'http://localhost:2113',
        SUBWATCH_ADMIN_TOKEN: 'short',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(5);
    for (const name of ['PORT', 'SUBWATCH_PUBLIC_READ', 'ESDB_CONNECTION_STRING', 'SUBWATCH_ADMIN_TOKEN', 'LOG_LEVEL']) {
      expect(problems.some((p) => p.startsWith(`${name}:`))).toBe(true);
    }
  });

  it('rejects an out-of-range port and allows 0 (ephemeral) for the embedded server', () => {
    expect(() => parseConfig({ PORT: '70000' })).toThrow(ConfigError);
    expect(parseConfig({ EMBEDDED_ESDB_PORT: '0' }).esdb.embeddedPort).toBe(0);
  });

  it('selects a shared Redis or PostgreSQL store by URL and rejects anything else', () => {
    expect(parseConfig({}).store.url).toBeUndefined();
    expect(parseConfig({ SUBWATCH_STORE_URL: 'redis://:pw@cache:6379/2' }).store.url).toBe('redis://:pw@cache:6379/2');
    expect(parseConfig({ SUBWATCH_STORE_URL: 'postgres://u@db/subwatch' }).store.url).toBe('postgres://u@db/subwatch');
    expect(() => parseConfig({ SUBWATCH_STORE_URL: 'mysql://db/x' })).toThrow(/SUBWATCH_STORE_URL/);
    expect(() => parseConfig({ SUBWATCH_INSTANCE_ID: 'a b' })).toThrow(/SUBWATCH_INSTANCE_ID/);
  });
});
