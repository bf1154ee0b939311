/**
 * A local webhook receiver for tests: `http.createServer` on 127.0.0.1:0 that records every call
 * (headers, parsed body, when it started and when it was answered) and answers with whatever
 * the test's `respond` decides — a status, a delay, or a gate the test opens later.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookCall {
  /** Call number, 1-based, in arrival order. */
  n: number;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
  rawBody: string;
  receivedAt: number;
  /** Set once the response was written (undefined while pending or when the client went away). */
  answeredAt: number | undefined;
  status: number | undefined;
}

export interface WebhookReply {
  status: number;
  body?: string;
  statusText?: string;
  /** Answer only after this resolves (a slow sink). */
  wait?: Promise<unknown>;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  calls: WebhookCall[];
  /** Replaces how the next calls are answered. */
  setRespond(respond: (call: WebhookCall) => WebhookReply): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(respond: (call: WebhookCall) => WebhookReply = () => ({ status: 200 })): Promise<WebhookReceiver> {
  const calls: WebhookCall[] = [];
  let current = respond;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(rawBody) as Record<string, unknown>;
      } catch {
        // Kept as rawBody; a test asserting on body fields fails visibly.
        body = {};
      }
      const call: WebhookCall = {
        n: calls.length + 1,
        headers: req.headers,
        body,
        rawBody,
        receivedAt: Date.now(),
        answeredAt: undefined,
        status: undefined,
      };
      calls.push(call);
      const reply = current(call);
      void Promise.resolve(reply.wait).then(() => {
        if (res.destroyed) return;
        res.statusCode = reply.status;
        if (reply.statusText !== undefined) res.statusMessage = reply.statusText;
        res.setHeader('content-type', 'text/plain');
        res.end(reply.body ?? '', () => {
          call.answeredAt = Date.now();
          call.status = reply.status;
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    calls,
    setRespond(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
