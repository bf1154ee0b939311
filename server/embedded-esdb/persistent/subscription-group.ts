import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { EventLog } from '../log/event-log';
import { LINK_EVENT_TYPE, parseLinkData, type RecordedEvent } from '../log/recorded-event';
import { isCheckpointDue } from './checkpoint-policy';
import { CheckpointStream } from './checkpoint-stream';
import type { ConsumerStrategy } from './consumer-strategy/consumer-strategy';
import { createConsumerStrategy } from './consumer-strategy/create-consumer-strategy';
import { PersistentSubscriptionError } from './errors';
import { type ConnectionOptions, type ConnectionSink, GroupConnection } from './group-connection';
import { checkpointStreamOf, parkedStreamOf, toGroupKey } from './group-key';
import { type GroupMessage, type ResolvedEvent, toGroupMessage, toRetried } from './group-message';
import type { GroupInfo } from './group-info';
import { explicitNackReason, retryLimitReason } from './parked-message';
import { ParkedStream } from './parked-stream';
import { RateMeter } from './rate-meter';
import { RetryBuffer } from './retry-buffer';
import { SourceReadError, type EventSource, type SourcePage } from './event-source/event-source';
import { type GroupSettings, START_FROM_END } from './settings';
import { toStatusString } from './group-status';

export type NackAction = 'unknown' | 'park' | 'retry' | 'skip' | 'stop';

/** The server reads history pages through a reader capped at 100 events. */
const MAX_PAGE = 100;

export interface SubscriptionGroupDeps {
  readonly log: EventLog;
  readonly clock: Clock;
  /** The stream (or `$all`) the group reads; its name is the group's stream. */
  readonly source: EventSource;
  readonly group: string;
  readonly settings: GroupSettings;
  readonly newId?: () => string;
}

interface Outstanding {
  readonly message: GroupMessage;
  readonly connection: GroupConnection;
  readonly expiresAt: number;
}

/**
 * One persistent subscription group on a stream (server `PersistentSubscription`), driven by calls:
 * `load` once, then `connect`/`disconnect`, `ack`/`nack`, `onEventAppended` for live events and
 * `tick` every second. Everything is synchronous, so tests drive it with a fake clock.
 *
 * Invariants:
 * - a tracked message is in exactly one place: read buffer, retry buffer, or outstanding (then also
 *   in its connection's in-flight set);
 * - the retry buffer is pushed before the read buffer (§2.2);
 * - retry counts live in memory only; a reload starts again at 0 from the checkpoint (§2.4, §2.6).
 */
export class SubscriptionGroup {
  readonly stream: string;
  readonly group: string;
  readonly key: string;
  readonly settings: GroupSettings;

  private readonly log: EventLog;
  private readonly source: EventSource;
  private readonly clock: Clock;
  private readonly checkpoints: CheckpointStream;
  private readonly parked: ParkedStream;
  private readonly strategy: ConsumerStrategy;
  private readonly connections = new Map<number, GroupConnection>();
  private readonly outstanding = new Map<string, Outstanding>();
  private readonly retryBuffer = new RetryBuffer();
  private readBuffer: GroupMessage[] = [];
  /** Live events seen while catching up; only counted, since history is re-read from the log. */
  private liveBufferCount = 0;
  private readonly rate: RateMeter;

  private loaded = false;
  private live = false;
  private replayingParked = false;
  private shutDown = false;
  /**
   * Set when a history read failed (server `HandleReadError`, esdb-semantics §2.6): every client is
   * dropped, and a client that connects later is dropped at once, until the group is reloaded.
   */
  private faulted = false;
  /** Next cursor to read from history while behind; next expected live cursor while live. */
  private nextCursor = 0;
  private lastKnownCursor: number | undefined;
  private nextConnectionId = 1;

  private nextSequence = 1;
  private lastPushedSequence = 0;
  private lastPushedCursor: number | undefined;
  private lastCheckpointedSequence = 0;
  private lastCheckpointedCursor: number | undefined;
  private lastCheckpointAt: number;

  constructor(deps: SubscriptionGroupDeps) {
    this.source = deps.source;
    this.stream = deps.source.name;
    this.group = deps.group;
    this.key = toGroupKey(this.stream, deps.group);
    this.settings = deps.settings;
    this.log = deps.log;
    this.clock = deps.clock;
    const newId = deps.newId ?? randomUUID;
    this.checkpoints = new CheckpointStream(deps.log, deps.source, checkpointStreamOf(this.stream, deps.group), newId);
    this.parked = new ParkedStream(deps.log, parkedStreamOf(this.stream, deps.group), deps.clock, newId);
    this.strategy = createConsumerStrategy(deps.settings.consumerStrategy);
    this.rate = new RateMeter(deps.clock.now());
    this.lastCheckpointAt = deps.clock.now();
  }

  get checkpointStream(): string {
    return this.checkpoints.name;
  }

  get parkedStream(): string {
    return this.parked.name;
  }

  /** Resumes after the last checkpoint, or from `startFrom` when there is none (§2.1). */
  load(): void {
    const checkpoint = this.checkpoints.read();
    if (checkpoint !== undefined) {
      this.nextCursor = checkpoint + 1;
      this.lastPushedCursor = checkpoint;
      this.lastCheckpointedCursor = checkpoint;
      this.live = false;
    } else if (this.settings.startFrom === START_FROM_END) {
      this.nextCursor = this.source.endCursor();
      this.live = true;
    } else {
      this.nextCursor = this.settings.startFrom;
      this.live = false;
    }
    this.loaded = true;
    this.fillReadBuffer();
  }

  /**
   * Attaches a subscriber call.
   * @throws PersistentSubscriptionError 'maximum-subscribers-reached' (checked only here) or
   *   'dropped' once the group was shut down.
   */
  connect(options: ConnectionOptions, sink: ConnectionSink): GroupConnection {
    if (this.shutDown || this.faulted) throw new PersistentSubscriptionError('dropped', this.stream, this.group);
    const max = this.settings.maxSubscriberCount;
    if (max > 0 && this.connections.size >= max) {
      throw new PersistentSubscriptionError('maximum-subscribers-reached', this.stream, this.group);
    }
    const connection = new GroupConnection(this.nextConnectionId++, options, sink, this.clock.now());
    this.connections.set(connection.id, connection);
    this.strategy.add(connection);
    this.pushToClients();
    return connection;
  }

  /** The call ended: its unacked messages are retried with retryCount+1, without the park check (§2.4). */
  disconnect(connection: GroupConnection): void {
    if (!this.connections.delete(connection.id)) return;
    this.strategy.remove(connection);
    const inFlight = [...connection.inFlight.values()].sort((a, b) => a.message.position - b.message.position);
    connection.inFlight.clear();
    for (const { message } of inFlight) {
      this.outstanding.delete(message.id);
      this.addRetry(toRetried(message));
    }
    this.pushToClients();
  }

  /** Acks are per group: the id is removed wherever it is in flight; unknown ids are ignored. */
  ack(ids: readonly string[]): void {
    const now = this.clock.now();
    for (const id of ids) {
      const entry = this.outstanding.get(id);
      if (!entry) continue;
      const inFlight = entry.connection.inFlight.get(id);
      if (inFlight && this.settings.extraStatistics) entry.connection.latency.record(now - inFlight.pushedAt);
      this.removeOutstanding(id);
    }
    this.afterProcessing();
  }

  nack(ids: readonly string[], action: NackAction, reason: string): void {
    for (const id of ids) {
      const entry = this.outstanding.get(id);
      if (!entry) continue;
      this.removeOutstanding(id);
      switch (action) {
        case 'park':
          this.parked.park(entry.message, explicitNackReason(reason));
          break;
        case 'retry':
        case 'unknown':
          if (!this.parkIfRetriesExhausted(entry.message)) this.addRetry(toRetried(entry.message));
          break;
        case 'skip':
        case 'stop':
          // Stop does nothing on the real server (StopSubscription() is empty): like skip, the message counts as processed.
          break;
      }
    }
    this.afterProcessing();
  }

  /** Whether a committed event belongs to this group's source (stream match, or the `$all` filter). */
  accepts(event: RecordedEvent): boolean {
    return this.source.includes(event);
  }

  /** A live event of this group's source was committed (the caller checked `accepts`). */
  onEventAppended(event: RecordedEvent): void {
    if (!this.loaded || this.shutDown) return;
    const cursor = this.source.cursorOf(event);
    this.noteKnown(cursor);
    if (!this.live) {
      this.liveBufferCount = Math.min(this.settings.liveBufferSize, this.liveBufferCount + 1);
      this.fillReadBuffer();
      this.pushToClients();
      return;
    }
    if (cursor < this.nextCursor) return;
    if (this.readBuffer.length >= this.settings.historyBufferSize) {
      // Too far behind for the live buffer: fall back to paging from this event.
      this.live = false;
      this.nextCursor = cursor;
      this.liveBufferCount = 1;
      return;
    }
    this.readBuffer.push(this.toMessage(event));
    this.nextCursor = cursor + 1;
    this.pushToClients();
  }

  /** The 1 s timer: message timeouts, time-based checkpoints, history paging (§2.1). */
  tick(): void {
    if (!this.loaded || this.shutDown) return;
    const now = this.clock.now();
    const expired = [...this.outstanding.values()]
      .filter((entry) => entry.expiresAt <= now)
      .sort((a, b) => a.message.position - b.message.position);
    for (const { message } of expired) {
      this.removeOutstanding(message.id);
      if (!this.parkIfRetriesExhausted(message)) this.addRetry(toRetried(message));
    }
    this.pushToClients();
    this.tryCheckpoint(true);
    this.fillReadBuffer();
    this.pushToClients();
  }

  /**
   * Moves parked messages back into the retry buffer (§3.3). `stopAt` is an absolute, exclusive
   * parked-stream event number. No-op while another replay runs or when nothing is parked.
   */
  replayParked(stopAt: number | undefined): void {
    if (!this.loaded || this.shutDown || this.replayingParked) return;
    const records = this.parked.readForReplay(stopAt);
    if (records.length === 0) return;
    this.replayingParked = true;
    try {
      let lastReplayed: number | undefined;
      for (const record of records) {
        if (record.revision === stopAt) break;
        lastReplayed = record.revision;
        const target = this.resolveLinkTarget(record);
        if (!target) continue;
        this.retryBuffer.addReplayed(toGroupMessage({ event: target, link: record }, record.position, true));
      }
      if (lastReplayed !== undefined) this.parked.truncateBefore(lastReplayed + 1);
    } finally {
      this.replayingParked = false;
    }
    this.pushToClients();
  }

  /** Drops every connection with `persistent-subscription-dropped`; the group takes no more calls. */
  shutdown(): void {
    if (this.shutDown) return;
    this.shutDown = true;
    this.dropAll();
  }

  /** A non-recoverable read error: drop every client; later clients are dropped on connect. */
  private fault(): void {
    this.faulted = true;
    this.dropAll();
  }

  private dropAll(): void {
    const connections = [...this.connections.values()];
    this.connections.clear();
    for (const connection of connections) {
      this.strategy.remove(connection);
      connection.sink.drop(new PersistentSubscriptionError('dropped', this.stream, this.group));
    }
  }

  /** Parked count = last parked event number − truncate-before + 1 (§3.2). */
  parkedMessageCount(): number {
    return this.parked.count();
  }

  /** A snapshot for GetInfo/List; starts a new rate-measurement window (§5). */
  getInfo(): GroupInfo {
    const now = this.clock.now();
    const measured = this.rate.measure(now);
    const format = (cursor: number | undefined) => (cursor === undefined ? '' : this.source.formatPosition(cursor));
    const startFrom = this.settings.startFrom;
    return {
      stream: this.stream,
      group: this.group,
      status: toStatusString({ loaded: this.loaded, live: this.live, replayingParked: this.replayingParked }),
      settings: this.settings,
      startFrom: startFrom === START_FROM_END ? this.source.formatPosition(-1) : this.source.formatPosition(startFrom),
      connections: [...this.connections.values()].map((connection) => {
        const connectionRate = connection.rate.measure(now);
        return {
          connectionName: connection.options.connectionName,
          username: connection.options.username,
          averageItemsPerSecond: connectionRate.averagePerSecond,
          totalItems: connection.rate.totalItems,
          countSinceLastMeasurement: connectionRate.countSinceLastMeasurement,
          observedMeasurements: this.settings.extraStatistics ? connection.latency.measurements() : [],
          availableSlots: connection.availableSlots,
          inFlightMessages: connection.inFlight.size,
        };
      }),
      averagePerSecond: measured.averagePerSecond,
      totalItems: this.rate.totalItems,
      countSinceLastMeasurement: measured.countSinceLastMeasurement,
      lastCheckpointedPosition: format(this.lastCheckpointedCursor),
      lastKnownPosition: format(this.lastKnownCursor),
      readBufferCount: this.readBuffer.length,
      liveBufferCount: this.liveBufferCount,
      retryBufferCount: this.retryBuffer.size,
      totalInFlightMessages: [...this.connections.values()].reduce((sum, c) => sum + c.inFlight.size, 0),
      outstandingMessagesCount: this.outstanding.size,
      parkedMessageCount: this.parkedMessageCount(),
    };
  }

  private afterProcessing(): void {
    this.tryCheckpoint(false);
    this.fillReadBuffer();
    this.pushToClients();
  }

  private removeOutstanding(id: string): void {
    const entry = this.outstanding.get(id);
    if (!entry) return;
    this.outstanding.delete(id);
    entry.connection.inFlight.delete(id);
  }

  private addRetry(message: GroupMessage): void {
    if (message.replayed) this.retryBuffer.addReplayed(message);
    else this.retryBuffer.addRetry(message);
  }

  /** Parks instead of retrying once `maxRetryCount` is reached (server `ActionTakenForRetriedMessage`). */
  private parkIfRetriesExhausted(message: GroupMessage): boolean {
    if (message.retryCount < this.settings.maxRetryCount) return false;
    this.parked.park(message, retryLimitReason(this.settings.maxRetryCount));
    return true;
  }

  /** Reads history pages while behind and the buffers have room for a page; switches to live at the end. */
  private fillReadBuffer(): void {
    const pageSize = Math.min(this.settings.readBatchSize, MAX_PAGE);
    while (!this.live && !this.shutDown) {
      const buffered = this.readBuffer.length + this.retryBuffer.size;
      if (this.settings.historyBufferSize - buffered <= this.settings.readBatchSize) return;
      let page: SourcePage;
      try {
        page = this.source.read(this.nextCursor, pageSize);
      } catch (error) {
        if (!(error instanceof SourceReadError)) throw error;
        this.fault();
        return;
      }
      for (const event of page.events) {
        this.readBuffer.push(this.toMessage(event));
        this.noteKnown(this.source.cursorOf(event));
      }
      this.nextCursor = page.next;
      if (page.isEnd) {
        this.nextCursor = Math.max(this.nextCursor, this.source.endCursor());
        this.live = true;
        this.liveBufferCount = 0;
      }
    }
  }

  /** Pushes retries first, then new messages, while the strategy finds a connection with room. */
  private pushToClients(): void {
    if (this.connections.size === 0 || this.shutDown) return;
    if (this.retryBuffer.size > 0) {
      const { sent, full } = this.pushFrom(this.retryBuffer.values());
      if (sent.size > 0) this.retryBuffer.retain((m) => !sent.has(m));
      if (full) return;
    }
    for (;;) {
      const { sent, full } = this.pushFrom(this.readBuffer);
      if (sent.size > 0) this.readBuffer = this.readBuffer.filter((m) => !sent.has(m));
      if (full) return;
      const before = this.readBuffer.length;
      this.fillReadBuffer();
      if (this.readBuffer.length === before) return;
    }
  }

  private pushFrom(messages: readonly GroupMessage[]): { sent: Set<GroupMessage>; full: boolean } {
    const sent = new Set<GroupMessage>();
    for (const message of messages) {
      const choice = this.strategy.select(message);
      if (choice === 'no-capacity') return { sent, full: true };
      if (choice === 'skipped') continue;
      this.deliver(message, choice);
      sent.add(message);
    }
    return { sent, full: false };
  }

  private deliver(message: GroupMessage, connection: GroupConnection): void {
    const now = this.clock.now();
    if (message.sequence === undefined && !message.replayed) {
      message.sequence = this.nextSequence++;
      message.previousCursor = this.lastPushedCursor;
      this.lastPushedSequence = message.sequence;
      this.lastPushedCursor = message.cursor;
    }
    // A second message with an id already outstanding is pushed but not tracked (server warns "duplicate eventId").
    if (!this.outstanding.has(message.id)) {
      this.outstanding.set(message.id, { message, connection, expiresAt: now + this.settings.messageTimeoutMs });
      connection.inFlight.set(message.id, { message, pushedAt: now });
    }
    this.rate.increment();
    connection.rate.increment();
    connection.sink.deliver({ resolved: message.resolved, retryCount: message.retryCount, position: message.position });
  }

  /** Checkpoints the contiguous processed prefix (§2.5); replayed parked messages do not count. */
  private tryCheckpoint(isTimeCheck: boolean): void {
    let lowest: GroupMessage | undefined;
    const consider = (message: GroupMessage) => {
      if (message.replayed || message.sequence === undefined) return;
      if (!lowest || message.sequence < lowest.sequence!) lowest = message;
    };
    for (const { message } of this.outstanding.values()) consider(message);
    for (const message of this.retryBuffer.values()) consider(message);
    const candidate = lowest
      ? { sequence: lowest.sequence! - 1, cursor: lowest.previousCursor }
      : { sequence: this.lastPushedSequence, cursor: this.lastPushedCursor };
    if (candidate.cursor === undefined) return;
    const now = this.clock.now();
    const state = { lastCheckpointedSequence: this.lastCheckpointedSequence, lastCheckpointAt: this.lastCheckpointAt };
    if (!isCheckpointDue({ sequence: candidate.sequence, cursor: candidate.cursor }, state, this.settings, now, isTimeCheck)) {
      return;
    }
    this.checkpoints.write(candidate.cursor);
    this.lastCheckpointedSequence = candidate.sequence;
    this.lastCheckpointedCursor = candidate.cursor;
    this.lastCheckpointAt = now;
  }

  private toMessage(event: RecordedEvent): GroupMessage {
    const cursor = this.source.cursorOf(event);
    if (!this.settings.resolveLinkTos || event.type !== LINK_EVENT_TYPE) return toGroupMessage({ event }, cursor);
    const target = this.resolveLinkTarget(event);
    const resolved: ResolvedEvent = target ? { event: target, link: event } : { link: event };
    return toGroupMessage(resolved, cursor);
  }

  private resolveLinkTarget(link: RecordedEvent): RecordedEvent | undefined {
    const pointer = parseLinkData(link.data);
    return pointer ? this.log.readEvent(pointer.streamId, pointer.revision) : undefined;
  }

  private noteKnown(cursor: number): void {
    if (this.lastKnownCursor === undefined || cursor > this.lastKnownCursor) this.lastKnownCursor = cursor;
  }
}
