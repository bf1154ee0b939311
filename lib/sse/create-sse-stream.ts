import { createClientBuffer } from './client-buffer';
import { encodeFrame, type SseFrame } from './encode-event';

/** Why a stream ended (logged by the caller). */
export type SseCloseReason = 'client-aborted' | 'stream-cancelled' | 'write-failed' | 'source-closed';

export interface SseStreamOptions {
  /** Frames sent first (e.g. the latest snapshot). */
  initial?: readonly SseFrame[];
  /** Registers a push callback; returns the unsubscribe function (called exactly once on close). */
  subscribe(push: (frame: SseFrame) => void, close: () => void): () => void;
  /** Request abort signal: aborting ends the stream and unsubscribes. */
  signal?: AbortSignal;
  /** Heartbeat comment interval; 15 s by default. */
  heartbeatMs?: number;
  /** See `ClientBufferOptions`. */
  latestOnly?: readonly string[];
  maxQueued?: number;
  onClose?(reason: SseCloseReason, stats: { dropped: number }): void;
}

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-store, no-transform',
  connection: 'keep-alive',
  // Disables response buffering in nginx-style proxies.
  'x-accel-buffering': 'no',
};

/**
 * A pull-based SSE body. Frames wait in a bounded per-client buffer until the consumer pulls, so
 * backpressure from a slow socket coalesces snapshots instead of growing a queue. Cleanup
 * (unsubscribe, heartbeat timer, abort listener) runs once, on abort, cancel, write failure or
 * source close.
 */
export function createSseStream(options: SseStreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const buffer = createClientBuffer({
    latestOnly: options.latestOnly ?? ['snapshot'],
    maxQueued: options.maxQueued ?? 100,
  });
  let closed = false;
  let wake: (() => void) | null = null;
  let unsubscribe: (() => void) | null = null;
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | null = null;

  const onAbort = () => close('client-aborted');

  function notify() {
    const resume = wake;
    wake = null;
    resume?.();
  }

  function close(reason: SseCloseReason) {
    if (closed) return;
    closed = true;
    try {
      if (heartbeat) clearInterval(heartbeat);
      options.signal?.removeEventListener('abort', onAbort);
      unsubscribe?.();
    } finally {
      unsubscribe = null;
      notify();
      if (reason !== 'stream-cancelled' && controllerRef) {
        try {
          controllerRef.close();
        } catch {
          // Why: the consumer may already have errored or cancelled the stream; nothing left to close.
        }
      }
      options.onClose?.(reason, { dropped: buffer.dropped });
    }
  }

  function push(frame: SseFrame) {
    if (closed) return;
    buffer.push(frame);
    notify();
  }

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controllerRef = controller;
        if (options.signal?.aborted) {
          close('client-aborted');
          return;
        }
        options.signal?.addEventListener('abort', onAbort, { once: true });
        for (const frame of options.initial ?? []) push(frame);
        const off = options.subscribe(push, () => close('source-closed'));
        if (closed) off();
        else unsubscribe = off;
        heartbeat = setInterval(() => push({ kind: 'comment', text: 'ping' }), options.heartbeatMs ?? 15_000);
        // Why: the heartbeat must not keep a shutting-down process alive.
        (heartbeat as { unref?: () => void }).unref?.();
      },
      async pull(controller) {
        while (!closed && buffer.size === 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
        if (closed) return;
        const chunk = buffer.drain().map(encodeFrame).join('');
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          close('write-failed');
        }
      },
      cancel() {
        close('stream-cancelled');
      },
    },
    // One encoded batch in flight; everything else waits (coalesced) in the client buffer.
    { highWaterMark: 1 },
  );
}
