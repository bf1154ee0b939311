import type { EventLog } from '../../log/event-log';
import type { RecordedEvent } from '../../log/recorded-event';
import type { EventSource, SourcePage } from './event-source';

const POSITION = /^C:(-?\d+)\/P:(-?\d+)$/;

/** The whole log; cursors are log positions (commit = prepare here). */
export class AllSource implements EventSource {
  readonly name = '$all';

  constructor(
    private readonly log: EventLog,
    private readonly matches: (event: RecordedEvent) => boolean,
  ) {}

  includes(event: RecordedEvent): boolean {
    return this.matches(event);
  }

  cursorOf(event: RecordedEvent): number {
    return event.position;
  }

  read(from: number, maxCount: number): SourcePage {
    const scanned = this.log.readAll(from, 'forwards', maxCount);
    const last = scanned[scanned.length - 1];
    return {
      events: scanned.filter(this.matches),
      next: last ? last.position + 1 : from,
      isEnd: scanned.length < maxCount,
    };
  }

  endCursor(): number {
    return this.log.endPosition();
  }

  formatPosition(cursor: number): string {
    return `C:${cursor}/P:${cursor}`;
  }

  parsePosition(text: string): number | undefined {
    const match = POSITION.exec(text);
    if (!match) return undefined;
    const commit = Number(match[1]);
    return Number.isSafeInteger(commit) && commit >= 0 ? commit : undefined;
  }
}
