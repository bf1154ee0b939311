/**
 * Appends order events to the demo stream at a steady rate (default ~20/s, in small batches).
 * Append failures (server restarting, network) are logged once per outage and retried next tick.
 */
import { jsonEvent, type EventStoreDBClient } from '@eventstore/db-client';
import type { Logger } from 'pino';
import { createOrderEventGenerator } from './order-events';

export interface DemoProducer {
  start(): void;
  stop(): Promise<void>;
  appended(): number;
}

export function createDemoProducer(options: {
  client: EventStoreDBClient;
  stream: string;
  logger: Logger;
  eventsPerSecond?: number;
}): DemoProducer {
  const { client, stream, logger } = options;
  const perSecond = options.eventsPerSecond ?? 20;
  const tickMs = 250;
  const generator = createOrderEventGenerator();
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let appended = 0;
  let carry = 0;
  let failing = false;

  async function appendBatch(): Promise<void> {
    carry += (perSecond * tickMs) / 1000;
    const count = Math.floor(carry);
    carry -= count;
    if (count === 0) return;
    const events = Array.from({ length: count }, () => {
      const { event, eventId } = generator.next();
      return jsonEvent({ id: eventId, type: event.type, data: event.data, metadata: event.metadata });
    });
    try {
      await client.appendToStream(stream, events);
      appended += events.length;
      if (failing) logger.info({ stream }, 'demo producer: appends succeed again');
      failing = false;
    } catch (error) {
      if (!failing) logger.warn({ err: error, stream }, 'demo producer: append failed; retrying every tick');
      failing = true;
    }
  }

  return {
    start() {
      if (timer) return;
      timer = setInterval(() => {
        inFlight = inFlight.then(appendBatch);
      }, tickMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await inFlight;
    },
    appended: () => appended,
  };
}
