/** An event as a client proposes it in Streams.Append. */
export interface ProposedEvent {
  /** UUID in string form (lower case). */
  readonly id: string;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: Uint8Array;
  /** Custom (user) metadata bytes; empty when none. */
  readonly metadata: Uint8Array;
}

/**
 * An event committed to the in-memory log.
 * Invariant: `revision` is dense per stream (0, 1, 2, …) and `position` strictly increases across the
 * whole log, so a position identifies one event (commit position = prepare position here).
 */
export interface RecordedEvent extends ProposedEvent {
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  /** .NET ticks (100 ns) since the Unix epoch, which is what the server puts in the `created` metadata. */
  readonly created: bigint;
}

/** Event type of a link event; its data is `"<revision>@<stream>"`. */
export const LINK_EVENT_TYPE = '$>';

/** Event type of a stream metadata event, written to `$$<stream>`. */
export const METADATA_EVENT_TYPE = '$metadata';

const TICKS_PER_MS = 10_000n;
/** Milliseconds to .NET ticks; Date.now() has no sub-millisecond part, so the low digits are zero. */
export function toTicks(ms: number): bigint {
  return BigInt(ms) * TICKS_PER_MS;
}

/** Parses link data `"N@stream"`; undefined when it is not a link to a stream revision. */
export function parseLinkData(data: Uint8Array): { revision: number; streamId: string } | undefined {
  const text = Buffer.from(data).toString('utf8');
  const at = text.indexOf('@');
  if (at <= 0) return undefined;
  const revision = Number(text.slice(0, at));
  if (!Number.isSafeInteger(revision) || revision < 0) return undefined;
  return { revision, streamId: text.slice(at + 1) };
}
