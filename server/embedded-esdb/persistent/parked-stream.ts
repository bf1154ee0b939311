import type { Clock } from '../clock';
import type { EventLog } from '../log/event-log';
import { METADATA_EVENT_TYPE, type RecordedEvent } from '../log/recorded-event';
import { metadataStreamOf } from '../log/stream-metadata';
import type { GroupMessage } from './group-message';
import { toParkedRecord } from './parked-message';

/**
 * `$persistentsubscription-<key>-parked` (§3.2, §3.3): parked `$>` records; a replay hides the
 * replayed ones by raising the stream's `$tb`.
 */
export class ParkedStream {
  constructor(
    private readonly log: EventLog,
    readonly name: string,
    private readonly clock: Clock,
    private readonly newId: () => string,
  ) {}

  park(message: GroupMessage, reason: string): void {
    this.log.append(this.name, 'any', [toParkedRecord(message, reason, this.newId(), new Date(this.clock.now()))]);
  }

  /** last parked event number − truncate-before + 1, or 0. */
  count(): number {
    return Math.max(0, this.log.lastRevision(this.name) - this.log.firstVisibleRevision(this.name) + 1);
  }

  /**
   * The visible parked records a replay with `stopAt` (absolute, exclusive event number) covers:
   * those before `min(stopAt, end + 1)`, stopping at the record numbered `stopAt`.
   */
  readForReplay(stopAt: number | undefined): RecordedEvent[] {
    const end = this.log.lastRevision(this.name);
    const first = this.log.firstVisibleRevision(this.name);
    if (end < first) return [];
    const stopRead = stopAt === undefined ? end + 1 : Math.min(stopAt, end + 1);
    return this.log.readStream(this.name, { from: first, direction: 'forwards', maxCount: Math.max(0, stopRead - first) });
  }

  /** Writes `$tb` into the parked stream's metadata, keeping its other properties. */
  truncateBefore(eventNumber: number): void {
    const current = this.log.metadataOf(this.name);
    const metadata: Record<string, number> = { $tb: eventNumber };
    if (current.maxCount !== undefined) metadata.$maxCount = current.maxCount;
    this.log.append(metadataStreamOf(this.name), 'any', [
      { id: this.newId(), type: METADATA_EVENT_TYPE, isJson: true, data: Buffer.from(JSON.stringify(metadata)), metadata: new Uint8Array() },
    ]);
  }
}
