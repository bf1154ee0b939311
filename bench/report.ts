/**
 * Targets (issue 7 "Targets", esdb-semantics.md §11 for the embedded server) and the Markdown
 * table of latest.md: scenario, measured value, target, met?
 */
import type { BenchResults } from './types';

export interface TargetRow {
  scenario: string;
  measured: string;
  target: string;
  /** null = no target (shown for context) or not measured. */
  met: boolean | null;
}

/** "Flat": the larger run may use at most this much more memory than the smaller one. */
export const FLAT_GROWTH = 1.2;

type Num = number | null | undefined;

function fmt(value: Num, unit = ''): string {
  if (value === null || value === undefined) return 'not measured';
  return `${value.toLocaleString('en-US')}${unit}`;
}

function atLeast(value: Num, min: number): boolean | null {
  return value === null || value === undefined ? null : value >= min;
}

function below(value: Num, max: number): boolean | null {
  return value === null || value === undefined ? null : value < max;
}

function flat(small: Num, large: Num): boolean | null {
  if (small === null || small === undefined || large === null || large === undefined) return null;
  return large <= small * FLAT_GROWTH;
}

export function toTargetRows(r: BenchResults): TargetRow[] {
  const d = r.dedupOverhead;
  const s = r.embeddedServer;
  const st = r.store;
  const rows: TargetRow[] = [
    { scenario: 'Bare client, one ack per event (a)', measured: fmt(d.barePerEvent, ' ev/s'), target: '—', met: null },
    { scenario: 'Bare client, batched acks (b)', measured: fmt(d.bareBatched, ' ev/s'), target: '—', met: null },
    {
      scenario: 'Deduplicating subscriber, SQLite (c) vs (a)',
      measured: `${fmt(d.sqlite, ' ev/s')} = ${fmt(d.ratios?.sqliteVsBarePerEvent, '×')}`,
      target: '≥ 1.0×',
      met: atLeast(d.ratios?.sqliteVsBarePerEvent, 1.0),
    },
    {
      scenario: 'Deduplicating subscriber, SQLite (c) vs (b)',
      measured: fmt(d.ratios?.sqliteVsBareBatched, '×'),
      target: '≥ 0.9×',
      met: atLeast(d.ratios?.sqliteVsBareBatched, 0.9),
    },
    {
      scenario: 'Reference: subscriber with an in-memory store (nothing durable) vs (b)',
      measured: `${fmt(d.subscriberWithoutStore, ' ev/s')} = ${fmt(d.ratios?.subscriberWithoutStoreVsBareBatched, '×')}`,
      target: '—',
      met: null,
    },
    {
      scenario: 'Deduplicating subscriber, Redis (d) vs (a)',
      measured: `${fmt(d.redis, ' ev/s')} = ${fmt(d.ratios?.redisVsBarePerEvent, '×')}`,
      target: '—',
      met: null,
    },
    {
      scenario: 'Deduplicating subscriber, PostgreSQL (e) vs (a)',
      measured: `${fmt(d.postgres, ' ev/s')} = ${fmt(d.ratios?.postgresVsBarePerEvent, '×')}`,
      target: '—',
      met: null,
    },
    { scenario: 'Embedded server (child process): append only, batches of 100', measured: fmt(s.appendOnly, ' ev/s'), target: '— (§11 has none)', met: null },
    { scenario: 'Embedded server (child process): deliver+ack, one ack per event', measured: fmt(s.deliverAckPerEvent, ' ev/s'), target: '≥ 4,600 ev/s', met: atLeast(s.deliverAckPerEvent, 4600) },
    { scenario: 'Embedded server (child process): deliver+ack, batched acks', measured: fmt(s.deliverAckBatched, ' ev/s'), target: '≥ 9,800 ev/s', met: atLeast(s.deliverAckBatched, 9800) },
    { scenario: 'Embedded server (in process): append only, batches of 100', measured: fmt(s.inProcess?.appendOnly, ' ev/s'), target: '≥ 6,800 ev/s', met: atLeast(s.inProcess?.appendOnly, 6800) },
    { scenario: 'Embedded server (in process): deliver+ack, one ack per event', measured: fmt(s.inProcess?.deliverAckPerEvent, ' ev/s'), target: '≥ 4,200 ev/s', met: atLeast(s.inProcess?.deliverAckPerEvent, 4200) },
    { scenario: 'Embedded server (in process): deliver+ack, batched acks', measured: fmt(s.inProcess?.deliverAckBatched, ' ev/s'), target: '≥ 6,600 ev/s', met: atLeast(s.inProcess?.deliverAckBatched, 6600) },
    { scenario: 'Dedup store (SQLite): claims, 100 in flight', measured: `${fmt(st.claimsPerSec, '/s')}, p50 ${fmt(st.p50Ms, ' ms')}, p99 ${fmt(st.p99Ms, ' ms')}`, target: '—', met: null },
    {
      scenario: 'Dedup store (SQLite): RSS at 100k → 1M keys',
      measured: `${fmt(st.rssMbAt100k, ' MB')} → ${fmt(st.rssMbAt1M, ' MB')}`,
      target: `flat (≤ ${FLAT_GROWTH}×)`,
      met: flat(st.rssMbAt100k, st.rssMbAt1M),
    },
    { scenario: 'Dedup store (SQLite): file at 100k → 1M keys', measured: `${fmt(st.fileMbAt100k, ' MB')} → ${fmt(st.fileMbAt1M, ' MB')}`, target: '—', met: null },
    { scenario: 'Dedup store (SQLite): prune', measured: fmt(st.prunePerSec, ' keys/s'), target: '—', met: null },
    { scenario: 'Dashboard fan-out: CPU of the server process', measured: fmt(r.fanout.cpuPercent, ' % of one core'), target: '< 10 %', met: below(r.fanout.cpuPercent, 10) },
    { scenario: 'Dashboard fan-out: snapshot delay p95', measured: fmt(r.fanout.p95DelayMs, ' ms'), target: '< 250 ms', met: below(r.fanout.p95DelayMs, 250) },
    { scenario: 'Reconnect recovery p50', measured: fmt(r.reconnect.p50Ms, ' ms'), target: '—', met: null },
    { scenario: 'Reconnect recovery p95', measured: fmt(r.reconnect.p95Ms, ' ms'), target: '< 1,000 ms', met: below(r.reconnect.p95Ms, 1000) },
    {
      scenario: 'Subscriber RSS after 100k → 500k events',
      measured: `${fmt(r.memory.rssMbAt100k, ' MB')} → ${fmt(r.memory.rssMbAt500k, ' MB')}`,
      target: `flat (≤ ${FLAT_GROWTH}×)`,
      met: flat(r.memory.rssMbAt100k, r.memory.rssMbAt500k),
    },
  ];
  return rows;
}

function metCell(met: boolean | null, measured: string): string {
  if (measured.includes('not measured')) return 'not measured';
  return met === null ? '—' : met ? 'yes' : '**no**';
}

export function toMarkdownTable(rows: readonly TargetRow[]): string {
  const lines = ['| Scenario | Measured | Target | Met? |', '|---|---|---|---|'];
  for (const row of rows) lines.push(`| ${row.scenario} | ${row.measured} | ${row.target} | ${metCell(row.met, row.measured)} |`);
  return lines.join('\n');
}

/** Reasons of values that were not measured, as Markdown bullet lines. */
export function notMeasured(r: BenchResults): string[] {
  const lines: string[] = [];
  for (const [section, value] of Object.entries(r)) {
    if (!value || typeof value !== 'object') continue;
    for (const [key, reason] of Object.entries(value as Record<string, unknown>)) {
      if (typeof reason !== 'string') continue;
      if (key === 'reason') lines.push(`- ${section}: ${reason}`);
      else if (key.endsWith('Reason')) lines.push(`- ${section}.${key.slice(0, -'Reason'.length)}: ${reason}`);
    }
  }
  return lines;
}
