import type { LiveSample } from './live-history';

export interface ThroughputPoint {
  /** End of the interval, ms since epoch. */
  t: number;
  /** Per second over the interval since the previous sample; null when not proxied. */
  received: number | null;
  delivered: number | null;
  duplicates: number | null;
}

/**
 * Per-second delta of a cumulative counter. A counter that went down was reset (a new subwatch
 * process starts from 0): what it counts now all happened since the reset, inside the interval.
 */
function perSecond(prev: number | null, curr: number | null, seconds: number): number | null {
  if (prev === null || curr === null) return null;
  const delta = curr >= prev ? curr - prev : curr;
  return Math.round((delta / seconds) * 100) / 100;
}

/** Received / delivered / duplicates suppressed per second, from successive snapshot counters. */
export function toThroughputSeries(samples: readonly LiveSample[]): ThroughputPoint[] {
  const out: ThroughputPoint[] = [];
  for (let i = 1; i < samples.length; i++) {
    const prev = samples[i - 1]!;
    const curr = samples[i]!;
    const seconds = (curr.t - prev.t) / 1000;
    if (!(seconds > 0)) continue;
    out.push({
      t: curr.t,
      received: perSecond(prev.received, curr.received, seconds),
      delivered: perSecond(prev.delivered, curr.delivered, seconds),
      duplicates: perSecond(prev.duplicatesSuppressed, curr.duplicatesSuppressed, seconds),
    });
  }
  return out;
}

export interface BacklogPoint {
  t: number;
  uncheckpointed: number | null;
  parked: number;
}

/** Uncheckpointed (events after the last checkpoint) and parked over time. */
export function toBacklogSeries(samples: readonly LiveSample[]): BacklogPoint[] {
  return samples.map((p) => ({ t: p.t, uncheckpointed: p.behind, parked: p.parked }));
}

export interface BufferPoint {
  t: number;
  inFlight: number;
  bufferSize: number;
}

/** In-flight messages against the consumers' total buffer. */
export function toBufferSeries(samples: readonly LiveSample[]): BufferPoint[] {
  return samples.map((p) => ({ t: p.t, inFlight: p.inFlight, bufferSize: p.bufferSize }));
}
