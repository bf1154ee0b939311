import { parseAcl, type StreamAcl } from '../auth/stream-acl';

/** The stream metadata properties the embedded server honours. */
export interface StreamMetadata {
  /** `$tb`: events with a lower revision are invisible to reads. */
  readonly truncateBefore?: number;
  /** `$maxCount`: only the newest N events are visible. */
  readonly maxCount?: number;
  /** `$acl`: who may read, write, delete, read and write metadata (checked in secure mode). */
  readonly acl?: StreamAcl;
}

/** Name of the metadata stream of `streamId`. */
export function metadataStreamOf(streamId: string): string {
  return `$$${streamId}`;
}

/** The stream a `$$…` metadata stream describes, or undefined for an ordinary stream. */
export function streamOfMetadataStream(streamId: string): string | undefined {
  return streamId.startsWith('$$') ? streamId.slice(2) : undefined;
}

/**
 * Parses `$metadata` event data. Unknown properties are ignored, and malformed JSON yields empty
 * metadata, because a real server also accepts arbitrary bytes in a metadata stream.
 */
export function parseStreamMetadata(data: Uint8Array): StreamMetadata {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    // Not JSON: the stream simply has no usable metadata (documented above).
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const record = parsed as Record<string, unknown>;
  const tb = record.$tb;
  const maxCount = record.$maxCount;
  return {
    truncateBefore: typeof tb === 'number' && Number.isFinite(tb) ? tb : undefined,
    maxCount: typeof maxCount === 'number' && Number.isFinite(maxCount) ? maxCount : undefined,
    acl: parseAcl(record.$acl),
  };
}
