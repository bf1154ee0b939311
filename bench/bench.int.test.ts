/**
 * Smoke test of `npm run bench`: the runner and a subset of scenarios work end to end at quick
 * sizes and write results in the shape issue 7 requires. No timing assertions (targets belong to
 * the benchmark itself, never to a test).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REQUIRED_FIELDS, REQUIRED_RATIOS, type SectionName } from './types';

const outDir = mkdtempSync(path.join(os.tmpdir(), 'subwatch-bench-smoke-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const SMOKE: readonly SectionName[] = ['dedupOverhead', 'store', 'reconnect', 'memory'];
const SMOKE_NAMES = 'dedup-overhead,store,reconnect,memory';

function runBench(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'run.ts'), ...args], {
      cwd: path.join(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

/** A measured value is a finite positive number; an unmeasured one is null with a reason beside it. */
function expectMeasuredOrExplained(section: Record<string, unknown>, field: string, where: string): void {
  const value = section[field];
  if (value === null) {
    const reason = section[`${field}Reason`] ?? section.reason;
    expect(typeof reason === 'string' && reason.length > 0, `${where}.${field} is null without a reason`).toBe(true);
    return;
  }
  expect(typeof value, `${where}.${field}`).toBe('number');
  expect(Number.isFinite(value) && (value as number) > 0, `${where}.${field} = ${String(value)}`).toBe(true);
}

describe('npm run bench -- --quick', () => {
  it('writes latest.json with every required value measured or explained, and the latest.md table', async () => {
    const { code, output } = await runBench(['--quick', `--only=${SMOKE_NAMES}`, `--out=${outDir}`]);
    expect(code, output).toBe(0);

    const results = JSON.parse(readFileSync(path.join(outDir, 'latest.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    const machine = results.machine!;
    expect(Number.isInteger(machine.cpus) && (machine.cpus as number) > 0).toBe(true);
    expect(machine.node).toBe(process.version);
    expect(machine.quick).toBe(true);

    for (const section of Object.keys(REQUIRED_FIELDS) as SectionName[]) {
      const values = results[section];
      expect(values, section).toBeTypeOf('object');
      for (const field of REQUIRED_FIELDS[section]) expectMeasuredOrExplained(values!, field, section);
      if (SMOKE.includes(section)) {
        // A scenario that ran has no section-level failure reason.
        expect(values!.reason, `${section} failed`).toBeUndefined();
      } else {
        expect(values!.reason).toMatch(/^not run/);
      }
    }
    const ratios = results.dedupOverhead!.ratios as Record<string, unknown>;
    for (const ratio of REQUIRED_RATIOS) expectMeasuredOrExplained(ratios, ratio, 'dedupOverhead.ratios');
    // The SQLite run always has its numbers (a local file, no service needed).
    expect(results.dedupOverhead!.sqlite).toBeGreaterThan(0);
    expect(results.store!.p99Ms as number).toBeGreaterThanOrEqual(results.store!.p50Ms as number);

    const md = readFileSync(path.join(outDir, 'latest.md'), 'utf8');
    expect(md).toContain('| Scenario | Measured | Target | Met? |');
    expect(md).toMatch(/\| Reconnect recovery p95 \| [\d.,]+ ms \| < 1,000 ms \| (yes|\*\*no\*\*) \|/);
    expect(md).toMatch(/\| Dashboard fan-out: CPU of the server process \| not measured \|/);
  });

  it('refuses an unknown scenario name and lists the known ones', async () => {
    const { code, output } = await runBench(['--quick', '--only=nope', `--out=${outDir}`]);
    expect(code).toBe(1);
    expect(output).toContain('--only: unknown scenario(s) nope; known: dedup-overhead, embedded-server, store, fanout, reconnect, memory');
  });
});
