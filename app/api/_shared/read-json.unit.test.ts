import { describe, expect, it } from 'vitest';

import { MAX_BODY_BYTES, readJson } from './respond';

const post = (body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new Request('http://127.0.0.1/api/x', { method: 'POST', body, headers });

describe('readJson (request bodies)', () => {
  it('parses a JSON body sent as application/json, charset and +json variants included', async () => {
    expect(await readJson(post('{"stopAt":3}'))).toEqual({ stopAt: 3 });
    expect(await readJson(post('{"a":1}', { 'content-type': 'application/json; charset=utf-8' }))).toEqual({ a: 1 });
    expect(await readJson(post('{"a":1}', { 'content-type': 'application/merge-patch+json' }))).toEqual({ a: 1 });
  });

  it('refuses a body declared larger than 64 KiB with PAYLOAD_TOO_LARGE before reading it', async () => {
    let pulled = false;
    const unread = new ReadableStream<Uint8Array>(
      {
        pull() {
          pulled = true;
          throw new Error('the body must not be read');
        },
      },
      { highWaterMark: 0 },
    );
    const request = new Request('http://127.0.0.1/api/x', {
      method: 'POST',
      body: unread,
      headers: { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) },
      duplex: 'half',
    } as RequestInit);
    await expect(readJson(request)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: 'request body larger than 64 KiB' });
    expect(pulled).toBe(false);
  });

  it('refuses a streamed body without Content-Length once it passes 64 KiB', async () => {
    const chunk = new Uint8Array(16 * 1024).fill(0x20);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        controller.enqueue(chunk);
        if (sent > 4 * MAX_BODY_BYTES) controller.close();
      },
    });
    const request = new Request('http://127.0.0.1/api/x', {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    await expect(readJson(request)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(sent).toBeLessThan(4 * MAX_BODY_BYTES);
  });

  it('refuses a JSON body sent as text/plain or form data with a message naming the content type', async () => {
    await expect(readJson(post('{"token":"x"}', { 'content-type': 'text/plain' }))).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/Content-Type: application\/json/),
    });
    await expect(readJson(post('token=x', { 'content-type': 'application/x-www-form-urlencoded' }))).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });

  it('refuses bytes that are not UTF-8 and malformed JSON as VALIDATION errors', async () => {
    await expect(readJson(post(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])))).rejects.toMatchObject({
      code: 'VALIDATION',
      message: 'request body is not valid UTF-8',
    });
    await expect(readJson(post('{"stopAt": 1,'))).rejects.toMatchObject({ code: 'VALIDATION', message: 'request body must be JSON' });
  });

  it('treats an empty or blank body as {} whatever its content type', async () => {
    expect(await readJson(new Request('http://127.0.0.1/api/x', { method: 'POST' }))).toEqual({});
    expect(await readJson(post('  \n', { 'content-type': 'text/plain' }))).toEqual({});
  });
});
