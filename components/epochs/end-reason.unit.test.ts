import { describe, expect, it } from 'vitest';

import { toEndKind, toEndReasonDetail } from './end-reason';

const ended = (endReason: string) => ({ endedAt: '2026-12-04T10:00:00Z', endReason });

describe('toEndKind', () => {
  it('tells forced reconnects, demo faults, real drops, stops, the open epoch and unrecorded ends apart', () => {
    expect(toEndKind(ended('forced reconnect by admin'), true)).toBe('forced');
    expect(toEndKind(ended('connection lost: demo fault (the demo cut the connection on purpose): 14 UNAVAILABLE'), true)).toBe('demo-fault');
    expect(toEndKind(ended('connection lost: 14 UNAVAILABLE: No connection established'), true)).toBe('lost');
    expect(toEndKind(ended('dedup store unavailable: timeout'), true)).toBe('lost');
    expect(toEndKind(ended('stopped'), false)).toBe('stopped');
    expect(toEndKind({ endedAt: null, endReason: null }, false)).toBe('open');
    expect(toEndKind({ endedAt: null, endReason: null }, true)).toBe('unrecorded');
  });
});

describe('toEndReasonDetail', () => {
  it('leaves out what the kind chip already says', () => {
    expect(toEndReasonDetail('demo-fault', 'connection lost: demo fault (the demo cut the connection on purpose): UnavailableError: 14 UNAVAILABLE: read ECONNRESET')).toBe(
      'UnavailableError: 14 UNAVAILABLE: read ECONNRESET',
    );
    expect(toEndReasonDetail('lost', 'connection lost: 14 UNAVAILABLE: No connection established')).toBe('14 UNAVAILABLE: No connection established');
    expect(toEndReasonDetail('lost', 'dedup store unavailable: timeout')).toBe('dedup store unavailable: timeout');
    expect(toEndReasonDetail('forced', 'forced reconnect by admin')).toBe('by admin');
    expect(toEndReasonDetail('forced', 'forced reconnect: rebalance')).toBe('rebalance');
    expect(toEndReasonDetail('stopped', 'stopped')).toBe('');
    expect(toEndReasonDetail('open', null)).toBe('');
  });
});
