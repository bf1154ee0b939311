'use client';

import { useEffect, useState } from 'react';

import type { ReplayResponse } from '@/lib/api/schemas';

import { formatExact } from '../format';
import { useReplayParked } from '../hooks/use-replay-parked';
import { ReplayDialog } from './replay-dialog';
import { isReplayOutcomeSettled, sameReplayCounters, toReplayOutcome, type ReplayCounters } from './replay-outcome';
import { toReplayPlan, toReplayProgress, type ReplayPlan } from './replay-plan';

/** How long a replay may show no effect before the operator is warned. */
export const NO_EFFECT_GRACE_MS = 5000;

export interface WatchedReplay {
  requested: number;
  parkedBefore: number;
  firstBefore: number | null;
  startedAt: number;
  /** The subscriber's counters when the server accepted the replay; null when not proxied. */
  countersBefore: ReplayCounters | null;
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
  counters,
  onStarted,
}: {
  stream: string;
  group: string;
  window: { first: number | null; total: number };
  disabledReason: string | null;
  /** The subscriber's latest counters (null when not proxied), taken when the replay is confirmed. */
  counters: ReplayCounters | null;
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
    // At the confirmation, a moment before the server accepts: traffic in between is counted as "other events".
    const countersBefore = counters;
    replay.mutate(
      { stopAt: confirmed.stopAt },
      {
        onSuccess: (result: ReplayResponse) =>
          onStarted({
            requested: result.requested,
            parkedBefore: result.parkedBefore,
            firstBefore,
            startedAt: Date.now(),
            countersBefore,
          }),
      },
    );
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

/**
 * Live progress of a watched replay — the oldest parked message moving up, and a warning when
 * nothing moved — and, once it moved, its outcome: the server's parked count and the subscriber's
 * counters since the replay was accepted, counted until it settles (isReplayOutcomeSettled, at
 * the latest `watchMs`) so later traffic does not keep changing it.
 */
export function ReplayProgressNote({
  watched,
  window,
  parkedNow,
  countersNow,
  watchMs,
  onDismiss,
}: {
  watched: WatchedReplay;
  window: { first: number | null; total: number };
  parkedNow: number;
  countersNow: ReplayCounters | null;
  watchMs: number;
  onDismiss: () => void;
}) {
  const [now, setNow] = useState(() => Date.now());
  const elapsedMs = now - watched.startedAt;
  const progress = toReplayProgress({
    requested: watched.requested,
    firstBefore: watched.firstBefore,
    firstNow: window.first,
    totalNow: window.total,
    elapsedMs,
    graceMs: NO_EFFECT_GRACE_MS,
  });
  // State set during render (React's pattern for information from earlier renders): when the
  // server first showed the replay done, and the numbers as last counted — they freeze once the
  // outcome settles while the props keep moving.
  const [doneAt, setDoneAt] = useState<number | null>(null);
  if (progress.state === 'done' && doneAt === null) setDoneAt(now);
  const [seen, setSeen] = useState({ parkedNow, countersNow });
  const settled = isReplayOutcomeSettled({
    replayed: progress.replayed,
    doneForMs: doneAt === null ? null : now - doneAt,
    elapsedMs,
    watchMs,
    countersBefore: watched.countersBefore,
    countersNow: seen.countersNow,
  });
  if (!settled && (seen.parkedNow !== parkedNow || !sameReplayCounters(seen.countersNow, countersNow))) {
    setSeen({ parkedNow, countersNow });
  }
  useEffect(() => {
    if (settled) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [settled]);
  const outcome =
    progress.replayed > 0
      ? toReplayOutcome({
          requested: watched.requested,
          replayed: progress.replayed,
          parkedBefore: watched.parkedBefore,
          parkedNow: seen.parkedNow,
          countersBefore: watched.countersBefore,
          countersNow: seen.countersNow,
        })
      : null;

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
      <div className="replay-progress-text">
        <span>{text}</span>
        {outcome && (
          <span
            className="replay-outcome num-text"
            data-testid="replay-outcome"
            data-final={settled}
            data-parked-before={outcome.parkedBefore}
            data-parked-now={outcome.parkedNow}
            data-delivered={outcome.subscriber?.delivered ?? ''}
            data-parked-again={outcome.subscriber?.parked ?? ''}
            data-suppressed={outcome.subscriber?.suppressed ?? ''}
          >
            {outcome.text}
            {settled ? '' : ' · counting…'}
          </span>
        )}
      </div>
      <button type="button" className="button button-ghost" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
