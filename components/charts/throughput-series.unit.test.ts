import { describe, expect, it } from 'vitest';

import { sample } from './test-samples';
import { toBacklogSeries, toBufferSeries, toThroughputSeries } from './throughput-series';

describe('toThroughputSeries', () => {
  it('derives per-second rates from successive counters', () => {
    const series = toThroughputSeries([
      sample(0, { received: 100, delivered: 90, duplicatesSuppressed: 10 }),
      sample(1, { received: 150, delivered: 130, duplicatesSuppressed: 20 }),
      sample(3, { received: 250, delivered: 230, duplicatesSuppressed: 20 }),
    ]);
    expect(series).toEqual([
      { t: 1000, received: 50, delivered: 40, duplicates: 10 },
      { t: 3000, received: 50, delivered: 50, duplicates: 0 },
    ]);
  });

  it('never goes negative when the counters reset (a new subwatch process starts from 0)', () => {
    const series = toThroughputSeries([
      sample(0, { received: 1000, delivered: 990, duplicatesSuppressed: 10 }),
      sample(2, { received: 8, delivered: 6, duplicatesSuppressed: 2 }),
      sample(3, { received: 18, delivered: 16, duplicatesSuppressed: 2 }),
    ]);
    expect(series).toEqual([
      { t: 2000, received: 4, delivered: 3, duplicates: 1 },
      { t: 3000, received: 10, delivered: 10, duplicates: 0 },
    ]);
    for (const p of series) for (const v of [p.received, p.delivered, p.duplicates]) expect(v).toBeGreaterThanOrEqual(0);
  });

  it('gives null rates for a group that is not proxied and skips samples with no time between them', () => {
    const none = { received: null, delivered: null, duplicatesSuppressed: null };
    expect(toThroughputSeries([sample(0, none), sample(1, none)])).toEqual([{ t: 1000, received: null, delivered: null, duplicates: null }]);
    expect(toThroughputSeries([sample(1), sample(1)])).toEqual([]);
    expect(toThroughputSeries([sample(1)])).toEqual([]);
  });

  it('gives null, not a spike, while the proxy counters are missing on one side', () => {
    const series = toThroughputSeries([sample(0, { received: null }), sample(1, { received: 500 }), sample(2, { received: 510 })]);
    expect(series.map((p) => p.received)).toEqual([null, 10]);
  });
});

describe('toBacklogSeries / toBufferSeries', () => {
  it('maps samples one to one', () => {
    const samples = [sample(0, { behind: 3, parked: 1, inFlight: 4, bufferSize: 20 }), sample(1, { behind: null, parked: 2 })];
    expect(toBacklogSeries(samples)).toEqual([
      { t: 0, uncheckpointed: 3, parked: 1 },
      { t: 1000, uncheckpointed: null, parked: 2 },
    ]);
    expect(toBufferSeries(samples)[0]).toEqual({ t: 0, inFlight: 4, bufferSize: 20 });
  });
});
