import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { encodeRecord, FILE_HEADER, fileHeader, RecordFileWriter, scanRecordFile } from './record-file';

const payloads = [Buffer.from('first'), Buffer.from('second record'), Buffer.from('third')];
const fileOf = (...parts: Buffer[]) => Buffer.concat([FILE_HEADER, ...parts]);

function scan(file: Buffer) {
  const warnings: string[] = [];
  const result = scanRecordFile(file, 'test.log', (message) => warnings.push(message));
  return { ...result, payloads: result.records.map((r) => r.payload.toString()), warnings };
}

describe('record file scan', () => {
  test('reads every whole record back in order without warnings', () => {
    const file = fileOf(...payloads.map(encodeRecord));
    const result = scan(file);
    expect(result.payloads).toEqual(['first', 'second record', 'third']);
    expect(result.validLength).toBe(file.length);
    expect(result.warnings).toEqual([]);
  });

  test.each([
    ['a partial record header', 5],
    ['a partial payload', 14],
  ])('cuts off a torn tail with %s and warns with its offset', (_, keep) => {
    const whole = fileOf(encodeRecord(payloads[0]!));
    const result = scan(Buffer.concat([whole, encodeRecord(payloads[1]!).subarray(0, keep)]));
    expect(result.payloads).toEqual(['first']);
    expect(result.validLength).toBe(whole.length);
    expect(result.warnings).toEqual([expect.stringContaining(`torn record at byte offset ${whole.length}`)]);
  });

  test('cuts off a zero-filled tail (a size extended without data)', () => {
    const whole = fileOf(encodeRecord(payloads[0]!));
    const result = scan(Buffer.concat([whole, Buffer.alloc(40)]));
    expect(result.payloads).toEqual(['first']);
    expect(result.validLength).toBe(whole.length);
  });

  test('refuses a corrupt record that valid records follow, naming its offset', () => {
    const records = payloads.map(encodeRecord);
    const file = fileOf(...records);
    const second = FILE_HEADER.length + records[0]!.length;
    file[second + 12 + 2]! ^= 0x01;
    expect(() => scan(file)).toThrow(`corrupt record at byte offset ${second} `);
  });

  test('refuses a record whose length field is corrupt instead of treating the rest as a torn tail', () => {
    const records = payloads.map(encodeRecord);
    const file = fileOf(...records);
    file.writeUInt32LE(1_000_000, FILE_HEADER.length);
    expect(() => scan(file)).toThrow(`corrupt record at byte offset ${FILE_HEADER.length} `);
  });

  test('refuses a file with a foreign header', () => {
    expect(() => scan(Buffer.from('SQLite format 3\0'))).toThrow('unknown file header');
  });

  test('treats an empty file or a torn file header as an empty log', () => {
    expect(scan(Buffer.alloc(0)).validLength).toBe(0);
    expect(scan(FILE_HEADER.subarray(0, 3)).validLength).toBe(0);
  });

  test('reads a format-version-1 log (written before compaction existed) like a current one', () => {
    const result = scan(Buffer.concat([fileHeader(1), ...payloads.map(encodeRecord)]));
    expect(result.version).toBe(1);
    expect(result.payloads).toEqual(['first', 'second record', 'third']);
  });

  test('a new log file starts with the header of format version 2', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'record-file-'));
    try {
      const file = path.join(dir, 'new.log');
      RecordFileWriter.open(file, () => undefined).writer.close();
      expect(readFileSync(file)).toEqual(Buffer.from('SWESDB\0\x02', 'latin1'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('refuses a log of a newer format version with a message naming both versions', () => {
    expect(() => scan(Buffer.concat([fileHeader(3), encodeRecord(payloads[0]!)]))).toThrow(
      'test.log has data log format version 3; this server reads versions 1–2 (a newer server wrote it); refusing to use it.',
    );
  });
});
