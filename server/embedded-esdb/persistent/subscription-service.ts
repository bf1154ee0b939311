import type { Clock } from '../clock';
import type { EventLog } from '../log/event-log';
import type { RecordedEvent } from '../log/recorded-event';
import { PersistentSubscriptionError } from './errors';
import { type AllFilter, toAllFilterPredicate } from './event-source/all-filter';
import { AllSource } from './event-source/all-source';
import type { EventSource } from './event-source/event-source';
import { StreamSource } from './event-source/stream-source';
import type { ConnectionOptions, ConnectionSink, GroupConnection } from './group-connection';
import type { GroupConfig } from './group-config';
import type { GroupInfo } from './group-info';
import { toGroupKey } from './group-key';
import { type GroupSettings, validateGroupSettings } from './settings';
import { type NackAction, SubscriptionGroup } from './subscription-group';

/** A subscriber's handle on its group: ack/nack and detach. Stale after the group reloads. */
export interface GroupSubscription {
  readonly subscriptionId: string;
  ack(ids: readonly string[]): void;
  nack(ids: readonly string[], action: NackAction, reason: string): void;
  /** Idempotent; in-flight messages are retried. */
  close(): void;
}

/** The `$all` pseudo-stream: groups on it see every committed event that passes their filter. */
export const ALL_STREAM = '$all';

export interface SubscriptionServiceOptions {
  /** Groups to load at start (read back from the data log). */
  readonly groups?: readonly GroupConfig[];
  /**
   * Called with the whole configuration before a Create, Update or Delete takes effect; must be
   * durable when it returns. A throw aborts the change.
   */
  readonly saveGroups?: (groups: readonly GroupConfig[]) => void;
}

/**
 * The persistent-subscription subsystem (server `PersistentSubscriptionService`) for stream and `$all` groups:
 * group configuration, live fan-out from the log, the 1 s tick, and restart.
 *
 * Invariant: every configured group has exactly one loaded `SubscriptionGroup`; `topics` keeps a
 * (possibly empty) entry for every stream that had a group since the last (re)start, which is what
 * List-for-stream distinguishes (§4.4).
 */
export class PersistentSubscriptionService {
  private readonly configs = new Map<string, GroupConfig>();
  private readonly groups = new Map<string, SubscriptionGroup>();
  private readonly topics = new Map<string, Set<string>>();
  private readonly unsubscribeLog: () => void;
  private readonly saveGroups: (groups: readonly GroupConfig[]) => void;

  constructor(
    private readonly log: EventLog,
    private readonly clock: Clock,
    options: SubscriptionServiceOptions = {},
  ) {
    this.saveGroups = options.saveGroups ?? (() => undefined);
    for (const config of options.groups ?? []) {
      this.configs.set(toGroupKey(config.stream, config.group), config);
      this.startGroup(config);
    }
    this.unsubscribeLog = log.onAppended((events) => this.onAppended(events));
  }

  /**
   * `stream` is a stream name or `$all`; `filter` applies to `$all` only.
   * @throws PersistentSubscriptionError 'exists' or 'failed' (validation).
   */
  create(stream: string, group: string, settings: GroupSettings, filter?: AllFilter): void {
    this.validate(stream, group, settings);
    const key = toGroupKey(stream, group);
    if (this.configs.has(key)) throw new PersistentSubscriptionError('exists', stream, group);
    const config: GroupConfig = { stream, group, settings, ...(stream === ALL_STREAM && filter ? { filter } : {}) };
    this.saveGroups([...this.configs.values(), config]);
    this.configs.set(key, config);
    this.startGroup(config);
  }

  /**
   * Replaces the group's settings: connected clients are dropped and the new group resumes from
   * the existing checkpoint (§2.6).
   * @throws PersistentSubscriptionError 'does-not-exist' or 'failed'.
   */
  update(stream: string, group: string, settings: GroupSettings): void {
    this.validate(stream, group, settings);
    const key = toGroupKey(stream, group);
    const existing = this.groups.get(key);
    const previous = this.configs.get(key);
    if (!existing || !previous) throw new PersistentSubscriptionError('does-not-exist', stream, group);
    // Update carries no filter: a `$all` group keeps the one it was created with.
    const config = { ...previous, settings };
    this.saveGroups([...this.configs.values()].map((c) => (c === previous ? config : c)));
    existing.shutdown();
    this.configs.set(key, config);
    this.startGroup(config);
  }

  /**
   * Drops clients, deletes the group's checkpoint and parked streams, then forgets the group (the
   * configuration is saved last, so a crash in between leaves a group that restarts from scratch,
   * never a deleted group whose old checkpoint a re-created one would pick up).
   */
  delete(stream: string, group: string): void {
    const existing = this.requireGroup(stream, group);
    existing.shutdown();
    this.log.deleteStream(existing.checkpointStream);
    this.log.deleteStream(existing.parkedStream);
    this.saveGroups([...this.configs.values()].filter((c) => toGroupKey(c.stream, c.group) !== existing.key));
    this.groups.delete(existing.key);
    this.configs.delete(existing.key);
    this.topics.get(stream)?.delete(group);
  }

  getInfo(stream: string, group: string): GroupInfo {
    return this.requireGroup(stream, group).getInfo();
  }

  listAll(): GroupInfo[] {
    return [...this.groups.values()].map((g) => g.getInfo());
  }

  /** @throws PersistentSubscriptionError 'does-not-exist' with an empty group name when no group was ever on the stream. */
  listForStream(stream: string): GroupInfo[] {
    const topic = this.topics.get(stream);
    if (!topic) throw new PersistentSubscriptionError('does-not-exist', stream, '');
    return [...topic].map((group) => this.requireGroup(stream, group).getInfo());
  }

  /** @throws PersistentSubscriptionError 'does-not-exist' or 'maximum-subscribers-reached'. */
  subscribe(stream: string, group: string, options: ConnectionOptions, sink: ConnectionSink): GroupSubscription {
    const target = this.requireGroup(stream, group);
    const connection: GroupConnection = target.connect(options, sink);
    let closed = false;
    return {
      subscriptionId: target.key,
      ack: (ids) => {
        if (!closed) target.ack(ids);
      },
      nack: (ids, action, reason) => {
        if (!closed) target.nack(ids, action, reason);
      },
      close: () => {
        if (closed) return;
        closed = true;
        target.disconnect(connection);
      },
    };
  }

  /**
   * Validates and returns at once; the replay itself runs on a later turn (§3.3 "reply at once").
   * @throws PersistentSubscriptionError 'does-not-exist' or 'failed' (negative stopAt).
   */
  replayParked(stream: string, group: string, stopAt: number | undefined): void {
    const target = this.requireGroup(stream, group);
    if (stopAt !== undefined && stopAt < 0) {
      throw new PersistentSubscriptionError('failed', stream, group, 'Cannot stop replaying parked message at a negative version.');
    }
    setImmediate(() => target.replayParked(stopAt));
  }

  /**
   * Like a leader change (§2.6): every group shuts down (clients dropped) and reloads from its
   * checkpoint, so everything after it is redelivered with retryCount 0. Runs on a later turn so
   * the caller can reply first.
   */
  restartSubsystem(): void {
    setImmediate(() => this.restartNow());
  }

  /** Synchronous restart, for tests and for `restartSubsystem`. */
  restartNow(): void {
    for (const group of this.groups.values()) group.shutdown();
    this.groups.clear();
    this.topics.clear();
    for (const config of this.configs.values()) this.startGroup(config);
  }

  /** The 1 s timer of every group. */
  tick(): void {
    for (const group of [...this.groups.values()]) group.tick();
  }

  /** Shuts every group down (clients dropped) and detaches from the log. */
  stop(): void {
    this.unsubscribeLog();
    for (const group of this.groups.values()) group.shutdown();
    this.groups.clear();
  }

  private startGroup(config: GroupConfig): void {
    const source: EventSource =
      config.stream === ALL_STREAM
        ? new AllSource(this.log, toAllFilterPredicate(config.filter))
        : new StreamSource(this.log, config.stream);
    const group = new SubscriptionGroup({ log: this.log, clock: this.clock, source, group: config.group, settings: config.settings });
    this.groups.set(group.key, group);
    let topic = this.topics.get(config.stream);
    if (!topic) {
      topic = new Set();
      this.topics.set(config.stream, topic);
    }
    topic.add(config.group);
    group.load();
  }

  private requireGroup(stream: string, group: string): SubscriptionGroup {
    const found = this.groups.get(toGroupKey(stream, group));
    if (!found) throw new PersistentSubscriptionError('does-not-exist', stream, group);
    return found;
  }

  private validate(stream: string, group: string, settings: GroupSettings): void {
    if (stream === '') throw new PersistentSubscriptionError('failed', stream, group, 'Bad stream name.');
    if (stream === ALL_STREAM && settings.startFrom > this.log.endPosition()) {
      throw new PersistentSubscriptionError('failed', stream, group, 'The start position is beyond the end of $all.');
    }
    const reason = validateGroupSettings(settings);
    if (reason) throw new PersistentSubscriptionError('failed', stream, group, reason);
  }

  private onAppended(events: readonly RecordedEvent[]): void {
    for (const event of events) {
      this.offer(event.streamId, event);
      this.offer(ALL_STREAM, event);
    }
  }

  private offer(topicName: string, event: RecordedEvent): void {
    const topic = this.topics.get(topicName);
    if (!topic || topic.size === 0) return;
    for (const groupName of [...topic]) {
      const group = this.groups.get(toGroupKey(topicName, groupName));
      if (group?.accepts(event)) group.onEventAppended(event);
    }
  }
}
