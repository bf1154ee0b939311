'use client';

import { useEffect, useId, useRef, useState } from 'react';

import { formatExact } from '../format';
import { needsTypedConfirmation, type ReplayPlan } from './replay-plan';

/**
 * Confirmation of a replay: states how many messages will be redelivered; above 100 the
 * operator types the group name. A native modal <dialog>: focus is trapped and Esc cancels.
 */
export function ReplayDialog({
  plan,
  group,
  first,
  onConfirm,
  onCancel,
}: {
  plan: ReplayPlan;
  group: string;
  first: number | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState('');
  const inputId = useId();
  const typedRequired = needsTypedConfirmation(plan.count);
  const confirmed = !typedRequired || typed === group;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const range =
    first !== null && plan.count > 0 ? ` (parked #${formatExact(first)}–#${formatExact(first + plan.count - 1)})` : '';
  const noun = plan.count === 1 ? 'message' : 'messages';
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={`${inputId}-title`}
      data-testid="replay-dialog"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          if (confirmed) onConfirm();
        }}
      >
        <h2 id={`${inputId}-title`} className="dialog-title">
          Replay {formatExact(plan.count)} parked {noun}?
        </h2>
        <p>
          The server will redeliver <strong data-testid="replay-dialog-count">{formatExact(plan.count)}</strong> {noun}
          {plan.all ? ' — every message parked now' : ' — the oldest ones'}
          {range} to the consumers of <strong>{group}</strong>. A message that fails again is parked again.
        </p>
        {plan.all && (
          <p className="muted">Messages parked after this dialog opened are not included; replay them with a later replay.</p>
        )}
        {typedRequired && (
          <p>
            <label htmlFor={inputId}>
              This is a large replay. Type the group name <strong className="mono">{group}</strong> to confirm:
            </label>
            <input
              id={inputId}
              className="input dialog-input"
              autoComplete="off"
              spellCheck={false}
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
              data-testid="replay-dialog-group"
            />
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button button-ghost" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button" disabled={!confirmed} data-testid="replay-confirm" autoFocus={!typedRequired}>
            Replay {formatExact(plan.count)} {noun}
          </button>
        </div>
      </form>
    </dialog>
  );
}
