/**
 * `npm run bench`: runs the scenarios one after another, writes results/latest.json and
 * results/latest.md, and prints the table.
 *
 *   --only=dedup-overhead,store   run these scenarios (the others are recorded as not run)
 *   --quick                       small sizes, for the smoke test; writes to a temp dir unless --out
 *   --out=DIR                     where latest.json / latest.md go (default bench/results)
 *   --note=TEXT                   recorded in the results (e.g. "machine shared with other work")
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { notMeasured, toMarkdownTable, toTargetRows } from './report';
import { runDedupOverhead } from './scenarios/dedup-overhead';
import { runDedupStore } from './scenarios/dedup-store';
import { runEmbeddedServer } from './scenarios/embedded-server';
import { runFanout } from './scenarios/fanout';
import { runMemory } from './scenarios/memory';
import { runReconnect } from './scenarios/reconnect';
import {
  REQUIRED_FIELDS,
  REQUIRED_RATIOS,
  type BenchContext,
  type BenchResults,
  type SectionName,
} from './types';

interface ScenarioEntry {
  name: string;
  section: SectionName;
  title: string;
  run(ctx: BenchContext): Promise<object>;
}

export const SCENARIOS: readonly ScenarioEntry[] = [
  { name: 'dedup-overhead', section: 'dedupOverhead', title: 'Dedup overhead', run: runDedupOverhead },
  { name: 'embedded-server', section: 'embeddedServer', title: 'Embedded server', run: runEmbeddedServer },
  { name: 'store', section: 'store', title: 'Dedup store', run: runDedupStore },
  { name: 'fanout', section: 'fanout', title: 'Dashboard fan-out', run: runFanout },
  { name: 'reconnect', section: 'reconnect', title: 'Reconnect recovery', run: runReconnect },
  { name: 'memory', section: 'memory', title: 'Subscriber memory', run: runMemory },
];

/** A section that has no numbers: every required value null, and why. */
function missing(section: SectionName, reason: string): Record<string, unknown> {
  const values: Record<string, unknown> = Object.fromEntries(REQUIRED_FIELDS[section].map((field) => [field, null]));
  if (section === 'dedupOverhead') values.ratios = Object.fromEntries(REQUIRED_RATIOS.map((ratio) => [ratio, null]));
  return { ...values, reason };
}

function parseArgs(argv: readonly string[]) {
  const value = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const known = new Set(['only', 'out', 'note', 'quick']);
  const unknown = argv.filter((arg) => !known.has(arg.replace(/^--/, '').split('=')[0] ?? ''));
  if (unknown.length > 0) throw new Error(`unknown argument(s): ${unknown.join(' ')} (see bench/run.ts)`);
  const only = value('only')?.split(',').filter(Boolean);
  const names = new Set(SCENARIOS.map((s) => s.name));
  const wrong = only?.filter((name) => !names.has(name)) ?? [];
  if (wrong.length > 0) throw new Error(`--only: unknown scenario(s) ${wrong.join(', ')}; known: ${[...names].join(', ')}`);
  const quick = argv.includes('--quick');
  return { only, quick, out: value('out'), note: value('note') ?? null };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const outDir = path.resolve(args.out ?? (args.quick ? mkdtempSync(path.join(os.tmpdir(), 'subwatch-bench-quick-')) : path.join(__dirname, 'results')));
  mkdirSync(outDir, { recursive: true });
  const startedAt = new Date();
  const loadAverageAtStart = os.loadavg().map((load) => Math.round(load * 100) / 100);
  const sections: Partial<Record<SectionName, unknown>> = {};

  for (const scenario of SCENARIOS) {
    if (args.only && !args.only.includes(scenario.name)) {
      sections[scenario.section] = missing(scenario.section, `not run (--only=${args.only.join(',')})`);
      continue;
    }
    const tmpDir = mkdtempSync(path.join(os.tmpdir(), `subwatch-bench-${scenario.name}-`));
    const ctx: BenchContext = { quick: args.quick, tmpDir, log: (message) => process.stdout.write(`${message}\n`) };
    process.stdout.write(`\n== ${scenario.title}${args.quick ? ' (quick)' : ''}\n`);
    const started = performance.now();
    try {
      sections[scenario.section] = await scenario.run(ctx);
    } catch (error) {
      const reason = `failed: ${error instanceof Error ? error.message : String(error)}`;
      process.stdout.write(`  ${reason}\n`);
      sections[scenario.section] = missing(scenario.section, reason);
    } finally {
      rmSync(tmpDir, { recursive: true, force: true });
    }
    process.stdout.write(`  (${Math.round((performance.now() - started) / 1000)} s)\n`);
  }

  const cpus = os.cpus();
  const results = {
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      memoryGb: Math.round(os.totalmem() / 1024 ** 3),
      loadAverageAtStart,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      quick: args.quick,
      note: args.note,
    },
    ...sections,
  } as BenchResults;

  const table = toMarkdownTable(toTargetRows(results));
  const reasons = notMeasured(results);
  const limitsFile = path.join(__dirname, 'limits.md');
  const md = [
    '# Benchmark results',
    '',
    `Run ${results.machine.startedAt} – ${results.machine.finishedAt} with \`npm run bench${args.quick ? ' -- --quick' : ''}\` on ` +
      `${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.memoryGb} GB, Node ${results.machine.node}; ` +
      `load average at start ${loadAverageAtStart.join(' / ')}.`,
    ...(args.note ? ['', `Note: ${args.note}`] : []),
    '',
    'Throughputs are events per second over 20,000 prefilled small events and one group unless named otherwise; ' +
      'ratios compare runs against the same embedded server in this run. Details in `latest.json`.',
    '',
    table,
    ...(reasons.length > 0 ? ['', '## Not measured', '', ...reasons] : []),
    ...(existsSync(limitsFile) ? ['', readFileSync(limitsFile, 'utf8').trim()] : []),
    '',
  ].join('\n');
  writeFileSync(path.join(outDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(outDir, 'latest.md'), md);
  process.stdout.write(`\n${table}\n\nResults: ${path.join(outDir, 'latest.json')} and latest.md\n`);
}

main().then(
  // Library handles (gRPC channels, pools) may keep the loop alive after everything was closed.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
