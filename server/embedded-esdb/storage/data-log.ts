import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { EventLog, LogJournal } from '../log/event-log';
import type { GroupConfig } from '../persistent/group-config';
import { decodeLogRecord, encodeLogRecord } from './log-record';
import { type FileSyncer, RecordFileWriter, type ScannedRecord } from './record-file';

/** File name of the data log inside the data directory. */
export const DATA_LOG_FILE = 'embedded-esdb.log';

/**
 * The embedded server's durable state: one append-only file of checksummed records
 * (`record-file.ts` framing, `log-record.ts` payloads) in the data directory.
 *
 * - Write path: every committed change (append batch, delete/tombstone, group configuration) is
 *   written and fdatasync'ed *before* it becomes visible in memory or is acknowledged. gRPC appends
 *   use group commit (`EventLog.appendDurable`): appends that arrive while an fsync runs are
 *   written together with one write and covered by one fsync; internal changes (checkpoints,
 *   parking, deletes, group configuration) sync on their own. See README for measured throughput.
 * - Start: the whole file is read and replayed into the in-memory `EventLog`, so memory holds every
 *   event, as the in-memory server does (v0: no paging from disk, no compaction; checkpoint and
 *   parked streams grow on disk although reads honour `$maxCount`/`$tb`).
 * - One process per data directory (not enforced by a lock).
 */
export class DataLog {
  private pending: ScannedRecord[] | undefined;

  private constructor(
    private readonly writer: RecordFileWriter,
    records: ScannedRecord[],
    readonly file: string,
  ) {
    this.pending = records;
  }

  /**
   * Opens (or creates) the data log in `dataDir`, cutting off a torn tail with a warning.
   * @throws Error with the byte offset when a record in the middle is corrupt.
   */
  static open(dataDir: string, warn: (message: string) => void, syncer?: FileSyncer): DataLog {
    mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, DATA_LOG_FILE);
    const { writer, records } = RecordFileWriter.open(file, warn, syncer);
    return new DataLog(writer, records, file);
  }

  /** Journal for `new EventLog(clock, journal)`, with group commit for `EventLog.appendDurable`. */
  readonly journal: LogJournal = {
    appended: (streamId, events) => this.writer.append(encodeLogRecord({ kind: 'append', streamId, events })),
    removed: (streamId, tombstone) => this.writer.append(encodeLogRecord({ kind: 'remove', streamId, tombstone })),
    group: {
      write: (batches) => this.writer.write(batches.map((events) => encodeLogRecord({ kind: 'append', streamId: events[0]!.streamId, events }))),
      sync: () => this.writer.sync(),
      syncNow: () => this.writer.syncNow(),
      discardUnsynced: () => this.writer.discardUnsynced(),
    },
  };

  /**
   * Replays the file into `log` (once, before anything else touches it) and returns the last saved
   * group configuration.
   * @throws Error with the byte offset of a record that cannot be decoded or applied.
   */
  restoreInto(log: EventLog): GroupConfig[] {
    const records = this.pending;
    if (!records) throw new Error('the data log was already restored');
    this.pending = undefined;
    let groups: readonly GroupConfig[] = [];
    for (const { offset, payload } of records) {
      try {
        const record = decodeLogRecord(payload);
        if (record.kind === 'append') log.restoreAppended(record.streamId, record.events);
        else if (record.kind === 'remove') log.restoreRemoved(record.streamId, record.tombstone);
        else groups = record.groups;
      } catch (error) {
        throw new Error(`${this.file}: cannot apply the record at byte offset ${offset}: ${(error as Error).message}`, { cause: error });
      }
    }
    return [...groups];
  }

  saveGroups(groups: readonly GroupConfig[]): void {
    this.writer.append(encodeLogRecord({ kind: 'groups', groups }));
  }

  /** Idempotent; later writes throw. */
  close(): void {
    this.writer.close();
  }
}
