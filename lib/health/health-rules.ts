/**
 * Health rules of DESIGN.md §10, as a pure function of a short observation history.
 * The monitor records one Observation per poll (about 1 s apart) and keeps the last 5 minutes.
 */
import type { HealthLevel, SubscriberState } from '../api/schemas';

export interface Observation {
  /** Milliseconds since the Unix epoch. */
  at: number;
  lastKnown: bigint | null;
  lastCheckpointed: bigint | null;
  behind: number | null;
  parked: number;
  /** Every connection has 0 available slots (in-flight = buffer). */
  slotsFull: boolean;
  ratePerSecond: number;
  connections: number;
}

export interface SubscriberObservation {
  state: SubscriberState;
  /** When the subscriber last left the `live` state (null while live). */
  notLiveSince: number | null;
  /** Deliveries in the current epoch (sink succeeded). */
  delivered: number;
  retried: number;
  duplicatesSuppressed: number;
  /** Events the server would redeliver at reconnect (lastKnown − lastCheckpointed), when known. */
  checkpointGapAtReconnect: number | null;
}

export interface HealthInput {
  now: number;
  /** Oldest first; the last element is the current poll. */
  history: readonly Observation[];
  subscriber?: SubscriberObservation;
}

export const HEALTH_WINDOW_MS = 5 * 60_000;
const NOT_LIVE_FAILING_MS = 30_000;
const STALL_WINDOW_MS = 10_000;
const BEHIND_GROWING_MS = 60_000;
const CONNECTION_MISMATCH_MS = 5_000;
const RETRY_RATIO = 0.1;
const RETRY_MIN_SAMPLE = 20;

export function evaluateHealth(input: HealthInput): { level: HealthLevel; reasons: string[] } {
  const failing: string[] = [];
  const degraded: string[] = [];
  const { now, history, subscriber } = input;
  const current = history.at(-1);

  if (subscriber && subscriber.state !== 'live' && subscriber.notLiveSince !== null) {
    const seconds = Math.floor((now - subscriber.notLiveSince) / 1000);
    if (now - subscriber.notLiveSince > NOT_LIVE_FAILING_MS) {
      failing.push(`Subscriber not live for ${seconds} s (state: ${subscriber.state})`);
    }
  }

  if (current) {
    if (isStalled(history, now)) {
      failing.push('Stalled: every consumer slot is full, nothing delivered, while new events arrive');
    }
    const previous = history.at(-2);
    if (
      previous?.lastCheckpointed != null &&
      current.lastCheckpointed != null &&
      current.lastCheckpointed < previous.lastCheckpointed
    ) {
      failing.push(`Checkpoint moved backwards (${previous.lastCheckpointed} → ${current.lastCheckpointed})`);
    }
    if (current.lastCheckpointed != null && current.lastKnown != null && current.lastCheckpointed > current.lastKnown) {
      failing.push(`Checkpoint ${current.lastCheckpointed} is beyond the last known event ${current.lastKnown}`);
    }

    const parkedGrowth = growthWithin(history, now - HEALTH_WINDOW_MS, (o) => o.parked);
    if (parkedGrowth > 0) degraded.push(`Parked messages grew by ${parkedGrowth} in the last 5 min`);

    if (isBehindGrowing(history, now)) degraded.push('Behind has been growing for over 60 s');

    if (subscriber && connectionMismatchPersists(history, subscriber, now)) {
      const expected = subscriber.state === 'live' ? 1 : 0;
      degraded.push(`Server reports ${current.connections} connection(s), expected ${expected} from this subscriber`);
    }
  }

  if (subscriber) {
    if (
      subscriber.checkpointGapAtReconnect !== null &&
      subscriber.duplicatesSuppressed > subscriber.checkpointGapAtReconnect
    ) {
      degraded.push(
        `Duplicates suppressed this epoch (${subscriber.duplicatesSuppressed}) exceed the checkpoint gap at reconnect (${subscriber.checkpointGapAtReconnect}): checkpoints may not be written`,
      );
    }
    const attempts = subscriber.delivered + subscriber.retried;
    if (attempts >= RETRY_MIN_SAMPLE && subscriber.retried > RETRY_RATIO * subscriber.delivered) {
      const pct = subscriber.delivered === 0 ? 100 : Math.round((subscriber.retried / subscriber.delivered) * 100);
      degraded.push(`Retries are ${pct}% of deliveries this epoch (over 10%)`);
    }
  }

  if (failing.length > 0) return { level: 'failing', reasons: [...failing, ...degraded] };
  if (degraded.length > 0) return { level: 'degraded', reasons: degraded };
  return { level: 'healthy', reasons: [] };
}

function windowFrom(history: readonly Observation[], since: number): Observation[] {
  return history.filter((o) => o.at >= since);
}

/** Sum of increases between consecutive observations since `since` (decreases, e.g. a replay, are ignored). */
function growthWithin(history: readonly Observation[], since: number, value: (o: Observation) => number): number {
  const w = windowFrom(history, since);
  let growth = 0;
  for (let i = 1; i < w.length; i++) {
    const d = value(w[i]!) - value(w[i - 1]!);
    if (d > 0) growth += d;
  }
  return growth;
}

function covers(w: readonly Observation[], since: number, span: number): boolean {
  const first = w[0];
  const last = w.at(-1);
  return first !== undefined && last !== undefined && first.at <= since + 1500 && last.at - first.at >= span - 1500;
}

function isStalled(history: readonly Observation[], now: number): boolean {
  const since = now - STALL_WINDOW_MS;
  const w = windowFrom(history, since);
  if (!covers(w, since, STALL_WINDOW_MS)) return false;
  if (!w.every((o) => o.connections > 0 && o.slotsFull && o.ratePerSecond === 0)) return false;
  const first = w[0]!.lastKnown;
  const last = w.at(-1)!.lastKnown;
  return last !== null && (first === null || last > first);
}

function isBehindGrowing(history: readonly Observation[], now: number): boolean {
  const since = now - BEHIND_GROWING_MS;
  const w = windowFrom(history, since);
  if (!covers(w, since, BEHIND_GROWING_MS)) return false;
  for (let i = 1; i < w.length; i++) {
    const prev = w[i - 1]!.behind;
    const cur = w[i]!.behind;
    if (prev === null || cur === null || cur < prev) return false;
  }
  return (w.at(-1)!.behind ?? 0) > (w[0]!.behind ?? 0);
}

function connectionMismatchPersists(
  history: readonly Observation[],
  subscriber: SubscriberObservation,
  now: number,
): boolean {
  if (subscriber.state !== 'live') return false;
  const since = now - CONNECTION_MISMATCH_MS;
  const w = windowFrom(history, since);
  if (!covers(w, since, CONNECTION_MISMATCH_MS)) return false;
  return w.every((o) => o.connections !== 1);
}
