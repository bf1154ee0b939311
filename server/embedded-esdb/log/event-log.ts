import { type Clock, systemClock } from '../clock';
import { type ExpectedRevision, isExpectedRevisionMet } from './expected-revision';
import { findIdempotentMatch } from './idempotency';
import { METADATA_EVENT_TYPE, type ProposedEvent, type RecordedEvent, toTicks } from './recorded-event';
import { parseStreamMetadata, streamOfMetadataStream, type StreamMetadata } from './stream-metadata';

export type AppendResult =
  | { readonly kind: 'success'; readonly currentRevision: number; readonly position: number }
  | { readonly kind: 'wrong-expected-version'; readonly currentRevision: number; readonly expected: ExpectedRevision }
  | { readonly kind: 'stream-deleted' };

export type DeleteResult =
  | { readonly kind: 'success'; readonly position: number }
  | { readonly kind: 'wrong-expected-version'; readonly currentRevision: number; readonly expected: ExpectedRevision }
  | { readonly kind: 'stream-deleted' };

export type ReadDirection = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** Inclusive start revision; 'start' / 'end' as in the client. */
  readonly from: number | 'start' | 'end';
  readonly direction: ReadDirection;
  readonly maxCount: number;
}

export type AppendListener = (events: readonly RecordedEvent[]) => void;

/**
 * Where committed changes go before they become visible (the on-disk log of `storage/`). Each call
 * must be durable when it returns; a throw aborts the change, which then never happened.
 */
export interface LogJournal {
  appended(streamId: string, events: readonly RecordedEvent[]): void;
  removed(streamId: string, tombstone: boolean): void;
  /**
   * Group commit (optional): `write` stores several append batches without syncing (a throw means
   * none was stored), `sync` makes everything stored so far durable off the event loop, `syncNow`
   * does so before returning, and `discardUnsynced` drops what a failed sync did not cover.
   */
  readonly group?: {
    write(batches: readonly (readonly RecordedEvent[])[]): void;
    sync(): Promise<void>;
    syncNow(): void;
    discardUnsynced(): void;
  };
}

interface QueuedAppend {
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  readonly events: readonly ProposedEvent[];
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/** A group written to the journal whose sync has not called back yet. */
interface InFlightGroup {
  readonly requests: readonly QueuedAppend[];
  readonly results: readonly AppendResult[];
  readonly batches: readonly (readonly RecordedEvent[])[];
  /** Applied in memory and answered (by the async sync, or earlier by a synchronous change's sync). */
  settled: boolean;
}

/** What staging a group changed in memory, so it can be undone until the group is durable. */
interface StagingUndo {
  readonly allLength: number;
  readonly nextPosition: number;
  readonly streams: Map<StreamState, { length: number; deleted: boolean; metadata: StreamMetadata; ids: [string, number | undefined][] }>;
}

interface StreamState {
  /** Revision of `events[0]`: events before it were dropped by compaction (invisible already). */
  base: number;
  readonly events: RecordedEvent[];
  /** Event id → revision, for idempotent re-appends. */
  readonly idToRevision: Map<string, number>;
  metadata: StreamMetadata;
  /** Soft-deleted and not written since: reads report "stream not found". */
  deleted: boolean;
  /** Hard-deleted: reads, appends and deletes fail with "stream deleted" forever. */
  tombstoned: boolean;
}

/** Fixed record overhead so positions look like growing byte offsets, as on a real node. */
const RECORD_OVERHEAD = 64;

function sizeOf(record: RecordedEvent): number {
  return RECORD_OVERHEAD + record.streamId.length + record.type.length + record.data.length + record.metadata.length;
}

function nextRevisionOf(state: StreamState): number {
  return state.base + state.events.length;
}

/** First revision a read can see, after `$tb`, `$maxCount` and compaction. */
function firstVisibleOf(state: StreamState): number {
  const byTb = state.metadata.truncateBefore ?? 0;
  const byMaxCount = state.metadata.maxCount === undefined ? 0 : nextRevisionOf(state) - state.metadata.maxCount;
  return Math.max(state.base, byTb, byMaxCount);
}

/** One stream's durable state beyond its events, as compaction writes it. */
export interface StreamSnapshot {
  readonly streamId: string;
  /** First revision kept: everything before it is invisible to reads. */
  readonly base: number;
  readonly deleted: boolean;
  readonly tombstoned: boolean;
  readonly metadata: StreamMetadata;
}

/** The live state of the log (what compaction keeps): streams, visible events in `$all` order, end position. */
export interface LogSnapshot {
  readonly streams: readonly StreamSnapshot[];
  readonly events: readonly RecordedEvent[];
  readonly endPosition: number;
}

/**
 * The in-memory event log: every stream plus the global ($all) order.
 *
 * Invariants: appends are atomic and synchronous, and a re-sent identical batch is answered with the
 * original result instead of being written twice; listeners run after the whole batch is committed,
 * in commit order, and may append again (nested appends notify their own listeners before returning).
 */
export class EventLog {
  private readonly all: RecordedEvent[] = [];
  private readonly streams = new Map<string, StreamState>();
  private readonly listeners = new Set<AppendListener>();
  private nextPosition = 0;
  private readonly queue: QueuedAppend[] = [];
  private flushScheduled = false;
  private inFlight: InFlightGroup | undefined;
  private staging: StagingUndo | undefined;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly journal?: LogJournal,
  ) {}

  /**
   * Appends synchronously: with a journal, the batch is written and synced before it is applied
   * (one fsync per call). Used by the subscription subsystem (checkpoints, parking) and in memory.
   */
  append(streamId: string, expected: ExpectedRevision, events: readonly ProposedEvent[]): AppendResult {
    this.settleInFlightNow();
    const { result, recorded } = this.prepare(streamId, expected, events);
    if (recorded) {
      this.journal?.appended(streamId, recorded);
      this.commit(this.stateOf(streamId), recorded);
      for (const listener of [...this.listeners]) listener(recorded);
    }
    return result;
  }

  /**
   * Appends with group commit (the gRPC Append path). Appends that arrive while the previous
   * group's fsync runs are queued and then written with one write and one fsync; each promise
   * resolves only after the fsync that covers its batch, and the batch becomes visible to reads
   * and subscribers at that moment too, so durability is exactly that of `append`. Without a
   * group-capable journal this is `append`.
   * @throws (rejects) when the journal cannot write or sync the group: none of it happened.
   */
  appendDurable(streamId: string, expected: ExpectedRevision, events: readonly ProposedEvent[]): Promise<AppendResult> {
    if (!this.journal?.group) {
      try {
        return Promise.resolve(this.append(streamId, expected, events));
      } catch (error) {
        return Promise.reject(error as Error);
      }
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, expected, events, resolve, reject });
      this.scheduleGroup();
    });
  }

  /** Resolves once no group-commit append is queued or waiting for its fsync (before closing the journal). */
  whenIdle(): Promise<void> {
    if (!this.inFlight && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Validates one append against memory and builds its records, without applying them. */
  private prepare(streamId: string, expected: ExpectedRevision, events: readonly ProposedEvent[]): { result: AppendResult; recorded?: RecordedEvent[] } {
    const state = this.stateOf(streamId);
    if (state.tombstoned) return { result: { kind: 'stream-deleted' } };
    const current = this.currentRevisionOf(state);
    const versionMet = isExpectedRevisionMet(expected, current);
    // An exact revision that matches is a plain append; anything else may be a re-sent batch.
    if (!versionMet || expected === 'any' || expected === 'stream_exists') {
      const ids = events.map((event) => event.id);
      const duplicate = findIdempotentMatch(state.events, state.base, state.idToRevision, expected, ids);
      if (duplicate) {
        const last = duplicate[duplicate.length - 1]!;
        return { result: { kind: 'success', currentRevision: last.revision, position: last.position } };
      }
    }
    if (!versionMet) {
      return { result: { kind: 'wrong-expected-version', currentRevision: current, expected } };
    }
    if (events.length === 0) {
      return { result: { kind: 'success', currentRevision: current, position: this.lastPosition() } };
    }
    const created = toTicks(this.clock.now());
    let position = this.nextPosition;
    const recorded: RecordedEvent[] = events.map((event, i) => {
      const record: RecordedEvent = { ...event, streamId, revision: nextRevisionOf(state) + i, position, created };
      position += sizeOf(record);
      return record;
    });
    const last = recorded[recorded.length - 1]!;
    return { result: { kind: 'success', currentRevision: last.revision, position: last.position }, recorded };
  }

  private scheduleGroup(): void {
    if (this.flushScheduled || this.inFlight) return;
    this.flushScheduled = true;
    // Let every request that arrived in this turn of the event loop join the group.
    setImmediate(() => {
      this.flushScheduled = false;
      this.startGroup();
    });
  }

  /**
   * Stages the queued appends one after another in memory (so later ones see earlier ones: same
   * stream, idempotent re-sends), undoes the staging, writes the resulting batches with one write,
   * and starts one fsync. Memory changes only when that fsync (or an earlier synchronous one) returns.
   */
  private startGroup(): void {
    const group = this.journal?.group;
    if (!group || this.inFlight || this.queue.length === 0) return;
    const requests = this.queue.splice(0);
    const results: AppendResult[] = [];
    const batches: RecordedEvent[][] = [];
    this.staging = { allLength: this.all.length, nextPosition: this.nextPosition, streams: new Map() };
    try {
      for (const request of requests) {
        const { result, recorded } = this.prepare(request.streamId, request.expected, request.events);
        results.push(result);
        if (recorded) {
          this.commit(this.stateOf(request.streamId), recorded);
          batches.push(recorded);
        }
      }
    } finally {
      this.undoStaging();
    }
    try {
      if (batches.length > 0) group.write(batches);
    } catch (error) {
      for (const request of requests) request.reject(error);
      this.afterGroup();
      return;
    }
    const inFlight: InFlightGroup = { requests, results, batches, settled: false };
    this.inFlight = inFlight;
    if (batches.length === 0) {
      // Only duplicates and version conflicts: nothing to make durable beyond what already is.
      this.settle(inFlight);
      this.inFlight = undefined;
      this.afterGroup();
      return;
    }
    group.sync().then(
      () => {
        this.settle(inFlight);
        this.inFlight = undefined;
        this.afterGroup();
      },
      (error: unknown) => {
        if (!inFlight.settled) {
          inFlight.settled = true;
          group.discardUnsynced();
          for (const request of requests) request.reject(error);
        }
        this.inFlight = undefined;
        this.afterGroup();
      },
    );
  }

  private afterGroup(): void {
    if (this.queue.length > 0) this.startGroup();
    else if (!this.inFlight) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Applies a durable group in memory, then tells listeners and callers, in commit order. */
  private settle(inFlight: InFlightGroup): void {
    if (inFlight.settled) return;
    inFlight.settled = true;
    // Apply the whole group first: a listener may append (checkpoint, park), and that append must
    // come after every position this group already took.
    for (const recorded of inFlight.batches) this.commit(this.stateOf(recorded[0]!.streamId), recorded);
    for (const recorded of inFlight.batches) for (const listener of [...this.listeners]) listener(recorded);
    inFlight.requests.forEach((request, i) => request.resolve(inFlight.results[i]!));
  }

  /**
   * A synchronous change while a group's fsync runs: sync now (covering the group's bytes, which
   * precede this change in the file), apply the group, then let the change validate against it.
   */
  private settleInFlightNow(): void {
    const inFlight = this.inFlight;
    if (!inFlight || inFlight.settled) return;
    try {
      this.journal!.group!.syncNow();
    } catch (error) {
      inFlight.settled = true;
      for (const request of inFlight.requests) request.reject(error);
      throw error;
    }
    this.settle(inFlight);
  }

  private undoStaging(): void {
    const staging = this.staging;
    if (!staging) return;
    this.staging = undefined;
    for (const [state, saved] of staging.streams) {
      state.events.length = saved.length;
      state.deleted = saved.deleted;
      state.metadata = saved.metadata;
      for (const [id, revision] of saved.ids.reverse()) {
        if (revision === undefined) state.idToRevision.delete(id);
        else state.idToRevision.set(id, revision);
      }
    }
    this.all.length = staging.allLength;
    this.nextPosition = staging.nextPosition;
  }

  private saveForUndo(state: StreamState): { ids: [string, number | undefined][] } | undefined {
    const staging = this.staging;
    if (!staging) return undefined;
    let saved = staging.streams.get(state);
    if (!saved) {
      saved = { length: state.events.length, deleted: state.deleted, metadata: state.metadata, ids: [] };
      staging.streams.set(state, saved);
    }
    return saved;
  }

  /**
   * Re-applies a batch read back from the journal at start-up: no checks, no journal write, no
   * listeners. Revisions must continue the stream densely.
   * @throws Error when they do not (the journal does not match this log).
   */
  restoreAppended(streamId: string, events: readonly RecordedEvent[]): void {
    const state = this.stateOf(streamId);
    const expected = nextRevisionOf(state);
    if (events[0] !== undefined && events[0].revision !== expected) {
      throw new Error(`journal batch for ${streamId} starts at revision ${events[0].revision}, expected ${expected}`);
    }
    this.commit(state, events);
  }

  /** Re-applies a delete or tombstone read back from the journal at start-up. */
  restoreRemoved(streamId: string, tombstone: boolean): void {
    this.markRemoved(this.stateOf(streamId), tombstone);
  }

  /**
   * Start-up, compacted log: the stream's first kept revision (before its events are restored)
   * and the end position (so new events never reuse a position of a dropped one).
   * @throws Error when the stream already has events (the journal does not match this log).
   */
  restoreBase(streamId: string, base: number, endPosition: number): void {
    const state = this.stateOf(streamId);
    if (state.events.length > 0) throw new Error(`compacted base for ${streamId} after its events`);
    state.base = base;
    this.nextPosition = Math.max(this.nextPosition, endPosition);
  }

  /** Start-up, compacted log: a stream's delete/tombstone flags and effective metadata. */
  restoreStreamState(snapshot: StreamSnapshot): void {
    const state = this.stateOf(snapshot.streamId);
    state.deleted = snapshot.deleted;
    state.tombstoned = snapshot.tombstoned;
    state.metadata = snapshot.metadata;
  }

  /**
   * The live state, after applying a group whose fsync still runs (its bytes are in the file
   * being replaced). Kept: streams' flags and metadata, events at or above each stream's first
   * visible revision (so deleted and truncated events and old checkpoints go), the end position.
   */
  snapshot(): LogSnapshot {
    this.settleInFlightNow();
    const streams: StreamSnapshot[] = [];
    const keepFrom = new Map<string, number>();
    for (const [streamId, state] of this.streams) {
      const base = firstVisibleOf(state);
      keepFrom.set(streamId, base);
      streams.push({ streamId, base, deleted: state.deleted, tombstoned: state.tombstoned, metadata: state.metadata });
    }
    const events = this.all.filter((event) => event.revision >= keepFrom.get(event.streamId)!);
    return { streams, events, endPosition: this.nextPosition };
  }

  /** Drops from memory what `snapshot` left out (after the compacted file replaced the old one). */
  prune(): void {
    for (const state of this.streams.values()) {
      const drop = firstVisibleOf(state) - state.base;
      if (drop <= 0) continue;
      for (const event of state.events.splice(0, drop)) {
        if (state.idToRevision.get(event.id) === event.revision) state.idToRevision.delete(event.id);
      }
      state.base += drop;
    }
    let kept = 0;
    for (const event of this.all) {
      const state = this.streams.get(event.streamId)!;
      if (event.revision >= state.base) this.all[kept++] = event;
    }
    this.all.length = kept;
  }

  /** Last revision of the stream, visible or not; −1 when it has no events. */
  lastRevision(streamId: string): number {
    const state = this.streams.get(streamId);
    return (state ? nextRevisionOf(state) : 0) - 1;
  }

  /** True when a read of the stream reports "stream not found" (never written, or soft-deleted). */
  isMissing(streamId: string): boolean {
    const state = this.streams.get(streamId);
    return state === undefined || nextRevisionOf(state) === 0 || state.deleted;
  }

  isTombstoned(streamId: string): boolean {
    return this.streams.get(streamId)?.tombstoned ?? false;
  }

  /** First revision a read can see, after `$tb` and `$maxCount`. */
  firstVisibleRevision(streamId: string): number {
    const state = this.streams.get(streamId);
    if (!state) return 0;
    return firstVisibleOf(state);
  }

  /** Current metadata of the stream (from its `$$` stream). */
  metadataOf(streamId: string): StreamMetadata {
    return this.streams.get(streamId)?.metadata ?? {};
  }

  /** One visible event, or undefined if it does not exist or is truncated. */
  readEvent(streamId: string, revision: number): RecordedEvent | undefined {
    const state = this.streams.get(streamId);
    if (!state || state.deleted || revision < this.firstVisibleRevision(streamId)) return undefined;
    return state.events[revision - state.base];
  }

  /** The newest visible event of the stream. */
  lastEvent(streamId: string): RecordedEvent | undefined {
    return this.readEvent(streamId, this.lastRevision(streamId));
  }

  /** Visible events of one stream; an empty list for a missing stream (check `isMissing` first). */
  readStream(streamId: string, options: ReadStreamOptions): RecordedEvent[] {
    const state = this.streams.get(streamId);
    if (!state || state.deleted || options.maxCount <= 0) return [];
    const first = this.firstVisibleRevision(streamId);
    const last = nextRevisionOf(state) - 1;
    const result: RecordedEvent[] = [];
    if (options.direction === 'forwards') {
      const start = Math.max(first, options.from === 'start' ? 0 : options.from === 'end' ? last + 1 : options.from);
      for (let r = start; r <= last && result.length < options.maxCount; r++) result.push(state.events[r - state.base]!);
    } else {
      const start = Math.min(last, options.from === 'start' ? first : options.from === 'end' ? last : options.from);
      for (let r = start; r >= first && result.length < options.maxCount; r--) result.push(state.events[r - state.base]!);
    }
    return result;
  }

  /**
   * Events of the whole log ordered by position. `fromPosition` is inclusive forwards and exclusive
   * backwards (a read backwards from a position returns what came before it), as on a real node.
   */
  readAll(fromPosition: number | 'start' | 'end', direction: ReadDirection, maxCount: number): RecordedEvent[] {
    const result: RecordedEvent[] = [];
    if (direction === 'forwards') {
      let i = fromPosition === 'start' ? 0 : fromPosition === 'end' ? this.all.length : this.indexAtOrAfter(fromPosition);
      for (; i < this.all.length && result.length < maxCount; i++) result.push(this.all[i]!);
    } else {
      let i = fromPosition === 'end' ? this.all.length - 1 : fromPosition === 'start' ? -1 : this.indexAtOrAfter(fromPosition) - 1;
      for (; i >= 0 && result.length < maxCount; i--) result.push(this.all[i]!);
    }
    return result;
  }

  /**
   * Soft delete: the stream reads as not found and its events become invisible, but revisions
   * continue if it is written again (the real server's `$tb` behaviour).
   */
  deleteStream(streamId: string, expected: ExpectedRevision = 'any'): DeleteResult {
    return this.remove(streamId, expected, false);
  }

  /** Hard delete: the stream can never be read or written again. */
  tombstoneStream(streamId: string, expected: ExpectedRevision = 'any'): DeleteResult {
    return this.remove(streamId, expected, true);
  }

  /** The position the next committed event will get (greater than every existing position). */
  endPosition(): number {
    return this.nextPosition;
  }

  /** Registers a listener for committed batches; returns the unsubscribe function. */
  onAppended(listener: AppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private remove(streamId: string, expected: ExpectedRevision, tombstone: boolean): DeleteResult {
    this.settleInFlightNow();
    const state = this.stateOf(streamId);
    if (state.tombstoned) return { kind: 'stream-deleted' };
    const current = this.currentRevisionOf(state);
    if (!isExpectedRevisionMet(expected, current)) {
      return { kind: 'wrong-expected-version', currentRevision: current, expected };
    }
    this.journal?.removed(streamId, tombstone);
    this.markRemoved(state, tombstone);
    return { kind: 'success', position: this.lastPosition() };
  }

  private markRemoved(state: StreamState, tombstone: boolean): void {
    state.deleted = true;
    state.tombstoned = tombstone;
    state.metadata = { ...state.metadata, truncateBefore: nextRevisionOf(state) };
  }

  private commit(state: StreamState, recorded: readonly RecordedEvent[]): void {
    const undo = this.saveForUndo(state);
    for (const record of recorded) {
      undo?.ids.push([record.id, state.idToRevision.get(record.id)]);
      state.events.push(record);
      state.idToRevision.set(record.id, record.revision);
      this.all.push(record);
      this.nextPosition = Math.max(this.nextPosition, record.position + sizeOf(record));
    }
    if (recorded.length > 0) state.deleted = false;
    const streamId = recorded[0]?.streamId;
    if (streamId !== undefined) this.applyMetadata(streamId, recorded);
  }

  /** −1 for a stream without events or soft-deleted, as expected-version checks see it. */
  private currentRevisionOf(state: StreamState): number {
    return state.deleted ? -1 : nextRevisionOf(state) - 1;
  }

  private stateOf(streamId: string): StreamState {
    let state = this.streams.get(streamId);
    if (!state) {
      state = { base: 0, events: [], idToRevision: new Map(), metadata: {}, deleted: false, tombstoned: false };
      this.streams.set(streamId, state);
    }
    return state;
  }

  private applyMetadata(streamId: string, recorded: readonly RecordedEvent[]): void {
    const target = streamOfMetadataStream(streamId);
    if (target === undefined) return;
    for (const event of recorded) {
      if (event.type !== METADATA_EVENT_TYPE) continue;
      const state = this.stateOf(target);
      this.saveForUndo(state);
      state.metadata = parseStreamMetadata(event.data);
    }
  }

  private lastPosition(): number {
    return this.all[this.all.length - 1]?.position ?? 0;
  }

  private indexAtOrAfter(position: number): number {
    let lo = 0;
    let hi = this.all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.all[mid]!.position < position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
