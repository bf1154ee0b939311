/**
 * Public entry of the embedded EventStoreDB-compatible server.
 * `startEmbeddedEsdb` runs it in a child process (off the dashboard's event loop);
 * `createEsdbServer` runs it in-process (child entry, fast tests).
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { isChildMessage, type ParentMessage } from './child-protocol';

export { createEsdbServer, type EsdbServer, type EsdbServerOptions } from './create-esdb-server';

export interface EmbeddedEsdb {
  host: string;
  port: number;
  /** `esdb://HOST:PORT?tls=false` */
  connectionString: string;
  /** Process id of the server's child process (diagnostics and tests). */
  pid: number | undefined;
  /** Idempotent: the same promise on every call; resolves once the child has exited. */
  stop(): Promise<void>;
}

export interface StartEmbeddedEsdbOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 = ephemeral; default 2113. */
  port?: number;
  /** Durable mode: the data log lives in this directory (see `storage/data-log.ts`). Default: in memory. */
  dataDir?: string;
}

/** After 'stop', how long the child gets before it is killed. */
const STOP_GRACE_MS = 5_000;

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Forks `child.ts` and resolves once it listens.
 * @throws Error with `code: 'EADDRINUSE'` and `port` when the port is taken, or when the child dies first.
 */
export async function startEmbeddedEsdb(options: StartEmbeddedEsdbOptions = {}): Promise<EmbeddedEsdb> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 2113;
  const child = fork(path.join(__dirname, 'child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });

  const listening = await new Promise<{ host: string; port: number }>((resolve, reject) => {
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      reject(new Error(`embedded EventStoreDB process exited before listening (code ${code ?? ''}, signal ${signal ?? ''})`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.on('message', (message: unknown) => {
      if (!isChildMessage(message)) return;
      child.off('exit', onExit);
      child.off('error', reject);
      if (message.type === 'listening') resolve(message);
      else reject(Object.assign(new Error(message.message), { code: message.code, port: message.port }));
    });
    const start: ParentMessage = { type: 'start', host, port: requestedPort, dataDir: options.dataDir };
    child.send(start);
  }).catch(async (error: unknown) => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await waitForExit(child);
    throw error;
  });

  let stopping: Promise<void> | undefined;
  child.once('exit', (code, signal) => {
    // Nobody awaits the child between start and stop, so an unexpected death must at least be visible.
    if (!stopping) {
      process.stderr.write(`embedded EventStoreDB process exited unexpectedly (code ${code ?? ''}, signal ${signal ?? ''})\n`);
    }
  });
  const stop = () => {
    stopping ??= (async () => {
      const exited = waitForExit(child);
      if (child.connected) {
        const message: ParentMessage = { type: 'stop' };
        child.send(message);
      }
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      try {
        await exited;
      } finally {
        clearTimeout(killer);
      }
    })();
    return stopping;
  };

  return {
    host: listening.host,
    port: listening.port,
    connectionString: `esdb://${listening.host}:${listening.port}?tls=false`,
    pid: child.pid,
    stop,
  };
}
