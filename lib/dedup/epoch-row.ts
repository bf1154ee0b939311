/**
 * The epoch row as the SQL stores (SQLite, PostgreSQL) keep it, and its mapping to the API shape.
 * Column names are the same in both schemas.
 */
import type { EpochRecord } from '../api/schemas';

export interface EpochRow {
  epoch: number;
  started_at: string;
  ended_at: string | null;
  end_reason: string | null;
  received: number;
  delivered: number;
  duplicates_suppressed: number;
  retried: number;
  parked: number;
  skipped: number;
  dup_reconnect: number;
  dup_timeout: number;
  dup_reload: number;
  dup_replay: number;
  dup_other: number;
  checkpoint_gap: number | null;
}

export function toEpochRecord(row: EpochRow): EpochRecord {
  return {
    epoch: row.epoch,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    endReason: row.end_reason,
    received: row.received,
    delivered: row.delivered,
    duplicatesSuppressed: row.duplicates_suppressed,
    retried: row.retried,
    parked: row.parked,
    skipped: row.skipped,
    duplicatesByCause: {
      reconnect: row.dup_reconnect,
      timeout: row.dup_timeout,
      reload: row.dup_reload,
      replay: row.dup_replay,
      other: row.dup_other,
    },
    checkpointGap: row.checkpoint_gap,
  };
}
