import type { EventLog } from '../../log/event-log';
import type { RecordedEvent } from '../../log/recorded-event';
import { SourceReadError, type EventSource, type SourcePage } from './event-source';

/** A single stream; cursors are stream revisions. */
export class StreamSource implements EventSource {
  constructor(
    private readonly log: EventLog,
    readonly name: string,
  ) {}

  includes(event: RecordedEvent): boolean {
    return event.streamId === this.name;
  }

  cursorOf(event: RecordedEvent): number {
    return event.revision;
  }

  read(from: number, maxCount: number): SourcePage {
    // A soft-deleted stream reads as "no stream" (nothing yet); a tombstoned one is a read error.
    if (this.log.isTombstoned(this.name)) {
      throw new SourceReadError(`Error reading stream: ${this.name} at event number: ${from}: StreamDeleted`);
    }
    const events = this.log.readStream(this.name, { from, direction: 'forwards', maxCount });
    const last = events[events.length - 1];
    return { events, next: last ? last.revision + 1 : from, isEnd: events.length < maxCount };
  }

  endCursor(): number {
    return this.log.lastRevision(this.name) + 1;
  }

  formatPosition(cursor: number): string {
    return String(cursor);
  }

  parsePosition(text: string): number | undefined {
    const value = Number(text);
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  }
}
