import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { EventLog, LogJournal, LogSnapshot } from '../log/event-log';
import type { RecordedEvent } from '../log/recorded-event';
import type { GroupConfig } from '../persistent/group-config';
import { decodeLogRecord, encodeLogRecord } from './log-record';
import { type FileSyncer, RecordFileWriter, type ScannedRecord, writeRecordFile } from './record-file';

/** File name of the data log inside the data directory. */
export const DATA_LOG_FILE = 'embedded-esdb.log';
/** The compacted file while it is written; left over only by a crash before its rename. */
export const COMPACTING_FILE = `${DATA_LOG_FILE}.compact`;

export interface CompactionOptions {
  /** No compaction below this log size in bytes. Default 64 MiB. */
  readonly minBytes?: number;
  /**
   * Test seam: called after each crash-relevant step of a compaction (`written`: the new file is
   * complete and synced; `renamed`: it replaced the old one). A throw stops there, like a crash.
   */
  readonly afterStep?: (step: 'written' | 'renamed') => void;
}

export interface CompactionResult {
  readonly bytesBefore: number;
  readonly bytesAfter: number;
}

/** Writing the compacted file failed (e.g. disk full): the old log stays in use, nothing changed. */
export class CompactionSkippedError extends Error {
  constructor(cause: unknown) {
    super(`compaction skipped, the log is unchanged: ${(cause as Error).message}`, { cause });
  }
}

const DEFAULT_COMPACTION_MIN_BYTES = 64 * 1024 * 1024;

/**
 * The records of a compacted file: every stream's first kept revision, the kept events in `$all`
 * order (one append record per run of one stream's events with one timestamp, so `created` is
 * kept), every stream's flags and metadata, and the group configuration.
 */
function compactedRecords(snapshot: LogSnapshot, groups: readonly GroupConfig[] | undefined): Buffer[] {
  const payloads: Buffer[] = [];
  for (const stream of snapshot.streams) {
    if (stream.base > 0) payloads.push(encodeLogRecord({ kind: 'base', streamId: stream.streamId, base: stream.base, endPosition: snapshot.endPosition }));
  }
  let run: RecordedEvent[] = [];
  const flush = () => {
    if (run.length > 0) payloads.push(encodeLogRecord({ kind: 'append', streamId: run[0]!.streamId, events: run }));
    run = [];
  };
  for (const event of snapshot.events) {
    const first = run[0];
    if (first && (first.streamId !== event.streamId || first.created !== event.created)) flush();
    run.push(event);
  }
  flush();
  for (const stream of snapshot.streams) {
    if (stream.deleted || stream.tombstoned || Object.keys(stream.metadata).some((key) => stream.metadata[key as keyof typeof stream.metadata] !== undefined)) {
      payloads.push(encodeLogRecord({ kind: 'stream-state', stream }));
    }
  }
  if (groups) payloads.push(encodeLogRecord({ kind: 'groups', groups }));
  return payloads;
}

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
 *   live event, as the in-memory server does (no paging from disk).
 * - Compaction (`maybeCompact`, at start and from the server's tick): when the file reaches
 *   `minBytes` and twice its size after the last compaction (at start: when less than half of the
 *   events in it are still visible), the live state is written to `embedded-esdb.log.compact`,
 *   fdatasynced, renamed over the log, and the directory fsynced; then appends go to the new file
 *   and memory drops what the file dropped. A crash before the rename leaves the old file (the
 *   leftover is removed at the next start); after it, the new file is complete.
 * - One process per data directory (not enforced by a lock).
 */
export class DataLog {
  private pending: ScannedRecord[] | undefined;
  private groups: readonly GroupConfig[] | undefined;
  private restoredEvents = 0;
  /** Size right after the last compaction (or the estimated live size at start). */
  private liveBytes = 0;
  private readonly minBytes: number;

  private constructor(
    private writer: RecordFileWriter,
    records: ScannedRecord[],
    readonly file: string,
    private readonly dataDir: string,
    private readonly syncer: FileSyncer | undefined,
    private readonly compaction: CompactionOptions,
  ) {
    this.pending = records;
    this.minBytes = compaction.minBytes ?? DEFAULT_COMPACTION_MIN_BYTES;
  }

  /** Current size of the log file in bytes. */
  get byteLength(): number {
    return this.writer.byteLength;
  }

  /**
   * Opens (or creates) the data log in `dataDir`, cutting off a torn tail with a warning.
   * @throws Error with the byte offset when a record in the middle is corrupt.
   */
  static open(dataDir: string, warn: (message: string) => void, syncer?: FileSyncer, compaction: CompactionOptions = {}): DataLog {
    mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, DATA_LOG_FILE);
    // A compaction that crashed before its rename: the log itself is the complete old state.
    rmSync(path.join(dataDir, COMPACTING_FILE), { force: true });
    const { writer, records } = RecordFileWriter.open(file, warn, syncer);
    return new DataLog(writer, records, file, dataDir, syncer, compaction);
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
        if (record.kind === 'append') {
          log.restoreAppended(record.streamId, record.events);
          this.restoredEvents += record.events.length;
        } else if (record.kind === 'remove') log.restoreRemoved(record.streamId, record.tombstone);
        else if (record.kind === 'groups') groups = record.groups;
        else if (record.kind === 'base') log.restoreBase(record.streamId, record.base, record.endPosition);
        else log.restoreStreamState(record.stream);
      } catch (error) {
        throw new Error(`${this.file}: cannot apply the record at byte offset ${offset}: ${(error as Error).message}`, { cause: error });
      }
    }
    this.groups = groups;
    return [...groups];
  }

  saveGroups(groups: readonly GroupConfig[]): void {
    this.writer.append(encodeLogRecord({ kind: 'groups', groups }));
    this.groups = groups;
  }

  /**
   * Compacts when due (see the class comment): at start (`atStart`, right after `restoreInto`)
   * when the file holds at least `minBytes` and less than half of its events are visible; later
   * when the file reached `minBytes` and twice its live size.
   * @throws CompactionSkippedError when writing the new file fails (the old file stays in use
   *   unchanged); any other error means the rename or the switch to the new file failed, after
   *   which durability is unknown and the server must stop.
   */
  maybeCompact(log: EventLog, atStart = false): CompactionResult | undefined {
    const size = this.writer.byteLength;
    if (size < this.minBytes) {
      if (atStart) this.liveBytes = size;
      return undefined;
    }
    if (atStart) {
      const snapshot = log.snapshot();
      if (this.restoredEvents > 0 && snapshot.events.length * 2 > this.restoredEvents) {
        this.liveBytes = Math.round((size * snapshot.events.length) / this.restoredEvents);
        return undefined;
      }
      return this.compactTo(log, snapshot);
    }
    if (size < 2 * this.liveBytes) return undefined;
    return this.compact(log);
  }

  /** Rewrites the log with only its live state, crash-safely (class comment). */
  compact(log: EventLog): CompactionResult {
    return this.compactTo(log, log.snapshot());
  }

  private compactTo(log: EventLog, snapshot: LogSnapshot): CompactionResult {
    const bytesBefore = this.writer.byteLength;
    const temporary = path.join(this.dataDir, COMPACTING_FILE);
    let bytesAfter: number;
    try {
      bytesAfter = writeRecordFile(temporary, compactedRecords(snapshot, this.groups));
    } catch (error) {
      rmSync(temporary, { force: true });
      throw new CompactionSkippedError(error);
    }
    this.compaction.afterStep?.('written');
    renameSync(temporary, this.file);
    this.compaction.afterStep?.('renamed');
    // The rename itself must be durable before anything is appended to the new file.
    const directory = openSync(this.dataDir, 'r');
    try {
      fsyncSync(directory);
    } finally {
      closeSync(directory);
    }
    const previous = this.writer;
    this.writer = RecordFileWriter.openForAppend(this.file, this.syncer);
    // A group's asynchronous fdatasync may still run on the old descriptor (its data is applied
    // already: `snapshot` synced it), so the old file is closed only after it called back.
    previous.closeWhenIdle();
    log.prune();
    this.liveBytes = bytesAfter;
    return { bytesBefore, bytesAfter };
  }

  /** Idempotent; later writes throw. */
  close(): void {
    this.writer.close();
  }
}
