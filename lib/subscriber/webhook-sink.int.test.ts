/**
 * The webhook sink against a real local HTTP server (DESIGN.md §6 response mapping and body).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/helpers/webhook-receiver';
import type { Delivery } from './sink';
import { createWebhookSink } from './webhook-sink';

let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  await receiver?.close();
});

beforeEach(() => {
  receiver.calls.length = 0;
  receiver.setRespond(() => ({ status: 200 }));
});

const delivery = (overrides: Partial<Delivery> = {}): Delivery => ({
  eventId: '6f1f7f8e-8a35-4c43-9d3e-3a1b1d2f0a01',
  key: 'order-42',
  stream: 'orders',
  revision: '9007199254740993',
  type: 'OrderPlaced',
  data: { orderId: 42, total: '12.50' },
  metadata: { correlationId: 'c-1' },
  isJson: true,
  created: '2024-05-01T10:00:00.000Z',
  retryCount: 2,
  epoch: 7,
  ...overrides,
});

describe('webhook sink', () => {
  it('POSTs the DESIGN.md §6 body as JSON with the Idempotency-Key, content type and configured headers', async () => {
    const sink = createWebhookSink({ url: receiver.url, headers: { 'x-api-key': 'k-123', authorization: 'Bearer t' } });
    await expect(sink(delivery())).resolves.toEqual({ outcome: 'ok' });
    expect(receiver.calls).toHaveLength(1);
    const [call] = receiver.calls;
    expect(call!.headers['idempotency-key']).toBe('order-42');
    expect(call!.headers['content-type']).toBe('application/json');
    expect(call!.headers['x-api-key']).toBe('k-123');
    expect(call!.headers.authorization).toBe('Bearer t');
    expect(JSON.parse(call!.rawBody)).toStrictEqual({
      eventId: '6f1f7f8e-8a35-4c43-9d3e-3a1b1d2f0a01',
      stream: 'orders',
      revision: '9007199254740993',
      type: 'OrderPlaced',
      data: { orderId: 42, total: '12.50' },
      metadata: { correlationId: 'c-1' },
      created: '2024-05-01T10:00:00.000Z',
      retryCount: 2,
      epoch: 7,
    });
  });

  it('sends binary data as base64 with a flag, and absent metadata as null', async () => {
    const sink = createWebhookSink({ url: receiver.url });
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await sink(delivery({ data: bytes, metadata: undefined, isJson: false }));
    const body = JSON.parse(receiver.calls[0]!.rawBody) as Record<string, unknown>;
    expect(body.data).toBe(Buffer.from(bytes).toString('base64'));
    expect(body.dataEncoding).toBe('base64');
    expect(body.metadata).toBeNull();
    expect(body).not.toHaveProperty('metadataEncoding');
  });

  it.each([200, 201, 202, 204])('maps %i to ok', async (status) => {
    receiver.setRespond(() => ({ status }));
    await expect(createWebhookSink({ url: receiver.url })(delivery())).resolves.toEqual({ outcome: 'ok' });
  });

  it('maps 409 to ok: the receiver already has this key', async () => {
    receiver.setRespond(() => ({ status: 409, body: 'duplicate' }));
    await expect(createWebhookSink({ url: receiver.url })(delivery())).resolves.toEqual({ outcome: 'ok' });
  });

  it('parks on 400 with the status line and the first 200 characters of the body as the reason', async () => {
    const body = `order 42 is invalid: ${'x'.repeat(400)}`;
    receiver.setRespond(() => ({ status: 400, body }));
    await expect(createWebhookSink({ url: receiver.url })(delivery())).resolves.toEqual({
      outcome: 'park',
      reason: `HTTP 400 Bad Request: ${body.slice(0, 200)}`,
    });
  });

  it.each([
    [401, 'Unauthorized'],
    [404, 'Not Found'],
    [422, 'Unprocessable Entity'],
  ])('parks on %i %s', async (status, text) => {
    receiver.setRespond(() => ({ status }));
    await expect(createWebhookSink({ url: receiver.url })(delivery())).resolves.toEqual({ outcome: 'park', reason: `HTTP ${status} ${text}` });
  });

  it('parks on a redirect instead of following it (a POST must not turn into a GET)', async () => {
    receiver.setRespond(() => ({ status: 302 }));
    await expect(createWebhookSink({ url: receiver.url })(delivery())).resolves.toEqual({ outcome: 'park', reason: 'HTTP 302 Found' });
    expect(receiver.calls).toHaveLength(1);
  });

  it.each([
    [408, 'HTTP 408 Request Timeout'],
    [429, 'HTTP 429 Too Many Requests: slow down'],
    [500, 'HTTP 500 Internal Server Error: slow down'],
    [503, 'HTTP 503 Service Unavailable: slow down'],
  ])('retries on %i', async (status, reason) => {
    receiver.setRespond(() => ({ status, body: status === 408 ? '' : 'slow down' }));
    await expect(createWebhookSink({ url: receiver.url })(delivery())).resolves.toEqual({ outcome: 'retry', reason });
  });

  it('retries when the receiver does not answer within timeoutMs', async () => {
    let release: () => void = () => undefined;
    receiver.setRespond(() => ({ status: 200, wait: new Promise<void>((resolve) => (release = resolve)) }));
    const started = Date.now();
    await expect(createWebhookSink({ url: receiver.url, timeoutMs: 200 })(delivery())).resolves.toEqual({
      outcome: 'retry',
      reason: 'timeout after 200 ms',
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    release();
  });

  it('retries when the connection is refused', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await createWebhookSink({ url: `http://127.0.0.1:${port}/hook` })(delivery());
    expect(result.outcome).toBe('retry');
    expect(result.outcome === 'retry' && result.reason).toMatch(/^network error: ECONNREFUSED/);
  });

  it('fails fast on a bad URL, timeout or a header it sets itself', () => {
    expect(() => createWebhookSink({ url: 'ftp://x/y' })).toThrow(/url must be http\(s\)/);
    expect(() => createWebhookSink({ url: 'nope' })).toThrow(/absolute http\(s\) URL/);
    expect(() => createWebhookSink({ url: receiver.url, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createWebhookSink({ url: receiver.url, headers: { 'Idempotency-Key': 'x' } })).toThrow(/set by the sink itself/);
  });

  it('never puts header values in errors or logs', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => lines.push(line) });
    expect(() => createWebhookSink({ url: receiver.url, headers: { 'x-api-key': 'super-secret\nx' } })).toThrow(
      'createWebhookSink: header "x-api-key" has an invalid name or value (value not shown)',
    );
    const sink = createWebhookSink({ url: `http://127.0.0.1:1/hook?token=q-secret`, headers: { 'x-api-key': 'super-secret' }, logger });
    const result = await sink(delivery());
    expect(result.outcome).toBe('retry');
    expect(lines.length).toBeGreaterThan(0);
    const text = lines.join('\n') + JSON.stringify(result);
    for (const secret of ['super-secret', 'q-secret']) expect(text).not.toContain(secret);
  });

  it('turns credentials in the URL into Basic authorization (fetch refuses them in the URL)', async () => {
    const url = new URL(receiver.url);
    url.username = 'hook';
    url.password = 'p@ss word';
    await expect(createWebhookSink({ url: url.toString() })(delivery())).resolves.toEqual({ outcome: 'ok' });
    expect(receiver.calls[0]!.headers.authorization).toBe(`Basic ${Buffer.from('hook:p@ss word').toString('base64')}`);
    expect(() => createWebhookSink({ url: url.toString(), headers: { Authorization: 'Bearer x' } })).toThrow(/keep one/);
  });
});
