import type { PersistentSubscriptionError } from './errors';
import type { GroupMessage, ResolvedEvent } from './group-message';
import { LatencyStatistics } from './latency-statistics';
import { RateMeter } from './rate-meter';

/** One message as the gRPC layer writes it (`ReadResp.ReadEvent`). */
export interface Delivery {
  readonly resolved: ResolvedEvent;
  readonly retryCount: number;
  /** Commit position of the original record. */
  readonly position: number;
}

/** How a group talks back to one subscriber call. Both methods must not throw. */
export interface ConnectionSink {
  deliver(delivery: Delivery): void;
  /** Ends the call with the error; the group has already forgotten the connection. */
  drop(error: PersistentSubscriptionError): void;
}

export interface ConnectionOptions {
  readonly connectionName: string;
  readonly username: string;
  /** `ReadReq.Options.buffer_size`: maximum unacked in-flight messages. */
  readonly bufferSize: number;
}

export interface InFlight {
  readonly message: GroupMessage;
  readonly pushedAt: number;
}

/**
 * One subscriber call attached to a group.
 * Invariant: `inFlight` holds exactly the tracked, unacked messages pushed to this connection, so
 * `availableSlots = bufferSize − inFlight.size` never goes below zero.
 */
export class GroupConnection {
  readonly inFlight = new Map<string, InFlight>();
  readonly rate: RateMeter;
  readonly latency = new LatencyStatistics();

  constructor(
    readonly id: number,
    readonly options: ConnectionOptions,
    readonly sink: ConnectionSink,
    now: number,
  ) {
    this.rate = new RateMeter(now);
  }

  get availableSlots(): number {
    return Math.max(0, this.options.bufferSize - this.inFlight.size);
  }
}
