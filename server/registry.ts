/**
 * The one server/ module that app/ may import. App Router bundles do not share module instances
 * with the custom server, so the runtime is published on globalThis under a registered symbol.
 */
import type { SubwatchService } from '../lib/api/service';

const KEY = Symbol.for('subwatch.runtime');

type Holder = { [KEY]?: SubwatchService };

export function publishRuntime(service: SubwatchService | undefined): void {
  (globalThis as Holder)[KEY] = service;
}

/** @throws Error with a fix hint when called outside the subwatch custom server. */
export function getRuntime(): SubwatchService {
  const service = (globalThis as Holder)[KEY];
  if (!service) {
    throw new Error(
      'subwatch runtime is not running in this process: start the app with `npm start` (server/main.ts), not `next start`.',
    );
  }
  return service;
}
