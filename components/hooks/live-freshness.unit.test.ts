import { describe, expect, it } from 'vitest';

import { STALE_AFTER_MS, toLiveFreshness } from './live-freshness';

const now = Date.parse('2026-12-04T10:00:10Z');

describe('toLiveFreshness', () => {
  it('is stale while the live stream is disconnected and reconnecting', () => {
    expect(toLiveFreshness({ state: 'reconnecting', lastSnapshotAt: '2026-12-04T10:00:09Z' }, now)).toEqual({ stale: true, reason: 'disconnected' });
    expect(toLiveFreshness({ state: 'reconnecting', lastSnapshotAt: null }, now)).toEqual({ stale: true, reason: 'disconnected' });
  });

  it('is stale when the stream is open but no snapshot came for more than five seconds', () => {
    expect(STALE_AFTER_MS).toBe(5000);
    expect(toLiveFreshness({ state: 'open', lastSnapshotAt: '2026-12-04T10:00:04.999Z' }, now)).toEqual({ stale: true, reason: 'no-snapshots' });
    expect(toLiveFreshness({ state: 'open', lastSnapshotAt: '2026-12-04T10:00:05Z' }, now)).toEqual({ stale: false, reason: null });
  });

  it('is fresh while snapshots arrive, before the first one, and when the stream is off', () => {
    expect(toLiveFreshness({ state: 'open', lastSnapshotAt: '2026-12-04T10:00:09Z' }, now).stale).toBe(false);
    expect(toLiveFreshness({ state: 'open', lastSnapshotAt: null }, now).stale).toBe(false);
    expect(toLiveFreshness({ state: 'connecting', lastSnapshotAt: null }, now).stale).toBe(false);
    expect(toLiveFreshness({ state: 'idle', lastSnapshotAt: '2026-12-04T09:00:00Z' }, now).stale).toBe(false);
  });
});
