import { afterEach, describe, expect, it, vi } from 'vitest';

import { createSseStream, type SseCloseReason } from './create-sse-stream';
import type { SseFrame } from './encode-event';

function fakeSource() {
  let push: ((frame: SseFrame) => void) | null = null;
  let end: (() => void) | null = null;
  const unsubscribe = vi.fn(() => {
    push = null;
  });
  return {
    subscribe(p: (frame: SseFrame) => void, close: () => void) {
      push = p;
      end = close;
      return unsubscribe;
    },
    emit(frame: SseFrame) {
      push?.(frame);
    },
    end() {
      end?.();
    },
    unsubscribe,
  };
}

const decoder = new TextDecoder();
async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const { value, done } = await reader.read();
  return done ? '<done>' : decoder.decode(value);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createSseStream', () => {
  it('sends the initial frames first, then pushed events', async () => {
    const source = fakeSource();
    const stream = createSseStream({
      initial: [{ kind: 'event', event: 'snapshot', data: { n: 0 } }],
      subscribe: source.subscribe,
    });
    const reader = stream.getReader();
    expect(await readChunk(reader)).toBe('event: snapshot\ndata: {"n":0}\n\n');
    source.emit({ kind: 'event', event: 'epoch', data: { epoch: 2 } });
    expect(await readChunk(reader)).toBe('event: epoch\ndata: {"epoch":2}\n\n');
    await reader.cancel();
  });

  it('gives a slow client only the latest snapshot when it reads again', async () => {
    const source = fakeSource();
    const stream = createSseStream({ subscribe: source.subscribe });
    const reader = stream.getReader();
    source.emit({ kind: 'event', event: 'snapshot', data: 1 });
    expect(await readChunk(reader)).toContain('data: 1\n');
    // The stream's own queue holds one batch; the rest coalesces in the client buffer.
    for (let i = 2; i <= 500; i++) source.emit({ kind: 'event', event: 'snapshot', data: i });
    let received = await readChunk(reader);
    if (!received.includes('data: 500')) received += await readChunk(reader);
    const seen = received.match(/data: \d+/g);
    expect(seen?.length).toBeLessThanOrEqual(2);
    expect(seen?.at(-1)).toBe('data: 500');
    await reader.cancel();
  });

  it('unsubscribes once and closes the stream when the request is aborted', async () => {
    const source = fakeSource();
    const abort = new AbortController();
    const reasons: SseCloseReason[] = [];
    const stream = createSseStream({
      subscribe: source.subscribe,
      signal: abort.signal,
      onClose: (reason) => reasons.push(reason),
    });
    const reader = stream.getReader();
    const pending = reader.read();
    abort.abort();
    expect((await pending).done).toBe(true);
    expect(source.unsubscribe).toHaveBeenCalledTimes(1);
    expect(reasons).toEqual(['client-aborted']);
  });

  it('cleans up when the consumer cancels (socket closed / write failed)', async () => {
    const source = fakeSource();
    const reasons: SseCloseReason[] = [];
    const stream = createSseStream({ subscribe: source.subscribe, onClose: (r) => reasons.push(r) });
    await stream.cancel('socket closed');
    expect(source.unsubscribe).toHaveBeenCalledTimes(1);
    expect(reasons).toEqual(['stream-cancelled']);
    source.emit({ kind: 'event', event: 'snapshot', data: 1 });
  });

  it('ends the stream when the source closes', async () => {
    const source = fakeSource();
    const reader = createSseStream({ subscribe: source.subscribe }).getReader();
    const pending = reader.read();
    source.end();
    expect((await pending).done).toBe(true);
    expect(source.unsubscribe).toHaveBeenCalledTimes(1);
  });

  it('writes a ping comment every heartbeat interval', async () => {
    vi.useFakeTimers();
    const source = fakeSource();
    const reader = createSseStream({ subscribe: source.subscribe, heartbeatMs: 15_000 }).getReader();
    const pending = readChunk(reader);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(await pending).toBe(': ping\n\n');
    await reader.cancel();
  });
});
