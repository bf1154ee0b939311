/**
 * Server-Sent Events wire format (https://html.spec.whatwg.org/multipage/server-sent-events.html).
 * Framework-free: returns strings; the caller encodes to bytes.
 */

/** One frame on the wire: a named event with a JSON payload, or a comment (heartbeat). */
export type SseFrame =
  | { kind: 'event'; event: string; data: unknown; id?: string }
  | { kind: 'comment'; text: string };

const FIELD_BREAK = /\r\n|\r|\n/;

/** `event: <name>\ndata: <json>\n\n`. Multi-line payloads get one `data:` line each. */
export function encodeEvent(event: string, data: unknown, id?: string): string {
  if (FIELD_BREAK.test(event)) throw new Error(`SSE event name must be one line, got ${JSON.stringify(event)}`);
  const json = JSON.stringify(data) ?? 'null';
  const lines = json.split(FIELD_BREAK).map((line) => `data: ${line}\n`);
  const idLine = id === undefined ? '' : `id: ${id.replace(FIELD_BREAK, ' ')}\n`;
  return `${idLine}event: ${event}\n${lines.join('')}\n`;
}

/** `: <text>\n\n` — ignored by EventSource, keeps proxies and idle timeouts from closing the stream. */
export function encodeComment(text: string): string {
  return text
    .split(FIELD_BREAK)
    .map((line) => `: ${line}\n`)
    .join('')
    .concat('\n');
}

export function encodeFrame(frame: SseFrame): string {
  return frame.kind === 'comment' ? encodeComment(frame.text) : encodeEvent(frame.event, frame.data, frame.id);
}
