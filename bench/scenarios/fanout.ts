/**
 * Dashboard fan-out (issue 7 §4): the real server (server/main.ts, production build, embedded
 * mode, demo off) with 20 persistent subscriptions, 50 SSE clients on /api/live for 60 s. CPU
 * share of the dashboard process from /proc, and the delay from a snapshot's `ts` to its arrival
 * here (pushed snapshots only: the one replayed on connect is old by design).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { EventStoreDBClient } from '@eventstore/db-client';
import { startServer } from '../../test/start-server';
import { createGroup, prefill, uniqueName } from '../lib/esdb';
import { childPids, startCpuWindow } from '../lib/proc';
import { percentile, round } from '../lib/stats';
import type { BenchContext, FanoutResult } from '../types';

const ROOT = path.join(__dirname, '..', '..');

/** The production build the server needs; built once when missing (takes a minute or two). */
function ensureBuild(ctx: BenchContext): void {
  if (existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) return;
  ctx.log('  no production build (.next): running `npm run build` first');
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`npm run build failed (exit ${built.status ?? built.signal})`);
}

interface SseClient {
  /** Pushed snapshots' delays in ms (arrival − ts). */
  delays: number[];
  close(): void;
  /** Resolves once the response headers arrived (the stream is open). */
  opened: Promise<void>;
}

function openSseClient(url: string, token: string, onError: (error: unknown) => void): SseClient {
  const controller = new AbortController();
  const delays: number[] = [];
  let first = true;
  const opened = (async () => {
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    if (!response.ok || !response.body) throw new Error(`GET /api/live answered ${response.status}`);
    return response.body;
  })();
  void opened
    .then(async (body) => {
      const decoder = new TextDecoder();
      const reader = body.getReader();
      let text = '';
      for (;;) {
        const { done, value: chunk } = await reader.read();
        if (done) break;
        const arrivedAt = Date.now();
        text += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const frame = text.slice(0, end);
          text = text.slice(end + 2);
          if (!frame.startsWith('event: snapshot')) continue;
          const data = frame
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n');
          const snapshot = JSON.parse(data) as { ts: string };
          if (first) {
            first = false;
            continue;
          }
          delays.push(arrivedAt - Date.parse(snapshot.ts));
        }
      }
    })
    .catch((error: unknown) => {
      if (!controller.signal.aborted) onError(error);
    });
  return { delays, close: () => controller.abort(), opened: opened.then(() => undefined) };
}

export async function runFanout(ctx: BenchContext): Promise<FanoutResult> {
  const clients = ctx.quick ? 5 : 50;
  const seconds = ctx.quick ? 3 : 60;
  const idleSeconds = ctx.quick ? 2 : 10;
  const subscriptions = 20;
  ensureBuild(ctx);
  const server = await startServer({ SUBWATCH_DEMO: '0', LOG_LEVEL: 'warn' });
  const sse: SseClient[] = [];
  const errors: unknown[] = [];
  try {
    const match = /embedded server at (esdb:\/\/\S+)/.exec(server.output());
    if (!match?.[1]) throw new Error(`could not find the embedded server's address in the output:\n${server.output()}`);
    const admin = EventStoreDBClient.connectionString(match[1]);
    try {
      for (let i = 0; i < subscriptions; i += 1) {
        const stream = uniqueName(`bench-fanout-${i}`);
        await prefill(admin, stream, 10, 10);
        await createGroup(admin, stream, uniqueName('dashboard'));
      }
    } finally {
      await admin.dispose();
    }
    const pid = server.child.pid;
    if (pid === undefined) throw new Error('server process has no pid');
    // Let the monitor pick the groups up and the process settle after start.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const idle = startCpuWindow(pid);
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    const idleCpuPercent = round(idle.percent());
    ctx.log(`  no clients: ${idleCpuPercent} % of one core`);

    for (let i = 0; i < clients; i += 1) {
      sse.push(openSseClient(`${server.baseUrl}/api/live`, server.token, (error) => errors.push(error)));
    }
    await Promise.all(sse.map((client) => client.opened));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const client of sse) client.delays.length = 0;
    const esdbPid = childPids(pid)[0];
    const esdbWindow = esdbPid === undefined ? undefined : startCpuWindow(esdbPid);
    const window = startCpuWindow(pid);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const cpuPercent = round(window.percent());
    const esdbCpuPercent = esdbWindow ? round(esdbWindow.percent()) : null;
    const delays = sse.flatMap((client) => client.delays);
    if (errors.length > 0) throw new Error(`${errors.length} SSE clients failed, first: ${String(errors[0])}`);
    if (delays.length === 0) throw new Error('no snapshot arrived during the window');
    const result: FanoutResult = {
      clients,
      subscriptions,
      seconds,
      cpuPercent,
      idleCpuPercent,
      esdbCpuPercent,
      snapshotsReceived: delays.length,
      p50DelayMs: round(percentile(delays, 50)),
      p95DelayMs: round(percentile(delays, 95)),
    };
    ctx.log(
      `  ${clients} clients × ${subscriptions} subscriptions, ${seconds} s: ${cpuPercent} % of one core, ` +
        `delay p50 ${result.p50DelayMs} ms / p95 ${result.p95DelayMs} ms (${delays.length} snapshots)`,
    );
    return result;
  } finally {
    for (const client of sse) client.close();
    await server.stop();
  }
}
