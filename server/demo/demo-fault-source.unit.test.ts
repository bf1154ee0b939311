import pino from 'pino';
import { describe, expect, it } from 'vitest';

import type { PersistentSubscriptionSource, SourceHandlers } from '../../lib/esdb/persistent-subscription-source';
import { DEMO_FAULT_PREFIX, labelDemoFaultDrops, toDemoFaultReason } from './demo-fault-source';
import { createFaultSchedule, type FaultTarget } from './fault-schedule';

/** A source whose drops the test triggers; it records nothing else. */
function droppableSource(): { source: PersistentSubscriptionSource; drop: (reason: string) => void } {
  let handlers: SourceHandlers | undefined;
  return {
    source: {
      subscribe(_target, h) {
        handlers = h;
        return { ack: () => Promise.resolve('sent'), nack: () => Promise.resolve('sent'), unsubscribe: () => Promise.resolve() };
      },
    },
    drop: (reason) => handlers?.onDropped({ reason }),
  };
}

function subscribeCollecting(source: PersistentSubscriptionSource): string[] {
  const reasons: string[] = [];
  source.subscribe(
    { stream: 's', group: 'g', bufferSize: 1 },
    { onConfirmation: () => undefined, onEvent: () => undefined, onDropped: ({ reason }) => reasons.push(reason) },
  );
  return reasons;
}

const target: FaultTarget = { pause: () => undefined, resume: () => undefined, cutAll: () => undefined };
const logger = pino({ level: 'silent' });

describe('demo fault labelling', () => {
  it('names the demo fault in the reason of a drop the fault schedule caused, keeping the client text', () => {
    const { source, drop } = droppableSource();
    const reasons = subscribeCollecting(labelDemoFaultDrops(source, () => true));
    drop('14 UNAVAILABLE: Connection dropped');
    expect(reasons).toEqual([`${DEMO_FAULT_PREFIX}: 14 UNAVAILABLE: Connection dropped`]);
    expect(toDemoFaultReason('x')).toBe('demo fault (the demo cut the connection on purpose): x');
  });

  it('passes other drops through unchanged', () => {
    const { source, drop } = droppableSource();
    const reasons = subscribeCollecting(labelDemoFaultDrops(source, () => false));
    drop('server restarted');
    expect(reasons).toEqual(['server restarted']);
  });

  it('attributes drops from the start of a hold until the grace period after its cut, and none before the first fault', () => {
    let now = 1_000_000;
    const schedule = createFaultSchedule({ proxy: target, intervalMs: 60_000, holdMs: 0, dropGraceMs: 5000, logger, now: () => now });
    expect(schedule.isFaultDrop(now)).toBe(false);
    schedule.inject();
    expect(schedule.isFaultDrop(now - 1)).toBe(false);
    expect(schedule.isFaultDrop(now)).toBe(true);
    expect(schedule.isFaultDrop(now + 5000)).toBe(true);
    expect(schedule.isFaultDrop(now + 5001)).toBe(false);
    now += 60_000;
    expect(schedule.isFaultDrop(now)).toBe(false);
    schedule.stop();
  });
});
