/**
 * Realistic order-lifecycle events for the demo producer: each order goes through
 * OrderPlaced → PaymentCaptured → OrderShipped (sometimes OrderCancelled), sharing a correlation id.
 */
import { randomUUID } from 'node:crypto';

export interface DemoEvent {
  type: string;
  data: Record<string, unknown>;
  metadata: { $correlationId: string; $causationId: string; source: string };
}

const SKUS = ['SKU-COFFEE-1KG', 'SKU-GRINDER-X2', 'SKU-FILTER-100', 'SKU-MUG-BLUE', 'SKU-KETTLE-PRO'];
const COUNTRIES = ['DE', 'FR', 'NL', 'SE', 'US', 'GB', 'ES'];

/**
 * Customer notes typed into a shop form. The hostile one (markup and a script end tag) shows that
 * the dashboard renders event data as text; it comes first, so a fresh demo has it within seconds.
 */
export const HOSTILE_NOTE = 'Ring twice <img src=x onerror=alert(1)> </script><script>alert(2)</script>';
const NOTES = [HOSTILE_NOTE, 'Please leave at the door', 'Gift wrap, no invoice in the box', 'Call before delivery'];
/** Every NOTE_EVERY-th order carries a note (orders 1, 1 + NOTE_EVERY, …). */
const NOTE_EVERY = 6;

interface OpenOrder {
  orderId: string;
  correlationId: string;
  lastEventId: string;
  step: 'placed' | 'paid';
  amountCents: number;
  currency: string;
}

/** A stateful generator: interleaves several open orders so streams look like real traffic. */
export function createOrderEventGenerator(random: () => number = Math.random) {
  const open: OpenOrder[] = [];
  let sequence = 10_000;

  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

  function place(): { event: DemoEvent; eventId: string } {
    const orderId = `ord-${++sequence}`;
    const correlationId = randomUUID();
    const eventId = randomUUID();
    const lines = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
      sku: pick(SKUS),
      quantity: 1 + Math.floor(random() * 4),
      unitPriceCents: 500 + Math.floor(random() * 9500),
    }));
    const amountCents = lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);
    const currency = 'EUR';
    const placed = sequence - 10_000;
    const note = (placed - 1) % NOTE_EVERY === 0 ? NOTES[((placed - 1) / NOTE_EVERY) % NOTES.length] : undefined;
    open.push({ orderId, correlationId, lastEventId: eventId, step: 'placed', amountCents, currency });
    return {
      eventId,
      event: {
        type: 'OrderPlaced',
        data: {
          orderId,
          customerId: `cus-${Math.floor(random() * 5000)}`,
          lines,
          amountCents,
          currency,
          shipTo: pick(COUNTRIES),
          ...(note === undefined ? {} : { note }),
        },
        metadata: { $correlationId: correlationId, $causationId: correlationId, source: 'demo-shop' },
      },
    };
  }

  function advance(order: OpenOrder): { event: DemoEvent; eventId: string } {
    const eventId = randomUUID();
    const metadata = { $correlationId: order.correlationId, $causationId: order.lastEventId, source: 'demo-shop' };
    order.lastEventId = eventId;
    if (order.step === 'placed') {
      if (random() < 0.05) {
        open.splice(open.indexOf(order), 1);
        return { eventId, event: { type: 'OrderCancelled', data: { orderId: order.orderId, reason: 'customer request' }, metadata } };
      }
      order.step = 'paid';
      return {
        eventId,
        event: {
          type: 'PaymentCaptured',
          data: { orderId: order.orderId, amountCents: order.amountCents, currency: order.currency, paymentId: `pay-${randomUUID().slice(0, 8)}` },
          metadata,
        },
      };
    }
    open.splice(open.indexOf(order), 1);
    return {
      eventId,
      event: { type: 'OrderShipped', data: { orderId: order.orderId, carrier: pick(['DHL', 'UPS', 'PostNL']), trackingNo: `TRK${Math.floor(random() * 1e9)}` }, metadata },
    };
  }

  return {
    next(): { event: DemoEvent; eventId: string } {
      if (open.length === 0 || (open.length < 8 && random() < 0.4)) return place();
      return advance(pick(open));
    },
  };
}
