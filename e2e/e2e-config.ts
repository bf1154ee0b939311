import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { DEMO_STREAM, E2E_SINK_PORT, HELD_GROUP, REJECTED_GROUP } from './env';

/**
 * The subwatch.config.json of the e2e server, next to the demo: two proxied groups whose
 * downstream (e2e/sink-receiver.ts) keeps failing.
 * - `e2e-held` on the demo stream: the sink answers 503, subwatch retries without end (the
 *   server's retry limit is set out of reach), so its subscriber always holds deliveries — what
 *   an operator parks by hand.
 * - `e2e-rejected` on `$all`, only OrderCancelled events: the sink answers 400, every one is
 *   parked, so the group's parked count grows (degraded).
 */
export function writeE2eConfig(dir: string): string {
  const file = path.join(dir, 'subwatch.e2e.config.json');
  if (existsSync(file)) return file;
  const sink = (route: string) => ({ type: 'webhook', url: `http://127.0.0.1:${E2E_SINK_PORT}/${route}`, timeoutMs: 2000 });
  const config = {
    proxies: [
      {
        stream: DEMO_STREAM,
        group: HELD_GROUP,
        createIfMissing: { startFrom: 'end', maxRetryCount: 1_000_000, messageTimeout: '10m' },
        bufferSize: 1,
        sink: sink('held'),
      },
      {
        stream: '$all',
        group: REJECTED_GROUP,
        filter: { on: 'eventType', prefixes: ['OrderCancelled'] },
        createIfMissing: { startFrom: 'end' },
        sink: sink('reject'),
      },
    ],
  };
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}
