'use client';

import { useEffect, useRef, useState } from 'react';

import { usePark } from '../hooks/use-park';
import { useAccess } from '../hooks/use-session';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Operator park of a delivery subwatch's subscriber holds (in the sink or waiting for a retry),
 * by original event id — e.g. one a failing sink keeps retrying. `prefill` comes from Park… in
 * "Held by the subscriber": the form takes its event id and puts the cursor in the reason (a new
 * `prefill.seq` remounts the form through its `key`, see the subscription page).
 */
export function ParkForm({
  stream,
  group,
  proxied,
  prefill,
}: {
  stream: string;
  group: string;
  proxied: boolean;
  prefill?: { eventId: string; seq: number };
}) {
  const { canWrite, loading } = useAccess();
  const park = usePark(stream, group);
  const disabledReason = loading
    ? null
    : !canWrite
      ? 'Log in to park messages (read-only view).'
      : !proxied
        ? 'Only deliveries held by a subscriber of this subwatch instance can be parked; this group is not proxied.'
        : null;
  const [eventId, setEventId] = useState(prefill?.eventId ?? '');
  const [reason, setReason] = useState('');
  const formRef = useRef<HTMLFormElement>(null);
  const reasonRef = useRef<HTMLInputElement>(null);
  const prefilled = prefill !== undefined && eventId === prefill.eventId;
  useEffect(() => {
    if (!prefill) return;
    formRef.current?.scrollIntoView({ block: 'center' });
    reasonRef.current?.focus({ preventScroll: true });
  }, [prefill]);
  const trimmed = eventId.trim();
  const valid = UUID.test(trimmed);
  const disabled = disabledReason !== null;

  let outcome: { tone: 'ok' | 'error'; text: string } | null = null;
  if (park.isSuccess) outcome = { tone: 'ok', text: `Parked ${park.variables.eventId}.` };
  else if (park.isError) outcome = { tone: 'error', text: park.error.message };

  return (
    <form
      ref={formRef}
      className="park-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (valid) park.mutate({ eventId: trimmed, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      }}
    >
      <div className="park-fields">
        <label>
          <span>Event id</span>
          <input
            className="input mono"
            placeholder="00000000-0000-0000-0000-000000000000"
            value={eventId}
            onChange={(event) => setEventId(event.target.value)}
            disabled={disabled}
            aria-invalid={trimmed !== '' && !valid}
            spellCheck={false}
            autoComplete="off"
            data-testid="park-event-id"
          />
        </label>
        <label>
          <span>Reason</span>
          <input
            className="input"
            placeholder="Shown in the parked list"
            maxLength={500}
            ref={reasonRef}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            disabled={disabled}
            data-testid="park-reason"
          />
        </label>
        <button type="submit" className="button" disabled={disabled || !valid || park.isPending} data-testid="park-submit">
          {park.isPending ? 'Parking…' : 'Park'}
        </button>
      </div>
      <p className={`action-note park-note${outcome ? ` action-${outcome.tone}` : ''}`} aria-live="polite" data-testid="park-outcome">
        {outcome?.text ??
          disabledReason ??
          (trimmed !== '' && !valid
            ? 'An event id is a UUID.'
            : prefilled && !park.isPending
              ? 'Event id taken from the held list: add a reason and park it.'
              : '\u00a0')}
      </p>
    </form>
  );
}
