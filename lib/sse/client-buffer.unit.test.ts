import { describe, expect, it } from 'vitest';

import { createClientBuffer } from './client-buffer';
import type { SseFrame } from './encode-event';

const snapshot = (n: number): SseFrame => ({ kind: 'event', event: 'snapshot', data: n });
const epoch = (n: number): SseFrame => ({ kind: 'event', event: 'epoch', data: n });

describe('createClientBuffer', () => {
  it('keeps only the latest pending snapshot for a client that does not read', () => {
    const buffer = createClientBuffer({ latestOnly: ['snapshot'], maxQueued: 10 });
    for (let i = 1; i <= 1000; i++) buffer.push(snapshot(i));
    expect(buffer.drain()).toEqual([snapshot(1000)]);
    expect(buffer.dropped).toBe(999);
  });

  it('queues other events in order and drops the oldest beyond maxQueued', () => {
    const buffer = createClientBuffer({ latestOnly: ['snapshot'], maxQueued: 3 });
    for (let i = 1; i <= 5; i++) buffer.push(epoch(i));
    expect(buffer.drain()).toEqual([epoch(3), epoch(4), epoch(5)]);
    expect(buffer.dropped).toBe(2);
    expect(buffer.size).toBe(0);
  });

  it('moves a replaced snapshot behind the events pushed before it', () => {
    const buffer = createClientBuffer({ latestOnly: ['snapshot'], maxQueued: 10 });
    buffer.push(snapshot(1));
    buffer.push(epoch(1));
    buffer.push(snapshot(2));
    expect(buffer.drain()).toEqual([epoch(1), snapshot(2)]);
  });

  it('coalesces pending heartbeat comments', () => {
    const buffer = createClientBuffer({ latestOnly: [], maxQueued: 10 });
    buffer.push({ kind: 'comment', text: 'ping' });
    buffer.push({ kind: 'comment', text: 'ping' });
    expect(buffer.size).toBe(1);
  });

  it('fails fast on a non-positive bound', () => {
    expect(() => createClientBuffer({ latestOnly: [], maxQueued: 0 })).toThrow(/maxQueued/);
  });
});
