/**
 * The deployment files cannot be built here (no docker engine in CI), so this checks what can be
 * checked without one: the sample config the compose file mounts loads, the environment the
 * image and the compose file set parses, the health check asks a route that exists, and the
 * image keeps `.next/BUILD_ID` newer than every copied source (else `npm start` would try to
 * rebuild in an image without dev dependencies).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../lib/config/schema';
import { loadSubwatchConfigFile } from '../server/load-config-file';

const root = path.join(__dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe('deployment files', () => {
  it('ships a sample config file that loads, mounted by docker-compose.yml', () => {
    const compose = read('docker-compose.yml');
    expect(compose).toContain('./examples/subwatch.config.json:/config/subwatch.config.json:ro');
    const file = loadSubwatchConfigFile(path.join(root, 'examples/subwatch.config.json'));
    expect(file?.proxies.map((p) => `${p.stream}/${p.group}`)).toEqual(['orders/billing']);
  });

  it('sets an environment the config schema accepts (image defaults plus the compose service)', () => {
    const dockerfile = read('Dockerfile');
    const compose = read('docker-compose.yml');
    const connectionString = /ESDB_CONNECTION_STRING: "([^"]+)"/.exec(compose)?.[1];
    expect(connectionString).toBe('esdb://kurrentdb:2113?tls=false');
    for (const line of ['NODE_ENV=production', 'HOST=0.0.0.0', 'PORT=3000', 'SUBWATCH_DATA_DIR=/data']) {
      expect(dockerfile).toContain(line);
    }
    const config = parseConfig({
      HOST: '0.0.0.0',
      PORT: '3000',
      SUBWATCH_DATA_DIR: '/data',
      ESDB_CONNECTION_STRING: connectionString,
      SUBWATCH_CONFIG: '/config/subwatch.config.json',
      SUBWATCH_ADMIN_TOKEN: '',
      LOG_LEVEL: 'info',
    });
    expect(config.esdb.connectionString).toBe(connectionString);
    expect(config.demo.enabled).toBe(false);
  });

  it('runs npm start as a non-root user, with a health check on an existing route', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim AS runtime$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^CMD \["npm", "start"\]$/m);
    expect(dockerfile).toContain('/api/healthz');
    expect(existsSync(path.join(root, 'app/api/healthz/route.ts'))).toBe(true);
  });

  it('touches .next/BUILD_ID after the last COPY of the runtime stage', () => {
    const runtimeStage = read('Dockerfile').split(/^FROM node:20-bookworm-slim AS runtime$/m)[1] ?? '';
    const lastCopy = runtimeStage.lastIndexOf('\nCOPY ');
    const touch = runtimeStage.indexOf('touch .next/BUILD_ID');
    expect(lastCopy).toBeGreaterThan(0);
    expect(touch).toBeGreaterThan(lastCopy);
  });
});
