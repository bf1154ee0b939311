import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait-for';
import { createFaultProxy, type FaultProxy } from './fault-proxy';

/** A target that records what it receives and lets the test write to each accepted socket. */
async function startTarget() {
  const sockets: net.Socket[] = [];
  const received: string[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => received.push(chunk));
    socket.on('error', () => undefined); // cut connections reset; nothing to do in a test target
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    sockets,
    text: () => received.join(''),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function connect(port: number) {
  const socket = net.connect({ host: '127.0.0.1', port });
  const chunks: string[] = [];
  let closed = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => chunks.push(chunk));
  socket.on('error', () => undefined); // a cut surfaces as ECONNRESET; the test checks `closed`
  socket.on('close', () => (closed = true));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, text: () => chunks.join(''), isClosed: () => closed };
}

describe('fault proxy', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(): Promise<{ proxy: FaultProxy; target: Awaited<ReturnType<typeof startTarget>> }> {
    const target = await startTarget();
    cleanups.push(() => target.close());
    const proxy = await createFaultProxy({ target: { host: '127.0.0.1', port: target.port } });
    cleanups.push(() => proxy.close());
    return { proxy, target };
  }

  it('forwards bytes in both directions', async () => {
    const { proxy, target } = await setup();
    const client = await connect(proxy.port);
    cleanups.push(() => void client.socket.destroy());
    client.socket.write('hello server');
    await waitFor(() => target.text() === 'hello server', { message: 'client bytes at the target' });
    target.sockets[0]?.write('hello client');
    await waitFor(() => client.text() === 'hello client', { message: 'server bytes at the client' });
    expect(proxy.connectionCount()).toBe(1);
  });

  it('cuts every current connection and keeps accepting new ones', async () => {
    const { proxy, target } = await setup();
    const first = await connect(proxy.port);
    const second = await connect(proxy.port);
    await waitFor(() => proxy.connectionCount() === 2 && target.sockets.length === 2, { message: 'two connections' });

    proxy.cutAll();

    await waitFor(() => first.isClosed() && second.isClosed(), { message: 'both clients closed' });
    expect(proxy.connectionCount()).toBe(0);
    const third = await connect(proxy.port);
    cleanups.push(() => void third.socket.destroy());
    third.socket.write('still listening');
    await waitFor(() => target.text().endsWith('still listening'), { message: 'bytes after the cut' });
  });

  it('holds client-to-server bytes while paused and flushes them in order on resume', async () => {
    const { proxy, target } = await setup();
    const client = await connect(proxy.port);
    cleanups.push(() => void client.socket.destroy());
    await waitFor(() => target.sockets.length === 1, { message: 'upstream connection' });

    proxy.pause('client-to-server');
    client.socket.write('one,');
    client.socket.write('two,');
    client.socket.write('three');
    // The other direction keeps flowing while this one is held.
    target.sockets[0]?.write('pong');
    await waitFor(() => client.text() === 'pong', { message: 'server-to-client bytes during the pause' });
    expect(target.text()).toBe('');

    proxy.resume('client-to-server');
    await waitFor(() => target.text() === 'one,two,three', { message: 'held bytes flushed in order' });
  });

  it('also holds bytes of connections opened during a pause', async () => {
    const { proxy, target } = await setup();
    proxy.pause('client-to-server');
    const client = await connect(proxy.port);
    cleanups.push(() => void client.socket.destroy());
    await waitFor(() => target.sockets.length === 1, { message: 'upstream connection' });
    client.socket.write('held');
    target.sockets[0]?.write('ping');
    await waitFor(() => client.text() === 'ping', { message: 'server-to-client bytes during the pause' });
    expect(target.text()).toBe('');
    proxy.resume('client-to-server');
    await waitFor(() => target.text() === 'held', { message: 'held bytes after resume' });
  });

  it('resumes by itself when the pause has a duration', async () => {
    const { proxy, target } = await setup();
    const client = await connect(proxy.port);
    cleanups.push(() => void client.socket.destroy());
    await waitFor(() => target.sockets.length === 1, { message: 'upstream connection' });

    const pausedAt = Date.now();
    proxy.pause('server-to-client', 200);
    target.sockets[0]?.write('late');
    await waitFor(() => client.text() === 'late', { message: 'bytes after the timed pause' });
    expect(Date.now() - pausedAt).toBeGreaterThanOrEqual(190);
  });

  it('delays every chunk by the configured latency', async () => {
    const { proxy, target } = await setup();
    const client = await connect(proxy.port);
    cleanups.push(() => void client.socket.destroy());
    await waitFor(() => target.sockets.length === 1, { message: 'upstream connection' });

    proxy.setLatency(150);
    const sentAt = Date.now();
    client.socket.write('slow');
    await waitFor(() => target.text() === 'slow', { message: 'delayed bytes' });
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(140);
    expect(() => proxy.setLatency(-1)).toThrow(/latency must be ≥ 0/);
  });

  it('closes idempotently and drops its connections', async () => {
    const { proxy } = await setup();
    const client = await connect(proxy.port);
    const first = proxy.close();
    expect(proxy.close()).toBe(first);
    await first;
    await waitFor(() => client.isClosed(), { message: 'client closed by proxy close' });
    expect(proxy.connectionCount()).toBe(0);
  });
});
