/**
 * TCP fault proxy for the demo and tests: forwards bytes between clients and one target, and can
 * cut every connection, hold one direction (bytes are kept in order and flushed on resume), or
 * add latency. Faults apply to current *and* future connections.
 *
 * Ordering invariant: per connection and direction, bytes leave in the order they arrived, also
 * across latency changes and pause/resume.
 */
import net from 'node:net';

export type Direction = 'client-to-server' | 'server-to-client';

export interface FaultProxyOptions {
  target: { host: string; port: number };
  /** Default 127.0.0.1. */
  listenHost?: string;
  /** Default 0 (ephemeral). */
  listenPort?: number;
}

export interface FaultProxy {
  readonly port: number;
  /** Destroys all current connections (both sides, held bytes dropped); keeps listening. */
  cutAll(): void;
  /** Holds bytes flowing in `direction` (also for new connections); auto-resumes after `ms`. */
  pause(direction: Direction, ms?: number): void;
  /** Flushes held bytes of `direction` and lets bytes flow again. */
  resume(direction: Direction): void;
  /** Delay applied to every chunk in both directions from now on (0 = none). */
  setLatency(ms: number): void;
  /** Client connections currently open. */
  connectionCount(): number;
  /** Stops listening and destroys all connections. Idempotent (same promise). */
  close(): Promise<void>;
}

interface Chunk {
  data: Buffer;
  due: number;
}

/** One direction of one connection: a FIFO that respects pause and per-chunk due times. */
interface Lane {
  readonly direction: Direction;
  readonly queue: Chunk[];
  readonly from: net.Socket;
  readonly to: net.Socket;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The source ended: end the destination once the queue is flushed. */
  ended: boolean;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  lanes: Lane[];
}

export async function createFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const { target } = options;
  const paused: Record<Direction, boolean> = { 'client-to-server': false, 'server-to-client': false };
  const resumeTimers: Partial<Record<Direction, ReturnType<typeof setTimeout>>> = {};
  let latencyMs = 0;
  const pairs = new Set<Pair>();

  function pump(lane: Lane): void {
    if (lane.timer) {
      clearTimeout(lane.timer);
      lane.timer = undefined;
    }
    if (paused[lane.direction] || lane.to.destroyed) return;
    const at = Date.now();
    while (lane.queue.length > 0) {
      const head = lane.queue[0] as Chunk;
      if (head.due > at) {
        lane.timer = setTimeout(() => pump(lane), head.due - at);
        return;
      }
      lane.queue.shift();
      if (!lane.to.write(head.data) && !lane.from.isPaused()) {
        // Back-pressure: stop reading the source until the destination drains.
        lane.from.pause();
        lane.to.once('drain', () => lane.from.resume());
      }
    }
    if (lane.ended) lane.to.end();
  }

  function destroyPair(pair: Pair): void {
    if (!pairs.delete(pair)) return;
    for (const lane of pair.lanes) {
      if (lane.timer) clearTimeout(lane.timer);
      lane.queue.length = 0;
    }
    // RST rather than FIN: a cut looks like a dropped network path, not a clean close.
    for (const socket of [pair.client, pair.upstream]) {
      if (!socket.destroyed) socket.resetAndDestroy();
    }
  }

  // allowHalfOpen: each direction closes on its own, after its queued bytes were written.
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    client.setNoDelay(true);
    const upstream = net.connect({ host: target.host, port: target.port, allowHalfOpen: true });
    upstream.setNoDelay(true);
    const lane = (direction: Direction, from: net.Socket, to: net.Socket): Lane => ({
      direction,
      queue: [],
      from,
      to,
      timer: undefined,
      ended: false,
    });
    const c2s = lane('client-to-server', client, upstream);
    const s2c = lane('server-to-client', upstream, client);
    const pair: Pair = { client, upstream, lanes: [c2s, s2c] };
    pairs.add(pair);

    for (const l of pair.lanes) {
      l.from.on('data', (data: Buffer) => {
        l.queue.push({ data, due: Date.now() + latencyMs });
        pump(l);
      });
      // A FIN is forwarded once everything queued in this lane has been written.
      l.from.on('end', () => {
        l.ended = true;
        pump(l);
      });
    }
    // A socket error (cut, refused target, reset by peer) ends the pair at once; expected here.
    const onError = () => destroyPair(pair);
    client.on('error', onError);
    upstream.on('error', onError);
    const onClose = () => {
      if (client.destroyed && upstream.destroyed) pairs.delete(pair);
    };
    client.on('close', onClose);
    upstream.on('close', onClose);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listenPort ?? 0, options.listenHost ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault proxy: no TCP address after listen');

  function resume(direction: Direction): void {
    const timer = resumeTimers[direction];
    if (timer) clearTimeout(timer);
    delete resumeTimers[direction];
    paused[direction] = false;
    for (const pair of pairs) for (const l of pair.lanes) if (l.direction === direction) pump(l);
  }

  let closing: Promise<void> | undefined;

  return {
    port: address.port,
    cutAll() {
      for (const pair of [...pairs]) destroyPair(pair);
    },
    pause(direction, ms) {
      paused[direction] = true;
      const previous = resumeTimers[direction];
      if (previous) clearTimeout(previous);
      delete resumeTimers[direction];
      if (ms !== undefined) resumeTimers[direction] = setTimeout(() => resume(direction), ms);
    },
    resume,
    setLatency(ms) {
      if (!(ms >= 0)) throw new Error(`fault proxy: latency must be ≥ 0 ms (got ${ms})`);
      latencyMs = ms;
    },
    connectionCount() {
      return pairs.size;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of Object.values(resumeTimers)) clearTimeout(timer);
        server.close(() => resolve());
        for (const pair of [...pairs]) destroyPair(pair);
      });
      return closing;
    },
  };
}
