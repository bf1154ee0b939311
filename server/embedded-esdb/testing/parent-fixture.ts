/**
 * A stand-in dashboard process for the "child exits when its parent dies" test: starts the
 * embedded server, prints `{ port, pid }` as one JSON line, then idles until it is killed.
 */
import { startEmbeddedEsdb } from '../index';

startEmbeddedEsdb({ port: 0 }).then(
  (server) => {
    process.stdout.write(`${JSON.stringify({ port: server.port, pid: server.pid })}\n`);
    setInterval(() => undefined, 60_000);
  },
  (error: unknown) => {
    process.stderr.write(`parent-fixture: ${String(error)}\n`);
    process.exit(1);
  },
);
