/**
 * Deduplicating subscriber: one persistent-subscription consumer that suppresses redeliveries of
 * events it already processed, delivers new events to a sink, acks/nacks, reconnects on every
 * drop, and counts everything per epoch (DESIGN.md §6).
 *
 * INVARIANT (ack): a delivery is acked only after the sink succeeded for its dedup key *and*
 * `store.complete` for that key resolved (durably done) — or, for a duplicate, when the key was
 * already durably done. Every other outcome nacks (`retry` or `park`) or sends nothing. A parked
 * key is released, never recorded done, so a later replay reaches the sink.
 *
 * INVARIANT (epochs): an epoch is opened in the store when the server confirms a connection and
 * before any event of that connection is handled; it is closed (endedAt, endReason, counters)
 * when that connection ends. Epoch numbers come from the store (monotonic across restarts).
 * Late outcomes of events received on an ended connection still count in *their* epoch.
 *
 * Concurrency: deliveries are handled concurrently (the server caps them at `bufferSize` per
 * connection). A redelivery of a key that is still in this process's sink waits for the first
 * copy: done → acked as duplicate; not done → claims again.
 *
 * Timing: reconnects use capped exponential backoff, reset when a connection is confirmed.
 * `stop()` stops taking events, waits (up to `stopTimeoutMs`) for in-flight sink calls, sends
 * their acks, then cancels the connection and closes the epoch as "stopped".
 */
import type { EventStoreDBClient } from '@eventstore/db-client';
import type { Logger } from 'pino';
import type { DuplicatesByCause, Epoch, EpochRecord, HeldResponse, SubscriberState, SubscriberSummary } from '../api/schemas';
import { copyCounters, type ClaimResult, type DedupStore, type EpochCounters } from '../dedup/dedup-store';
import { createCheckpointGapReader } from '../esdb/checkpoint-gap';
import { createEsdbSubscriptionSource, describeError } from '../esdb/esdb-subscription-source';
import type {
  PersistentSubscriptionSource,
  SourceEvent,
  SourceSubscription,
} from '../esdb/persistent-subscription-source';
import {
  DEFAULT_MAX_CLAIM_WAIT_MS,
  toAckDecision,
  type AckDecision,
  type AckDecisionContext,
  type DeliveryOutcome,
  type HandlingOutcome,
} from './ack-decision';
import { createBackoff, type BackoffOptions } from './backoff';
import { originalRecord, toDedupKey, type DedupKeySpec } from './dedup-key';
import {
  classifyConnectionFailure,
  describeConnectionFailure,
  type ConnectionFailureKind,
} from './connection-failure';
import { classifyDuplicate, type DuplicateCause, type DuplicateFacts } from './duplicate-cause';
import { countDuplicate, countEpoch, createEpochState, setCheckpointGap, toEpoch, type EpochState } from './epoch';
import type { Delivery, Sink, SinkResult } from './sink';
import { delay, withDeadline } from './timers';
import { createRetryMemory, toHeldDeliveries, type HeldCopy } from './held-deliveries';

export interface ReceivedInfo {
  key: string;
  eventId: string;
  retryCount: number;
  epoch: number;
  outcome: DeliveryOutcome;
  /** Set when outcome is `duplicate`: the likely cause (duplicate-cause.ts). */
  cause?: DuplicateCause;
}

interface CommonOptions {
  stream: string;
  group: string;
  /** Max unacked in-flight messages per connection. Default 10. */
  bufferSize?: number;
  store: DedupStore;
  sink: Sink;
  logger: Logger;
  /** Reconnect backoff. Default 250 ms doubling to 10 s, 20 % jitter. */
  backoff?: BackoffOptions;
  /** Delay before a nack retry, by retryCount. Default 100 ms doubling to 2 s. */
  retryBackoff?: BackoffOptions;
  /**
   * How long a delivery whose key another instance holds waits (checking the claim again) before
   * it is nacked `retry`. Default 5000 ms.
   */
  maxClaimWaitMs?: number;
  /** Default `eventId` (original event id). */
  dedupKey?: DedupKeySpec;
  now?: () => Date;
  /** How long stop() waits for in-flight sink calls before cancelling anyway. Default 10_000 ms. */
  stopTimeoutMs?: number;
  /** How often counters of changed epochs are written to the store. Default 1000 ms. */
  epochFlushMs?: number;
  /** Called when an epoch opens and when it closes (after the store write). */
  onEpoch?: (epoch: Epoch) => void;
  /** Called once per received delivery, after its ack/nack was sent (tests, metrics). */
  onReceived?: (info: ReceivedInfo) => void;
  /** Random source for backoff jitter. */
  random?: () => number;
  /**
   * Reads the group's "behind checkpoint" gap (events after its last checkpoint, GetInfo) when a
   * connection is confirmed; recorded as the epoch's `checkpointGap`. Default with `client`: read
   * through the client; with `source`: none (gap stays null). Failures leave the gap null.
   */
  getCheckpointGap?: () => Promise<number | null>;
  /** How many keys' last-seen epoch are remembered for cause tagging. Default 100_000. */
  causeMemory?: number;
}

/** Why the subscriber is not live (state `backoff`/`connecting` after a drop); see getFailure(). */
export interface SubscriberFailure {
  kind: ConnectionFailureKind;
  /** The latest drop reason (client error text). */
  reason: string;
  /** When this kind of failure started (ISO-8601). */
  since: string;
  /** Failed connections (drops or refused subscribes) of this kind in a row. */
  attempts: number;
  /** The backoff delay before the latest reconnect attempt; 0 before the first one. */
  lastDelayMs: number;
}

export type DeduplicatingSubscriberOptions = CommonOptions &
  (
    | { client: EventStoreDBClient; source?: never }
    /** Any PersistentSubscriptionSource (tests use an in-memory fake). */
    | { source: PersistentSubscriptionSource; client?: never }
  );

export interface DeduplicatingSubscriber {
  /** `"<stream>::<group>"`, the scope used in the dedup store. */
  readonly scope: string;
  /** Starts connecting. Calling it twice, or after stop(), throws. */
  start(): void;
  /** Idempotent: the same promise every time. Drains in-flight sink calls and their acks. */
  stop(): Promise<void>;
  /** Cancels the current connection (its epoch ends with the reason) and resubscribes at once. */
  reconnect(reason: string): void;
  /**
   * Counters (and `duplicatesByCause`) are totals since start() of this object; `epoch` is the
   * current/last epoch number; `failure` is getFailure() without its backoff details.
   */
  getSummary(): SubscriberSummary;
  /** The current epoch (open) or the last one; null before the first connection was confirmed. */
  getCurrentEpoch(): EpochRecord | null;
  listEpochs(limit: number): Promise<EpochRecord[]>;
  /**
   * Operator park (DESIGN.md §7 `POST …/park`) of a delivery this subscriber holds right now.
   * A delivery waiting for its retry is nacked `park` at once; one inside the sink call is parked
   * when the sink does not succeed. An event nacked `retry` in the last 5 s whose redelivery has
   * not arrived yet (listed by listHeld()) is parked when it arrives. Resolves true once the nack
   * park was sent; false when no delivery of `eventId` is in flight here (or its redelivery does
   * not come within 5 s) or it was delivered (sink succeeded) first.
   */
  park(eventId: string, reason: string): Promise<boolean>;
  /**
   * The deliveries held right now (received, not yet acked or nacked: claiming the key, in the
   * sink, or waiting for a retry — including an event nacked `retry` in the last 5 s whose
   * redelivery has not arrived yet), oldest first, at most `limit` (default 100); `total` counts
   * all. A cheap in-memory read; what park() can act on.
   */
  listHeld(limit?: number): HeldResponse;
  isRunning(): boolean;
  /** The current failure while not live after a drop; null while live, stopped or never failed. */
  getFailure(): SubscriberFailure | null;
}

interface Connection {
  readonly id: number;
  sub: SourceSubscription | undefined;
  /** Set once the server confirmed; resolves to undefined when the epoch could not be opened. */
  epoch: Promise<EpochState | undefined> | undefined;
  ended: boolean;
  closing: Promise<void> | undefined;
}

type Lifecycle = 'idle' | 'running' | 'stopping' | 'stopped';

/** One delivery being handled here, addressable by the operator's park action. */
interface Tracked {
  readonly eventId: string;
  /** Set by park(); resolved with true once the nack park was sent, false otherwise. */
  parkRequest: { reason: string; resolve: (parked: boolean) => void } | undefined;
  /** Aborted by park() to cut a retry delay short. */
  readonly wake: AbortController;
  /** What listHeld() shows of it (the key is derived when listed). */
  readonly held: Omit<HeldCopy, 'key'> & { readonly event: SourceEvent };
}

/** Everything settle() needs to answer one delivery. */
interface DeliveryContext {
  conn: Connection;
  epoch: EpochState;
  event: SourceEvent;
  eventId: string;
  key: string;
  tracked: Tracked;
  /**
   * What the cause is judged from if this delivery turns out to be a duplicate (judged when it is
   * answered: by then its connection may have ended); null = `other`.
   */
  causeFacts: DuplicateFacts | null;
}

/**
 * Creates the subscriber of one group (`stream` may be `$all`); `start()` connects. The group must
 * exist: while it is missing the subscriber retries with backoff (state `backoff`).
 * @throws Error listing every misuse (empty stream/group, neither client nor source, bad bufferSize).
 */
export function createDeduplicatingSubscriber(options: DeduplicatingSubscriberOptions): DeduplicatingSubscriber {
  const problems: string[] = [];
  if (!options.stream) problems.push('stream must not be empty');
  if (!options.group) problems.push('group must not be empty');
  if (!options.client && !options.source) problems.push('pass either `client` (EventStoreDBClient) or `source`');
  const bufferSize = options.bufferSize ?? 10;
  if (!Number.isInteger(bufferSize) || bufferSize < 1) problems.push('bufferSize must be an integer ≥ 1');
  if (problems.length > 0) throw new Error(`createDeduplicatingSubscriber: ${problems.join('; ')}`);

  const { stream, group, store, sink, onEpoch, onReceived } = options;
  const scope = `${stream}::${group}`;
  const source = options.source ?? createEsdbSubscriptionSource(options.client);
  const getCheckpointGap =
    options.getCheckpointGap ?? (options.client ? createCheckpointGapReader(options.client, stream, group) : undefined);
  const causeMemory = options.causeMemory ?? 100_000;
  const now = options.now ?? (() => new Date());
  const dedupKey = options.dedupKey ?? 'eventId';
  /** Duplicate-cause rule 4: an identity key, not a business key. */
  const keyIdentifiesEvent = dedupKey === 'eventId' || dedupKey === 'streamRevision';
  const logger = options.logger.child({ scope });
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  const maxClaimWaitMs = options.maxClaimWaitMs ?? DEFAULT_MAX_CLAIM_WAIT_MS;
  const reconnectBackoff = createBackoff(options.backoff ?? { initialMs: 250, maxMs: 10_000 }, options.random);

  let lifecycle: Lifecycle = 'idle';
  let state: SubscriberState = 'stopped';
  let current: Connection | undefined;
  let connectionSeq = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let connectPending = false;
  let stopping: Promise<void> | undefined;
  let lastEpoch: EpochState | undefined;
  let failure: SubscriberFailure | undefined;
  const stopController = new AbortController();
  const totals = { received: 0, delivered: 0, duplicatesSuppressed: 0, parked: 0 };
  const totalsByCause: DuplicatesByCause = { reconnect: 0, timeout: 0, reload: 0, replay: 0, other: 0 };
  /** Keys whose first copy is being handled in this process → resolves true when done. */
  const inFlightKeys = new Map<string, Promise<boolean>>();
  const inFlight = new Set<Promise<void>>();
  const trackedByEventId = new Map<string, Set<Tracked>>();
  /** Copies nacked `retry`: listed until their redelivery, which inherits their start and reason. */
  const retryMemory = createRetryMemory();
  /** How long a nacked-retry event counts as held while its redelivery is on its way. */
  const awaitRedeliveryMs = 5_000;
  /** Operator parks of events awaiting their redelivery: the next copy is parked on arrival. */
  const pendingParks = new Map<string, { request: NonNullable<Tracked['parkRequest']>; timer: ReturnType<typeof setTimeout> }>();
  const dirtyEpochs = new Set<EpochState>();
  /** key → epoch in which it was last received here (insertion order = age; oldest evicted). */
  const lastSeenEpoch = new Map<string, number>();
  /** End reasons of connections since the last confirmed one (cause tagging: was it a reload?). */
  let endsSinceLastEpoch: string[] = [];

  let flushTimer: ReturnType<typeof setInterval> | undefined;
  const closings = new Set<Promise<void>>();

  function emitEpoch(epoch: EpochState): void {
    try {
      onEpoch?.(toEpoch(epoch));
    } catch (error) {
      logger.error({ err: error, epoch: epoch.epoch }, 'onEpoch listener threw; ignored');
    }
  }

  /**
   * Queues one store write of `epoch` behind its earlier ones. The counters are copied (and the
   * dirty flag cleared) when the write starts, not when it is queued: outcomes counted while an
   * earlier write is in flight leave the epoch dirty for the next flush instead of being lost,
   * and a close that started first can never overwrite a later flush's counters.
   */
  function writeEpoch(epoch: EpochState, write: (counters: EpochCounters) => Promise<void>): Promise<void> {
    const next = epoch.writes.then(() => {
      epoch.dirty = false;
      return write(copyCounters(epoch.counters));
    });
    // The chain itself never rejects; each caller handles its own write's failure.
    epoch.writes = next.catch(() => undefined);
    return next;
  }

  async function flushEpochs(): Promise<void> {
    for (const epoch of [...dirtyEpochs]) {
      dirtyEpochs.delete(epoch);
      if (!epoch.dirty) continue;
      try {
        await writeEpoch(epoch, (counters) => store.updateEpoch(scope, epoch.epoch, counters));
      } catch (error) {
        // Retried on the next flush (the counters stay in memory).
        epoch.dirty = true;
        dirtyEpochs.add(epoch);
        logger.warn({ err: error, epoch: epoch.epoch }, 'could not write epoch counters; will retry');
      }
    }
  }

  function count(epoch: EpochState, outcome: DeliveryOutcome, cause: DuplicateCause): void {
    switch (outcome) {
      case 'delivered':
        countEpoch(epoch, 'delivered');
        totals.delivered += 1;
        break;
      case 'duplicate':
        countDuplicate(epoch, cause);
        totals.duplicatesSuppressed += 1;
        totalsByCause[cause] += 1;
        break;
      case 'retry':
        countEpoch(epoch, 'retried');
        break;
      case 'parked':
        countEpoch(epoch, 'parked');
        totals.parked += 1;
        break;
    }
    dirtyEpochs.add(epoch);
  }

  // ---- connection lifecycle -------------------------------------------------------------------

  function connect(): void {
    connectPending = false;
    if (lifecycle !== 'running') return;
    state = 'connecting';
    const conn: Connection = { id: ++connectionSeq, sub: undefined, epoch: undefined, ended: false, closing: undefined };
    current = conn;
    logger.debug({ connection: conn.id }, 'subscribing');
    conn.sub = source.subscribe(
      { stream, group, bufferSize },
      {
        onConfirmation: () => void confirm(conn),
        onEvent: (event) => receive(conn, event),
        onDropped: ({ reason, error }) => {
          noteFailure(reason);
          logger.debug({ err: error, connection: conn.id }, 'subscription drop details');
          void dropConnection(conn, `connection lost: ${reason}`, 'backoff');
        },
      },
    );
  }

  /**
   * A drop is an expected event (network, server restart, full or missing group): one readable
   * warn line when a kind of failure starts, debug lines while it repeats, one info line on
   * recovery — never a line per retry at warn.
   */
  function noteFailure(reason: string): void {
    const kind = classifyConnectionFailure(reason);
    if (failure?.kind === kind) {
      failure.attempts += 1;
      failure.reason = reason;
      logger.debug({ kind, attempts: failure.attempts, reason }, 'still failing');
      return;
    }
    failure = { kind, reason, since: now().toISOString(), attempts: 1, lastDelayMs: 0 };
    logger.warn({ kind, reason }, `subscriber not live: ${describeConnectionFailure(kind)}`);
  }

  /** Opens the epoch (once per connection); events wait for it. */
  function confirm(conn: Connection): Promise<EpochState | undefined> {
    if (conn.epoch) return conn.epoch;
    if (conn.ended) return Promise.resolve(undefined); // never open an epoch for a dead connection
    const startedAt = now();
    // Joined: a reload shows as `persistent-subscription-dropped` even when failed attempts followed.
    const previousEnd = endsSinceLastEpoch.length > 0 ? endsSinceLastEpoch.join('; ') : null;
    endsSinceLastEpoch = [];
    conn.epoch = store.openEpoch(scope, startedAt).then(
      (number) => {
        const epoch = createEpochState(number, startedAt, previousEnd);
        if (getCheckpointGap) readCheckpointGap(epoch, getCheckpointGap);
        lastEpoch = epoch;
        if (current === conn && !conn.ended) {
          state = 'live';
          reconnectBackoff.reset();
          if (failure) {
            logger.info({ kind: failure.kind, attempts: failure.attempts, since: failure.since }, 'subscriber live again');
            failure = undefined;
          }
        }
        logger.info({ epoch: number, connection: conn.id }, 'subscription live; epoch opened');
        emitEpoch(epoch);
        return epoch;
      },
      (error: unknown) => {
        logger.error({ err: error, connection: conn.id }, 'could not open epoch in the dedup store; reconnecting');
        void dropConnection(conn, `dedup store unavailable: ${describeError(error)}`, 'backoff');
        return undefined;
      },
    );
    return conn.epoch;
  }

  /** Records the gap in the epoch when it arrives; events are not held back for it. */
  function readCheckpointGap(epoch: EpochState, read: () => Promise<number | null>): void {
    read().then(
      (gap) => {
        setCheckpointGap(epoch, gap);
        dirtyEpochs.add(epoch);
      },
      (error: unknown) => {
        logger.warn({ err: error, epoch: epoch.epoch }, 'could not read the checkpoint gap (GetInfo); left unknown');
      },
    );
  }

  /**
   * Ends a connection once: cancels it, closes its epoch, then reconnects per `next`.
   * The sync part (ended flag, endedAt) runs at once so later events of it are ignored.
   */
  function dropConnection(conn: Connection, reason: string, next: 'backoff' | 'now' | 'none'): Promise<void> {
    if (conn.closing) return conn.closing;
    conn.ended = true;
    endsSinceLastEpoch.push(reason);
    const endedAt = now();
    if (current === conn) current = undefined;
    if (next !== 'none' && lifecycle === 'running') {
      connectPending = true;
      if (next === 'backoff') state = 'backoff';
    }
    const closing = (async () => {
      try {
        await conn.sub?.unsubscribe();
      } catch (error) {
        logger.warn({ err: error, connection: conn.id }, 'unsubscribe failed; the connection is abandoned');
      }
      const epoch = conn.epoch ? await conn.epoch : undefined;
      if (epoch) {
        epoch.endedAt = endedAt;
        epoch.endReason = reason;
        try {
          await writeEpoch(epoch, (counters) => store.closeEpoch(scope, epoch.epoch, endedAt, reason, counters));
        } catch (error) {
          dirtyEpochs.add(epoch);
          epoch.dirty = true;
          logger.error({ err: error, epoch: epoch.epoch }, 'could not close epoch in the dedup store');
        }
        logger.info({ epoch: epoch.epoch, reason, counters: epoch.counters }, 'epoch closed');
        emitEpoch(epoch);
      }
    })();
    conn.closing = closing;
    closings.add(closing);
    void closing.then(() => {
      closings.delete(closing);
      if (lifecycle !== 'running' || next === 'none' || current) return;
      if (next === 'now') {
        connect();
        return;
      }
      const delay = reconnectBackoff.next();
      if (failure) failure.lastDelayMs = delay;
      logger.debug({ delayMs: delay, attempt: reconnectBackoff.attempts }, 'reconnecting after backoff');
      reconnectTimer = setTimeout(() => {
        reconnectTimer = undefined;
        connect();
      }, delay);
    });
    return closing;
  }

  // ---- per delivery ---------------------------------------------------------------------------

  function receive(conn: Connection, event: SourceEvent): void {
    if (lifecycle !== 'running' || conn.ended) return; // not taken: the server redelivers it
    const task = (async () => {
      const epoch = await confirm(conn); // normally already open: confirmation precedes events
      if (!epoch || lifecycle !== 'running') return;
      await handle(conn, epoch, event);
    })().catch((error: unknown) => {
      logger.error({ err: error, connection: conn.id }, 'unexpected failure while handling a delivery');
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  }

  async function handle(conn: Connection, epoch: EpochState, event: SourceEvent): Promise<void> {
    const record = originalRecord(event);
    const tracked: Tracked = { eventId: record.id, parkRequest: takePendingPark(record.id), wake: new AbortController(), held: toHeld(event, epoch.epoch) };
    const copies = trackedByEventId.get(record.id) ?? new Set<Tracked>();
    copies.add(tracked);
    trackedByEventId.set(record.id, copies);
    try {
      await handleTracked(conn, epoch, event, tracked);
    } finally {
      copies.delete(tracked);
      if (copies.size === 0) trackedByEventId.delete(record.id);
      releaseHeld(tracked);
      tracked.parkRequest?.resolve(false); // no-op when it was already resolved
    }
  }

  async function handleTracked(conn: Connection, epoch: EpochState, event: SourceEvent, tracked: Tracked): Promise<void> {
    const record = originalRecord(event);
    countEpoch(epoch, 'received');
    dirtyEpochs.add(epoch);
    totals.received += 1;
    const context = { retryCount: event.retryCount, retryBackoff: options.retryBackoff, maxClaimWaitMs };
    const keyResult = toDedupKey(event, dedupKey);
    if (!keyResult.ok) {
      logger.warn({ eventId: record.id, epoch: epoch.epoch }, keyResult.reason);
      // No dedup key: reported under the event id.
      const base = { conn, epoch, event, eventId: record.id, key: record.id, tracked, causeFacts: null };
      await settle(base, toAckDecision({ kind: 'no-key', reason: keyResult.reason }, context));
      return;
    }
    const key = keyResult.key;
    // Log context of this delivery; a plain object (a child logger per event costs throughput).
    const log = { key, eventId: record.id, epoch: epoch.epoch, retryCount: event.retryCount };
    const causeFacts: DuplicateFacts = {
      retryCount: event.retryCount,
      linkStreamId: event.link?.streamId,
      epoch: epoch.epoch,
      previousEpoch: lastSeenEpoch.get(key),
      previousConnectionEnd: epoch.previousConnectionEnd,
      keyIdentifiesEvent,
    };
    rememberKey(key, epoch.epoch);
    const delivery: DeliveryContext = { conn, epoch, event, eventId: record.id, key, tracked, causeFacts };

    for (;;) {
      const first = inFlightKeys.get(key);
      if (first) {
        // A redelivery (message timeout / reconnect) while the first copy is still being handled.
        if (await first) {
          await settle(delivery, toAckDecision({ kind: 'duplicate' }, context));
          return;
        }
        continue; // the first copy did not finish the key: claim it ourselves
      }
      if (tracked.parkRequest) {
        await settle(delivery, toAckDecision({ kind: 'operator-park', reason: tracked.parkRequest.reason }, context));
        return;
      }
      let markDone: (done: boolean) => void = () => undefined;
      const mine = new Promise<boolean>((resolve) => (markDone = resolve));
      inFlightKeys.set(key, mine);
      let done = false;
      const release = () => {
        // Only our own entry: a later copy may already have claimed the key again.
        if (inFlightKeys.get(key) === mine) inFlightKeys.delete(key);
        markDone(done);
      };
      try {
        const decision = await claimAndDeliver(epoch, event, key, log, context, tracked);
        done = decision.action === 'ack';
        await settle(delivery, decision, release);
      } finally {
        release();
      }
      return;
    }
  }

  function rememberKey(key: string, epochNumber: number): void {
    lastSeenEpoch.delete(key); // re-inserted: the most recently seen keys are evicted last
    lastSeenEpoch.set(key, epochNumber);
    if (lastSeenEpoch.size > causeMemory) {
      const oldest = lastSeenEpoch.keys().next();
      if (!oldest.done) lastSeenEpoch.delete(oldest.value);
    }
  }

  /**
   * Claims `key`. While another instance holds it — typically a redelivery after that instance's
   * connection was cut, its copy still in the sink for a few milliseconds — claims again after a
   * short, growing delay (10 ms doubling to 500 ms), so a key the other copy finished is acked as
   * a duplicate at once instead of after a nack round trip. Gives up after `maxClaimWaitMs` (the
   * bounded wait, then nack `retry`), on stop, or when an operator parks the delivery.
   */
  async function claimWaitingForOthers(key: string, tracked: Tracked): Promise<{ claim: ClaimResult; waitedMs: number }> {
    // The real clock: the pauses below are real timers, whatever clock `now` injects.
    const startedAt = Date.now();
    let pauseMs = 10;
    for (;;) {
      const claim = await store.claim(scope, key);
      const waitedMs = Date.now() - startedAt;
      if (claim.status !== 'in-progress' || claim.owner !== 'other') return { claim, waitedMs };
      const left = Math.min(maxClaimWaitMs, claim.retryAfterMs) - waitedMs;
      if (left <= 0 || stopController.signal.aborted || tracked.parkRequest) return { claim, waitedMs };
      await delay(Math.min(pauseMs, left), AbortSignal.any([stopController.signal, tracked.wake.signal]));
      pauseMs = Math.min(pauseMs * 2, 500);
    }
  }

  /** claim → sink → complete/release. Returns the decision; never acks itself. */
  async function claimAndDeliver(
    epoch: EpochState,
    event: SourceEvent,
    key: string,
    log: Record<string, unknown>,
    context: AckDecisionContext,
    tracked: Tracked,
  ): Promise<AckDecision> {
    let outcome: HandlingOutcome;
    try {
      const { claim, waitedMs } = await claimWaitingForOthers(key, tracked);
      if (claim.status === 'duplicate') return toAckDecision({ kind: 'duplicate' }, context);
      if (claim.status === 'in-progress' && claim.owner === 'other') {
        return toAckDecision({ kind: 'claimed-elsewhere', retryAfterMs: claim.retryAfterMs, waitedMs }, context);
      }
      // 'new', or 'in-progress' by this session with no local handler (a release that failed
      // earlier): the claim is ours either way.
    } catch (error) {
      logger.error({ ...log, err: error }, 'dedup claim failed');
      return toAckDecision({ kind: 'store-failed', error }, context);
    }

    try {
      tracked.held.phase = 'in-sink';
      const result: SinkResult = await sink(toDelivery(event, key, epoch.epoch));
      outcome = { kind: 'sink', result };
    } catch (error) {
      outcome = { kind: 'sink-threw', error };
    }
    let decision = toAckDecision(outcome, context);
    if (decision.record === 'complete') {
      try {
        await store.complete(scope, key);
      } catch (error) {
        logger.error({ ...log, err: error }, 'sink succeeded but the key could not be recorded done; not acking');
        decision = toAckDecision({ kind: 'store-failed', error }, context);
      }
    }
    if (decision.record === 'release') {
      try {
        await store.release(scope, key);
      } catch (error) {
        // The claim stays with this session; the next copy here re-claims it as its own.
        logger.warn({ ...log, err: error }, 'could not release the dedup claim');
      }
    }
    if (decision.action === 'nack') {
      // A park is the sink's deliberate verdict (counted, shown in the parked browser): info. A retry
      // means the sink is failing: warn.
      const level = decision.nackAction === 'park' ? 'info' : 'warn';
      logger[level]({ ...log, reason: decision.reason }, `sink outcome → nack ${decision.nackAction}`);
    }
    return decision;
  }

  /**
   * Waits the retry delay (cut short by stop or an operator park), turns a retry into a park when
   * the operator asked for one, counts, then sends the ack/nack.
   */
  async function settle(delivery: DeliveryContext, decision: AckDecision, beforeSend?: () => void): Promise<void> {
    const { conn, epoch, event, eventId, key, tracked, causeFacts } = delivery;
    const cause: DuplicateCause = causeFacts ? classifyDuplicate({ ...causeFacts, connectionEnded: conn.ended }) : 'other';
    let final = decision;
    beforeSend?.();
    if (final.action === 'nack' && final.nackAction === 'retry') {
      tracked.held.phase = 'waiting-retry';
      tracked.held.lastOutcome = final.reason;
      if (final.delayMs > 0 && !tracked.parkRequest) {
        await delay(final.delayMs, AbortSignal.any([stopController.signal, tracked.wake.signal]));
      }
      const request = tracked.parkRequest;
      if (request) {
        final = toAckDecision({ kind: 'operator-park', reason: request.reason }, { retryCount: event.retryCount });
      }
    }
    count(epoch, final.outcome, cause);
    let sent = false;
    const sub = conn.sub;
    try {
      if (sub) {
        const outcome =
          final.action === 'ack' ? await sub.ack(event) : await sub.nack(final.nackAction, final.reason, event);
        sent = outcome === 'sent';
        if (!sent) logger.debug({ key, epoch: epoch.epoch }, `${final.action} not sent: connection already closed`);
      }
    } catch (error) {
      // The server redelivers an un-acked message; the dedup store makes that harmless.
      logger.warn({ err: error, key, eventId, epoch: epoch.epoch }, `${final.action} failed`);
    }
    tracked.parkRequest?.resolve(sent && final.action === 'nack' && final.nackAction === 'park');
    try {
      onReceived?.({
        key,
        eventId,
        retryCount: event.retryCount,
        epoch: epoch.epoch,
        outcome: final.outcome,
        ...(final.outcome === 'duplicate' ? { cause } : {}),
      });
    } catch (error) {
      logger.error({ err: error, key }, 'onReceived listener threw; ignored');
    }
  }

  // ---- public API -----------------------------------------------------------------------------

  return {
    scope,
    start() {
      if (lifecycle !== 'idle') {
        throw new Error(`subscriber ${scope} was already started; create a new subscriber instead of restarting`);
      }
      lifecycle = 'running';
      flushTimer = setInterval(() => void flushEpochs(), options.epochFlushMs ?? 1000);
      flushTimer.unref();
      connect();
    },
    stop() {
      stopping ??= (async () => {
        const wasRunning = lifecycle === 'running';
        lifecycle = 'stopping';
        if (reconnectTimer) clearTimeout(reconnectTimer);
        reconnectTimer = undefined;
        stopController.abort();
        try {
          const drain = async () => {
            while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
          };
          if (!(await withDeadline(drain(), stopTimeoutMs))) {
            // Their keys are not done (or not acked): the server redelivers them to the next consumer.
            logger.warn(
              { inFlight: inFlight.size, stopTimeoutMs },
              'stop deadline reached with deliveries still in flight; cancelling anyway',
            );
          }
          if (wasRunning && current) {
            // Acks are written locally; give the transport a moment to flush before cancelling
            // (an ack written just before the call ends can be lost — then it is a duplicate).
            await delay(50);
          }
          // Re-read: the connection may have dropped during the drain or the grace period.
          const last = current;
          if (last) await dropConnection(last, 'stopped', 'none');
          while (closings.size > 0) await Promise.allSettled([...closings]);
          // Acks that were blocked on a full transport give up once the connection is closed.
          await withDeadline(drain(), Math.min(1_000, stopTimeoutMs));
          await flushEpochs();
        } finally {
          if (flushTimer) clearInterval(flushTimer);
          lifecycle = 'stopped';
          state = 'stopped';
          logger.info({ totals }, 'subscriber stopped');
        }
      })();
      return stopping;
    },
    reconnect(reason) {
      if (lifecycle !== 'running') return;
      const endReason = /^forced reconnect/i.test(reason) ? reason : `forced reconnect: ${reason}`;
      logger.info({ reason: endReason }, 'reconnect requested');
      if (reconnectTimer) {
        clearTimeout(reconnectTimer);
        reconnectTimer = undefined;
        connect();
        return;
      }
      if (current) {
        void dropConnection(current, endReason, 'now');
        state = 'connecting';
        return;
      }
      if (!connectPending) connect();
    },
    park(eventId, reason) {
      const copies = trackedByEventId.get(eventId);
      if (!copies || copies.size === 0 || lifecycle !== 'running') return parkNextCopy(eventId, reason);
      const results = [...copies].map(
        (tracked) =>
          new Promise<boolean>((resolve) => {
            const previous = tracked.parkRequest;
            tracked.parkRequest = {
              reason,
              resolve: (parked) => {
                previous?.resolve(parked);
                resolve(parked);
              },
            };
            tracked.wake.abort();
          }),
      );
      return Promise.all(results).then((parked) => parked.some(Boolean));
    },
    getSummary() {
      return {
        state,
        epoch: lastEpoch?.epoch ?? 0,
        received: totals.received,
        delivered: totals.delivered,
        duplicatesSuppressed: totals.duplicatesSuppressed,
        duplicatesByCause: { ...totalsByCause },
        parked: totals.parked,
        failure:
          failure && lifecycle === 'running' ? { kind: failure.kind, message: failure.reason, since: failure.since } : null,
      };
    },
    getCurrentEpoch() {
      return lastEpoch ? toEpoch(lastEpoch) : null;
    },
    listEpochs(limit) {
      return store.listEpochs(scope, limit);
    },
    listHeld(limit) {
      const copies = [...trackedByEventId.values()].flatMap((set) => [...set]);
      const awaiting = retryMemory
        .awaiting(now(), awaitRedeliveryMs)
        .filter((trace) => !trackedByEventId.has(trace.eventId))
        .map((trace) => ({ ...trace, phase: 'waiting-retry' as const }));
      return toHeldDeliveries([...copies.map(({ held: { event, ...copy } }) => ({ ...copy, key: heldKey(event) })), ...awaiting], limit);
    },
    isRunning() {
      return lifecycle === 'running';
    },
    getFailure() {
      return failure && lifecycle === 'running' ? { ...failure } : null;
    },
  };

  // ---- held deliveries (listHeld) ------------------------------------------------------------

  function toHeld(event: SourceEvent, epochNumber: number): Tracked['held'] {
    const record = originalRecord(event);
    const at = now();
    const previous = retryMemory.recall(record.id, at);
    return {
      event,
      eventId: record.id,
      stream: record.streamId,
      revision: record.revision.toString(),
      type: record.type,
      retryCount: event.retryCount,
      epoch: epochNumber,
      since: previous?.since ?? at,
      phase: 'waiting-claim',
      lastOutcome: previous?.lastOutcome,
    };
  }

  function heldKey(event: SourceEvent): string {
    const keyResult = toDedupKey(event, dedupKey);
    return keyResult.ok ? keyResult.key : originalRecord(event).id;
  }

  /** A copy nacked `retry` hands its trace to the next one; any other answer ends the trace. */
  function releaseHeld(tracked: Tracked): void {
    const { event, phase, lastOutcome, ...copy } = tracked.held;
    if (phase === 'waiting-retry' && !tracked.parkRequest && lastOutcome !== undefined && lifecycle === 'running') {
      retryMemory.remember({ ...copy, key: heldKey(event), lastOutcome }, now());
    } else {
      retryMemory.forget(copy.eventId);
    }
  }

  /** park() of an event nacked `retry` a moment ago: its redelivery is parked on arrival (handle()). */
  function parkNextCopy(eventId: string, reason: string): Promise<boolean> {
    if (lifecycle !== 'running' || !retryMemory.recall(eventId, now(), awaitRedeliveryMs)) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const previous = takePendingPark(eventId);
      const request = {
        reason,
        resolve: (parked: boolean) => {
          previous?.resolve(parked);
          resolve(parked);
        },
      };
      // The redelivery did not come in time (the server parked it itself, or the connection dropped).
      const timer = setTimeout(() => takePendingPark(eventId)?.resolve(false), awaitRedeliveryMs);
      timer.unref();
      pendingParks.set(eventId, { request, timer });
    });
  }

  /** The pending park of `eventId`, now owned by the caller (its timeout is cleared). */
  function takePendingPark(eventId: string): Tracked['parkRequest'] {
    const pending = pendingParks.get(eventId);
    if (!pending) return undefined;
    pendingParks.delete(eventId);
    clearTimeout(pending.timer);
    return pending.request;
  }

  function toDelivery(event: SourceEvent, key: string, epochNumber: number): Delivery {
    const record = originalRecord(event);
    return {
      eventId: record.id,
      key,
      stream: record.streamId,
      revision: record.revision.toString(),
      type: record.type,
      data: record.data,
      metadata: record.metadata,
      isJson: record.isJson,
      created: record.created.toISOString(),
      retryCount: event.retryCount,
      epoch: epochNumber,
    };
  }
}
