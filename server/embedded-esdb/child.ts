/**
 * Child-process entry of the embedded server (forked by `startEmbeddedEsdb`), so the gRPC server
 * never shares the dashboard's event loop. Lifecycle: parent sends 'start' → child answers
 * 'listening' or 'failed'; the child exits on 'stop' or as soon as the IPC channel disconnects
 * (parent exited or crashed), so it can never outlive the dashboard.
 */
import { isParentMessage, type ChildMessage } from './child-protocol';
import { createEsdbServer, type EsdbServer } from './create-esdb-server';

let server: EsdbServer | undefined;
let exiting = false;

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function exit(code: number): Promise<void> {
  if (exiting) return;
  exiting = true;
  try {
    await server?.stop();
  } catch (error) {
    process.stderr.write(`embedded-esdb: error while stopping: ${String(error)}\n`);
  }
  process.exit(code);
}

async function start(host: string, port: number, dataDir: string | undefined): Promise<void> {
  try {
    server = await createEsdbServer({ host, port, dataDir });
    send({ type: 'listening', host: server.host, port: server.port });
  } catch (error) {
    const err = error as Error & { code?: string };
    send({ type: 'failed', message: err.message, code: err.code, port });
    await exit(1);
  }
}

if (!process.send) {
  process.stderr.write('embedded-esdb/child.ts must be started with child_process.fork (it needs an IPC channel).\n');
  process.exit(1);
}

process.on('message', (message: unknown) => {
  if (!isParentMessage(message)) return;
  if (message.type === 'start') void start(message.host, message.port, message.dataDir);
  else void exit(0);
});
process.on('disconnect', () => void exit(0));
// The parent owns shutdown; a terminal Ctrl+C reaches the whole process group, so leave it to the parent's 'stop'.
process.on('SIGINT', () => undefined);
