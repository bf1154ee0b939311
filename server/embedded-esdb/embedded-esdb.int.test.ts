import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { describe, expect, test } from 'vitest';
import { createEsdbServer, startEmbeddedEsdb } from './index';
import { waitUntil } from './testing/wait-until';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

describe('startEmbeddedEsdb (server in a child process)', () => {
  test('serves the official client on an ephemeral port and stops idempotently', async () => {
    const server = await startEmbeddedEsdb({ port: 0 });
    const client = EventStoreDBClient.connectionString(server.connectionString);
    try {
      expect(server.connectionString).toBe(`esdb://127.0.0.1:${server.port}?tls=false`);
      const result = await client.appendToStream('child-stream', jsonEvent({ type: 'x', data: { ok: true } }));
      expect(result.nextExpectedRevision).toBe(0n);
    } finally {
      await client.dispose();
      const first = server.stop();
      expect(server.stop()).toBe(first);
      await first;
    }
    expect(isRunning(server.pid!)).toBe(false);
  });

  test('with a dataDir the child process keeps what was written there for the next start', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'embedded-esdb-'));
    try {
      const server = await startEmbeddedEsdb({ port: 0, dataDir });
      const client = EventStoreDBClient.connectionString(server.connectionString);
      await client.appendToStream('kept-stream', jsonEvent({ type: 'x', data: { kept: true } }));
      await client.dispose();
      await server.stop();

      const reopened = await createEsdbServer({ port: 0, dataDir });
      try {
        expect(reopened.log.readStream('kept-stream', { from: 'start', direction: 'forwards', maxCount: 10 }).map((e) => e.type)).toEqual(['x']);
      } finally {
        await reopened.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('a port that is already taken rejects with EADDRINUSE and the port', async () => {
    const server = await startEmbeddedEsdb({ port: 0 });
    try {
      await expect(startEmbeddedEsdb({ port: server.port })).rejects.toMatchObject({ code: 'EADDRINUSE', port: server.port });
    } finally {
      await server.stop();
    }
  });

  test('the child exits when its parent process dies', async () => {
    const parent = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'testing', 'parent-fixture.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: parent.stdout });
    const firstLine = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      parent.once('exit', () => reject(new Error('parent fixture exited early')));
    });
    const { pid } = JSON.parse(firstLine) as { port: number; pid: number };
    expect(isRunning(pid)).toBe(true);

    parent.kill('SIGKILL');

    await waitUntil('the orphaned child to exit', () => !isRunning(pid));
  });
});
