/**
 * The downstream services of the e2e config file (e2e/e2e-config.ts), as a small HTTP server
 * Playwright starts before subwatch: `/held` always answers 503 with a hostile-looking body
 * (subwatch keeps retrying, so it holds the delivery and lists the body as its failure reason), `/reject` always answers 400 (subwatch parks the event). Every POST's
 * event id is recorded; `GET /received/<path>` lists them, newest first, for the specs.
 *
 * Run: node --import tsx e2e/sink-receiver.ts (port from E2E_SINK_PORT).
 */
import { createServer } from 'node:http';

import { E2E_SINK_PORT, HELD_FAILURE_BODY, REJECT_BODY } from './env';

const received = new Map<string, string[]>([
  ['held', []],
  ['reject', []],
]);
const KEEP = 200;

const server = createServer((request, response) => {
  const path = (request.url ?? '/').split('?')[0]!;
  if (request.method === 'GET' && path === '/healthz') {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  const listed = /^\/received\/(held|reject)$/.exec(path);
  if (request.method === 'GET' && listed) {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ eventIds: received.get(listed[1]!) }));
    return;
  }
  const target = /^\/(held|reject)$/.exec(path);
  if (request.method !== 'POST' || !target) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    let eventId: unknown;
    try {
      eventId = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { eventId?: unknown }).eventId;
    } catch {
      // Not JSON: nothing to record; the status below is the same for every request.
    }
    if (typeof eventId === 'string') {
      const list = received.get(target[1]!)!;
      list.unshift(eventId);
      list.length = Math.min(list.length, KEEP);
    }
    if (target[1] === 'held') response.writeHead(503, { 'content-type': 'text/plain' }).end(HELD_FAILURE_BODY);
    else response.writeHead(400, { 'content-type': 'text/plain' }).end(REJECT_BODY);
  });
});

server.listen(E2E_SINK_PORT, '127.0.0.1', () => {
  console.log(`e2e sink receiver on http://127.0.0.1:${E2E_SINK_PORT}`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.close(() => process.exit(0)));
