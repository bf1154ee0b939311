import { describe, expect, test } from 'vitest';
import { parseStandaloneArgs } from './standalone-args';

describe('npm run esdb arguments', () => {
  test('defaults to 127.0.0.1:2113 in memory', () => {
    expect(parseStandaloneArgs([], {})).toEqual({ host: '127.0.0.1', port: 2113, dataDir: undefined, tls: undefined });
  });

  test('takes --port, --host and --data-dir, and --port wins over EMBEDDED_ESDB_PORT', () => {
    expect(parseStandaloneArgs(['--port', '0', '--host', '0.0.0.0', '--data-dir', 'data/esdb'], { EMBEDDED_ESDB_PORT: '3000' })).toEqual({
      host: '0.0.0.0',
      port: 0,
      dataDir: 'data/esdb',
      tls: undefined,
    });
  });

  test('falls back to EMBEDDED_ESDB_PORT', () => {
    expect(parseStandaloneArgs([], { EMBEDDED_ESDB_PORT: '2999' }).port).toBe(2999);
  });

  test('lists every problem together with the usage line', () => {
    expect(() => parseStandaloneArgs(['--port', '70000', '--data-dir', ''], {})).toThrow(
      /port must be an integer from 0 to 65535, got "70000"\.\n--data-dir must not be empty\.\nusage: npm run esdb/,
    );
  });

  test('takes --tls-cert and --tls-key together', () => {
    expect(parseStandaloneArgs(['--tls-cert', 'server.pem', '--tls-key', 'server.key'], {}).tls).toEqual({
      certFile: 'server.pem',
      keyFile: 'server.key',
    });
    expect(() => parseStandaloneArgs(['--tls-cert', 'server.pem'], {})).toThrow('--tls-cert and --tls-key go together');
  });

  test('rejects unknown options with the usage line', () => {
    expect(() => parseStandaloneArgs(['--tls', 'x.pem'], {})).toThrow(/--tls[\s\S]*usage: npm run esdb/);
  });
});
