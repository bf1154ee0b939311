import { describe, expect, it } from 'vitest';
import { toReplayCount } from './parked-messages';
import { MAX_PARKED_TEXT_CHARS, toParkedMessage, toParkedText, type ParkedRecordLike } from './to-parked-message';

const PARKED_STREAM = '$persistentsubscription-orders::billing-parked';

function record(fields: Partial<ParkedRecordLike>): ParkedRecordLike {
  return { id: 'id', streamId: 'orders', revision: 0n, type: 'T', data: {}, ...fields };
}

const link = record({
  id: 'link-id',
  streamId: PARKED_STREAM,
  revision: 7n,
  type: '$>',
  data: new TextEncoder().encode('42@orders'),
  metadata: { added: '2026-12-03T18:00:00.1234567+00:00', reason: "Client explicitly NAK'ed message.\nbad", subscriptionEventNumber: 42 },
});

describe('toParkedText', () => {
  it('pretty-prints JSON with two spaces', () => {
    expect(toParkedText({ a: [1, { b: '<img>' }] })).toEqual({ text: '{\n  "a": [\n    1,\n    {\n      "b": "<img>"\n    }\n  ]\n}', encoding: 'json' });
  });

  it('encodes binary bytes as base64 and empty bytes as nothing', () => {
    expect(toParkedText(Uint8Array.from([0, 1, 2, 255]))).toEqual({ text: 'AAEC/w==', encoding: 'base64' });
    expect(toParkedText(new Uint8Array())).toEqual({ text: '', encoding: 'none' });
    expect(toParkedText(undefined)).toEqual({ text: '', encoding: 'none' });
  });

  it('keeps the raw text of a JSON event whose body does not parse', () => {
    expect(toParkedText('{not json')).toEqual({ text: '{not json', encoding: 'text' });
  });

  it('cuts very long text and says how long it was', () => {
    const { text } = toParkedText('x'.repeat(MAX_PARKED_TEXT_CHARS + 10));
    expect(text.startsWith('x'.repeat(MAX_PARKED_TEXT_CHARS))).toBe(true);
    expect(text.endsWith(`\n… truncated: ${MAX_PARKED_TEXT_CHARS + 10} characters in total`)).toBe(true);
  });
});

describe('toParkedMessage', () => {
  it('takes position, reason and time from the parked link and the rest from the original event', () => {
    const event = record({ id: 'e-1', streamId: 'orders', revision: 42n, type: 'OrderPlaced', data: { n: 1 }, metadata: { source: 's' } });
    expect(toParkedMessage({ link, event })).toEqual({
      parkedEventNumber: 7,
      eventId: 'e-1',
      stream: 'orders',
      revision: '42',
      type: 'OrderPlaced',
      data: '{\n  "n": 1\n}',
      dataEncoding: 'json',
      metadata: '{\n  "source": "s"\n}',
      metadataEncoding: 'json',
      reason: "Client explicitly NAK'ed message.\nbad",
      parkedAt: '2026-12-03T18:00:00.1234567+00:00',
    });
  });

  it('reads stream@revision from the link data when the original event is gone', () => {
    expect(toParkedMessage({ link })).toMatchObject({ eventId: null, type: null, stream: 'orders', revision: '42', data: '', dataEncoding: 'none' });
    // A server that did not resolve the link hands the `$>` record over as the event.
    expect(toParkedMessage({ event: link })).toMatchObject({ parkedEventNumber: 7, eventId: null, stream: 'orders', revision: '42' });
  });

  it('keeps a stream name containing @ whole', () => {
    const odd = { ...link, data: new TextEncoder().encode('3@user@example') };
    expect(toParkedMessage({ link: odd })).toMatchObject({ stream: 'user@example', revision: '3' });
  });

  it('leaves reason empty and time null when the link has no parked metadata', () => {
    expect(toParkedMessage({ link: { ...link, metadata: undefined } })).toMatchObject({ reason: '', parkedAt: null });
    expect(toParkedMessage({})).toBeNull();
  });
});

describe('toReplayCount', () => {
  it('counts the visible messages before stopAt (absolute, exclusive)', () => {
    const fresh = { first: 0, end: 9, total: 10 };
    expect(toReplayCount(fresh, undefined)).toBe(10);
    expect(toReplayCount(fresh, 4)).toBe(4);
    expect(toReplayCount(fresh, 0)).toBe(0);
    expect(toReplayCount(fresh, 100)).toBe(10);
    const truncated = { first: 6, end: 9, total: 4 };
    expect(toReplayCount(truncated, 8)).toBe(2);
    expect(toReplayCount(truncated, 3)).toBe(0);
    expect(toReplayCount({ first: 0, end: -1, total: 0 }, undefined)).toBe(0);
  });
});
