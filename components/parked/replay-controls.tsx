'use client';

import { useEffect, useState } from 'react';

import type { ReplayResponse } from '@/lib/api/schemas';

import { formatExact } from '../format';
import { useReplayParked } from '../hooks/use-replay-parked';
import { ReplayDialog } from './replay-dialog';
import { toReplayPlan, toReplayProgress, type ReplayPlan } from './replay-plan';

/** How long a replay may show no effect before the operator is warned. */
export const NO_EFFECT_GRACE_MS = 5000;

export interface WatchedReplay {
  requested: number;
  parkedBefore: number;
  firstBefore: number | null;
  startedAt: number;
}

/**
 * "Replay all" and "Replay first N", behind ReplayDialog. After the server accepted a replay the
 * parent watches it (WatchedReplay) and shows ReplayProgressNote.
 */
export function ReplayControls({
  stream,
  group,
  window,
  disabledReason,
  onStarted,
}: {
  stream: string;
  group: string;
  window: { first: number | null; total: number };
  disabledReason: string | null;
  onStarted: (watched: WatchedReplay) => void;
}) {
  const replay = useReplayParked(stream, group);
  const [firstN, setFirstN] = useState('10');
  const [plan, setPlan] = useState<ReplayPlan | null>(null);
  const n = Number(firstN);
  const validN = Number.isInteger(n) && n >= 1;
  const disabled = disabledReason !== null || replay.isPending;
  const empty = window.total === 0;

  const confirm = (confirmed: ReplayPlan) => {
    setPlan(null);
    const firstBefore = window.first;
    replay.mutate(confirmed.stopAt === undefined ? {} : { stopAt: confirmed.stopAt }, {
      onSuccess: (result: ReplayResponse) =>
        onStarted({ requested: result.requested, parkedBefore: result.parkedBefore, firstBefore, startedAt: Date.now() }),
    });
  };

  return (
    <div className="replay-controls">
      <form
        className="replay-first"
        onSubmit={(event) => {
          event.preventDefault();
          if (validN) setPlan(toReplayPlan(window, n));
        }}
      >
        <label htmlFor="replay-first-n">Replay first</label>
        <input
          id="replay-first-n"
          className="input input-number"
          type="number"
          min={1}
          step={1}
          inputMode="numeric"
          value={firstN}
          onChange={(event) => setFirstN(event.target.value)}
          disabled={disabled || empty}
          data-testid="replay-first-n"
        />
        <button type="submit" className="button button-ghost" disabled={disabled || empty || !validN} data-testid="replay-first">
          Replay
        </button>
      </form>
      <button
        type="button"
        className="button"
        disabled={disabled || empty}
        onClick={() => setPlan(toReplayPlan(window))}
        data-testid="replay-all"
        title={disabledReason ?? 'Redeliver every parked message'}
      >
        {replay.isPending ? 'Requesting…' : `Replay all (${formatExact(window.total)})`}
      </button>
      {replay.isError && (
        <p className="action-note action-error" role="alert" data-testid="replay-error">
          Replay failed: {replay.error.message}
        </p>
      )}
      {plan && <ReplayDialog plan={plan} group={group} first={window.first} onCancel={() => setPlan(null)} onConfirm={() => confirm(plan)} />}
    </div>
  );
}

/** Live progress of a watched replay: the oldest parked message moving up, and a warning when nothing moved. */
export function ReplayProgressNote({
  watched,
  window,
  parkedNow,
  onDismiss,
}: {
  watched: WatchedReplay;
  window: { first: number | null; total: number };
  parkedNow: number;
  onDismiss: () => void;
}) {
  const [now, setNow] = useState(() => Date.now());
  const progress = toReplayProgress({
    requested: watched.requested,
    firstBefore: watched.firstBefore,
    firstNow: window.first,
    totalNow: window.total,
    elapsedMs: now - watched.startedAt,
    graceMs: NO_EFFECT_GRACE_MS,
  });
  const settled = progress.state === 'done';
  useEffect(() => {
    if (settled) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [settled]);

  const counts = `Parked now: ${formatExact(parkedNow)} (was ${formatExact(watched.parkedBefore)}; new messages may be parked meanwhile).`;
  let tone: 'ok' | 'warn' | 'info' = 'info';
  let text: string;
  if (progress.state === 'done') {
    tone = 'ok';
    text = `Replayed ${formatExact(watched.requested)} parked message${watched.requested === 1 ? '' : 's'}. ${counts}`;
  } else if (progress.state === 'no-effect') {
    tone = 'warn';
    text = `The replay of ${formatExact(watched.requested)} had no visible effect after ${NO_EFFECT_GRACE_MS / 1000} s. The server ignores a replay while another one runs or while the group has no consumer ready. ${counts}`;
  } else {
    text = `Replaying ${formatExact(watched.requested)} parked message${watched.requested === 1 ? '' : 's'}… ${formatExact(progress.replayed)} done. ${counts}`;
  }
  return (
    <div className={`replay-progress replay-progress-${tone}`} role="status" aria-live="polite" data-testid="replay-progress" data-state={progress.state}>
      <span>{text}</span>
      <button type="button" className="button button-ghost" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
