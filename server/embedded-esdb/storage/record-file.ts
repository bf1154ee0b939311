import { closeSync, fdatasync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

/**
 * An append-only file of checksummed records (the framing of the embedded server's data log).
 *
 * Layout: an 8-byte file header `SWESDB\0` + format version, then records of
 *   u32 LE payload length | u32 LE CRC32(payload) | u32 LE CRC32(the first 8 bytes) | payload
 * The header checksum lets a scan tell a real record start from random bytes.
 *
 * Durability: `append` writes one whole record and calls fdatasync before it returns, so a record
 * that was acknowledged survives a process kill and a power loss. Group commit uses `write` (several
 * records, one write, no sync) and then `sync` (one fdatasync off the event loop); the caller
 * acknowledges those records only after `sync` resolved. Only the last write can be torn.
 *
 * Recovery (`scanRecordFile`): a bad record that no valid record follows is a torn tail and is cut
 * off (with a warning); a bad record followed by a valid one is corruption, which fails loudly with
 * its byte offset instead of silently dropping or mis-reading what comes after it.
 */
const FILE_MAGIC = Buffer.from([0x53, 0x57, 0x45, 0x53, 0x44, 0x42, 0x00]);
/**
 * Format versions: 1 = record kinds 1–3 (`log-record.ts`); 2 adds kinds 4–5, which only a
 * compacted file contains. Both load; a version-1 file stays version 1 (nothing but kinds 1–3 is
 * ever appended to it) until compaction rewrites it as version 2. An older server refuses a
 * version-2 file at its header instead of failing on an unknown record.
 */
export const FORMAT_VERSION = 2;
const OLDEST_READABLE_VERSION = 1;
export const fileHeader = (version: number = FORMAT_VERSION) => Buffer.concat([FILE_MAGIC, Buffer.from([version])]);
export const FILE_HEADER = fileHeader();
const RECORD_HEADER = 12;

export interface ScannedRecord {
  readonly offset: number;
  readonly payload: Buffer;
}

export interface ScanResult {
  /** Format version from the header (the current one for an empty or new file). */
  readonly version: number;
  readonly records: ScannedRecord[];
  /** Bytes of the file that hold the header and whole, valid records. */
  readonly validLength: number;
}

export function encodeRecord(payload: Buffer): Buffer {
  const record = Buffer.allocUnsafe(RECORD_HEADER + payload.length);
  record.writeUInt32LE(payload.length, 0);
  record.writeUInt32LE(crc32(payload), 4);
  record.writeUInt32LE(crc32(record.subarray(0, 8)), 8);
  payload.copy(record, RECORD_HEADER);
  return record;
}

/** End offset of the valid record starting at `offset`, or undefined. */
function validRecordEnd(file: Buffer, offset: number): number | undefined {
  if (offset + RECORD_HEADER > file.length) return undefined;
  if (crc32(file.subarray(offset, offset + 8)) !== file.readUInt32LE(offset + 8)) return undefined;
  const end = offset + RECORD_HEADER + file.readUInt32LE(offset);
  if (end > file.length) return undefined;
  return crc32(file.subarray(offset + RECORD_HEADER, end)) === file.readUInt32LE(offset + 4) ? end : undefined;
}

/**
 * Splits a record file's bytes into records.
 * @throws Error naming the file and byte offset when the header is foreign or a record in the
 *   middle is corrupt.
 */
export function scanRecordFile(file: Buffer, name: string, warn: (message: string) => void): ScanResult {
  const magicBytes = Math.min(file.length, FILE_MAGIC.length);
  if (!file.subarray(0, magicBytes).equals(FILE_MAGIC.subarray(0, magicBytes))) {
    throw new Error(`${name} is not an embedded EventStoreDB data log (unknown file header); refusing to use it.`);
  }
  if (file.length < FILE_HEADER.length) {
    if (file.length > 0) warn(`${name}: torn file header (${file.length} bytes) rewritten.`);
    return { version: FORMAT_VERSION, records: [], validLength: 0 };
  }
  const version = file.readUInt8(FILE_MAGIC.length);
  if (version > FORMAT_VERSION || version < OLDEST_READABLE_VERSION) {
    throw new Error(
      `${name} has data log format version ${version}; this server reads versions ${OLDEST_READABLE_VERSION}–${FORMAT_VERSION} ` +
        '(a newer server wrote it); refusing to use it.',
    );
  }
  const records: ScannedRecord[] = [];
  let offset = FILE_HEADER.length;
  while (offset < file.length) {
    const end = validRecordEnd(file, offset);
    if (end === undefined) break;
    records.push({ offset, payload: file.subarray(offset + RECORD_HEADER, end) });
    offset = end;
  }
  if (offset < file.length) {
    for (let probe = offset + 1; probe + RECORD_HEADER <= file.length; probe++) {
      if (validRecordEnd(file, probe) !== undefined) {
        throw new Error(
          `${name}: corrupt record at byte offset ${offset} followed by valid records (at ${probe}); ` +
            'refusing to start. Restore the file from a backup or truncate it at that offset to drop everything after it.',
        );
      }
    }
    warn(`${name}: torn record at byte offset ${offset} (${file.length - offset} bytes at the end) truncated; it was never acknowledged.`);
  }
  return { version, records, validLength: offset };
}

/** The asynchronous fdatasync the writer uses: node's by default, a controllable fake in tests. */
export interface FileSyncer {
  fdatasync(fd: number, callback: (error: NodeJS.ErrnoException | null) => void): void;
}

export const nodeFileSyncer: FileSyncer = { fdatasync: (fd, callback) => fdatasync(fd, callback) };

/** Appends records to an open record file, one fdatasync per `append`, or per `write` + `sync`. */
export class RecordFileWriter {
  private size: number;
  /** Bytes known to be on stable storage; everything after it was written but not synced yet. */
  private syncedSize: number;
  private pendingSyncs = 0;
  private closeWhenIdleRequested = false;
  private closed = false;

  private constructor(
    private readonly fd: number,
    private readonly syncer: FileSyncer,
  ) {
    this.size = fstatSync(fd).size;
    this.syncedSize = this.size;
  }

  /**
   * Reads `path` (creating it when missing), cuts off a torn tail, and opens it for appending.
   * @throws Error from `scanRecordFile` when the file is foreign or corrupt in the middle.
   */
  static open(
    path: string,
    warn: (message: string) => void,
    syncer: FileSyncer = nodeFileSyncer,
  ): { writer: RecordFileWriter; records: ScannedRecord[]; fileSize: number } {
    const fd = openSync(path, 'a+');
    try {
      const { records, validLength } = scanRecordFile(readFileSync(fd), path, warn);
      if (validLength === 0) {
        ftruncateSync(fd, 0);
        writeSync(fd, FILE_HEADER);
        fdatasyncSync(fd);
      } else if (fstatSync(fd).size > validLength) {
        ftruncateSync(fd, validLength);
        fdatasyncSync(fd);
      }
      const writer = new RecordFileWriter(fd, syncer);
      return { writer, records, fileSize: writer.size };
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** Opens a complete record file that was just written and synced (`writeRecordFile`) for appending. */
  static openForAppend(path: string, syncer: FileSyncer = nodeFileSyncer): RecordFileWriter {
    return new RecordFileWriter(openSync(path, 'a'), syncer);
  }

  /** Current file size in bytes (synced or not). */
  get byteLength(): number {
    return this.size;
  }

  /**
   * Writes one record and syncs it. On failure the partial record is cut off again, so a later
   * record cannot follow garbage, and the error is rethrown.
   */
  append(payload: Buffer): void {
    this.write([payload]);
    this.syncNow();
  }

  /**
   * Writes records with one `write` call and no sync (group commit: `sync` follows). On failure
   * the partial bytes are cut off again and the error is rethrown: none of the records was written.
   */
  write(payloads: readonly Buffer[]): void {
    if (this.closed) throw new Error('the data log is closed');
    const bytes = payloads.length === 1 ? encodeRecord(payloads[0]!) : Buffer.concat(payloads.map(encodeRecord));
    try {
      let written = 0;
      while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
    } catch (error) {
      ftruncateSync(this.fd, this.size);
      throw error;
    }
    this.size += bytes.length;
  }

  /**
   * fdatasyncs everything written so far on the thread pool, so the event loop keeps serving
   * requests meanwhile (which then form the next group).
   */
  sync(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the data log is closed'));
    const target = this.size;
    this.pendingSyncs++;
    return new Promise<void>((resolve, reject) => {
      this.syncer.fdatasync(this.fd, (error) => {
        this.pendingSyncs--;
        if (this.closeWhenIdleRequested && this.pendingSyncs === 0) this.close();
        if (error) return reject(error);
        this.syncedSize = Math.max(this.syncedSize, target);
        resolve();
      });
    });
  }

  /**
   * fdatasyncs everything written so far before returning.
   * @throws the sync error; the unsynced bytes are then cut off (they were never acknowledged).
   */
  syncNow(): void {
    if (this.closed) throw new Error('the data log is closed');
    try {
      fdatasyncSync(this.fd);
    } catch (error) {
      this.discardUnsynced();
      throw error;
    }
    this.syncedSize = this.size;
  }

  /** Cuts off what was written since the last successful sync (after that sync failed). */
  discardUnsynced(): void {
    if (this.closed || this.size === this.syncedSize) return;
    ftruncateSync(this.fd, this.syncedSize);
    this.size = this.syncedSize;
  }

  /** True while an asynchronous `sync` has not called back (the file must stay open until then). */
  get syncing(): boolean {
    return this.pendingSyncs > 0;
  }

  /** Closes now, or when the last asynchronous `sync` calls back (the file was replaced meanwhile). */
  closeWhenIdle(): void {
    if (this.pendingSyncs === 0) this.close();
    else this.closeWhenIdleRequested = true;
  }

  /** Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/**
 * Writes a complete record file (header + records) at `path`, replacing any file there, and
 * fdatasyncs it before returning (the first step of compaction: the new file must be whole on disk
 * before it is renamed over the old one). Returns its size in bytes.
 */
export function writeRecordFile(path: string, payloads: readonly Buffer[]): number {
  const fd = openSync(path, 'w');
  try {
    let size = 0;
    const writeAll = (bytes: Buffer) => {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      size += bytes.length;
    };
    writeAll(FILE_HEADER);
    // Chunks of records: one write per ~1 MiB instead of one per record.
    let chunk: Buffer[] = [];
    let chunkBytes = 0;
    for (const payload of payloads) {
      const record = encodeRecord(payload);
      chunk.push(record);
      chunkBytes += record.length;
      if (chunkBytes >= 1 << 20) {
        writeAll(Buffer.concat(chunk));
        chunk = [];
        chunkBytes = 0;
      }
    }
    if (chunk.length > 0) writeAll(Buffer.concat(chunk));
    fdatasyncSync(fd);
    return size;
  } finally {
    closeSync(fd);
  }
}
