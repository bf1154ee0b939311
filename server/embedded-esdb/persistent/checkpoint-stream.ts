import type { EventLog } from '../log/event-log';
import { METADATA_EVENT_TYPE } from '../log/recorded-event';
import { metadataStreamOf } from '../log/stream-metadata';
import type { EventSource } from './event-source/event-source';

/** Event types a checkpoint stream may hold (the server's reader accepts both). */
const CHECKPOINT_EVENT_TYPES = new Set(['$SubscriptionCheckpoint', 'SubscriptionCheckpoint']);

/**
 * `$persistentsubscription-<key>-checkpoint` (§2.5): `$SubscriptionCheckpoint` events whose JSON
 * data is a string position (`"41"` or `"C:x/P:y"`); only the newest is ever read.
 */
export class CheckpointStream {
  constructor(
    private readonly log: EventLog,
    private readonly source: EventSource,
    readonly name: string,
    private readonly newId: () => string,
  ) {}

  /** The last checkpointed cursor, or undefined when there is none (or it is unreadable). */
  read(): number | undefined {
    const last = this.log.lastEvent(this.name);
    if (!last || !CHECKPOINT_EVENT_TYPES.has(last.type)) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(last.data).toString('utf8'));
    } catch {
      // A foreign, malformed checkpoint: behave as if there were none, like a fresh group.
      return undefined;
    }
    return typeof parsed === 'string' || typeof parsed === 'number' ? this.source.parsePosition(String(parsed)) : undefined;
  }

  write(cursor: number): void {
    if (this.log.lastRevision(this.name) === -1) {
      // First write: keep only the newest checkpoints, as the server does with `$maxCount: 2`.
      const acl = { $r: '$admins', $w: '$admins', $d: '$admins', $mw: '$admins' };
      this.log.append(metadataStreamOf(this.name), 'any', [
        {
          id: this.newId(),
          type: METADATA_EVENT_TYPE,
          isJson: true,
          data: Buffer.from(JSON.stringify({ $maxCount: 2, $acl: acl })),
          metadata: new Uint8Array(),
        },
      ]);
    }
    this.log.append(this.name, 'any', [
      {
        id: this.newId(),
        type: '$SubscriptionCheckpoint',
        isJson: true,
        data: Buffer.from(JSON.stringify(this.source.formatPosition(cursor))),
        metadata: new Uint8Array(),
      },
    ]);
  }
}
