/**
 * Scenario children: `node --import tsx <script>` (plus `--expose-gc` where RSS is measured), so
 * a measured process holds only what it measures. A child reports with one JSON object per
 * stdout line; anything else it prints is passed through to stderr for the reader.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export interface ChildRun {
  child: ChildProcess;
  /** Resolves with the next JSON line whose `type` is `type`. */
  next<T = Record<string, unknown>>(type: string): Promise<T>;
  /** Resolves with the exit code; rejects when a `next` is still waiting at exit. */
  exited: Promise<number | null>;
  kill(): void;
}

export function startChild(script: string, args: string[], options: { exposeGc?: boolean } = {}): ChildRun {
  const child = spawn(
    process.execPath,
    [...(options.exposeGc ? ['--expose-gc'] : []), '--import', 'tsx', path.join(__dirname, '..', 'children', script), ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: path.join(__dirname, '..', '..') },
  );
  const messages: Array<Record<string, unknown>> = [];
  const waiters: Array<{ type: string; resolve: (m: Record<string, unknown>) => void; reject: (e: Error) => void }> = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const deliver = () => {
    for (let i = 0; i < waiters.length; i++) {
      const waiter = waiters[i]!;
      const index = messages.findIndex((m) => m.type === waiter.type);
      if (index >= 0) {
        waiters.splice(i, 1);
        i -= 1;
        waiter.resolve(messages.splice(index, 1)[0]!);
      }
    }
  };
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      const parsed: unknown = JSON.parse(line);
      if (parsed && typeof parsed === 'object') {
        messages.push(parsed as Record<string, unknown>);
        deliver();
        return;
      }
    } catch {
      // Why: not a report line (a library printed something); shown below like stderr.
    }
    process.stderr.write(`[${script}] ${line}\n`);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const waiter of waiters.splice(0)) {
        waiter.reject(new Error(`${script} exited (code ${code ?? ''}, signal ${signal ?? ''}) before reporting "${waiter.type}":\n${stderr}`));
      }
      resolve(code);
    });
  });
  return {
    child,
    exited,
    next<T>(type: string) {
      return new Promise<T>((resolve, reject) => {
        waiters.push({ type, resolve: resolve as (m: Record<string, unknown>) => void, reject });
        deliver();
      });
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** For child scripts: one report line on stdout. */
export function report(message: { type: string } & Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** For child scripts: `--name=value` arguments. */
export function argValue(name: string): string {
  const prefix = `--${name}=`;
  const found = process.argv.find((arg) => arg.startsWith(prefix));
  if (found === undefined) throw new Error(`missing argument --${name}=…`);
  return found.slice(prefix.length);
}

/** Heap and RSS after a full collection (children run with --expose-gc). */
export function memoryAfterGc(): { rss: number; heapUsed: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  const usage = process.memoryUsage();
  return { rss: usage.rss, heapUsed: usage.heapUsed };
}
