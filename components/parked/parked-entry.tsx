'use client';

import type { ParkedTextEncoding } from '@/lib/api/schemas';

import { formatRelative } from '../format';
import type { ParkedRow } from './parked-groups';

const ENCODING_LABEL: Record<ParkedTextEncoding, string> = {
  json: 'JSON',
  text: 'text (not valid JSON)',
  base64: 'binary, base64',
  none: 'empty',
};

function absolute(iso: string | null): string {
  if (!iso) return 'unknown';
  const at = new Date(iso);
  // sv-SE gives an unambiguous local "2026-12-03 18:21:20".
  return Number.isNaN(at.getTime()) ? iso : at.toLocaleString('sv-SE');
}

/** Event text is rendered as text (React escapes it), never as markup: event data is untrusted. */
function TextBlock({ label, text, encoding, testId }: { label: string; text: string; encoding: ParkedTextEncoding; testId: string }) {
  return (
    <div className="parked-text">
      <div className="parked-text-label">
        {label} <span className="muted">· {ENCODING_LABEL[encoding]}</span>
      </div>
      {encoding === 'none' ? (
        <p className="muted parked-text-empty">No {label.toLowerCase()}.</p>
      ) : (
        <pre className="parked-pre" data-testid={testId}>
          {text}
        </pre>
      )}
    </div>
  );
}

/** One original event: summary line (time, type, stream@revision, count), expandable to its data and metadata. */
export function ParkedEntry({ row, now }: { row: ParkedRow; now: number }) {
  const m = row.latest;
  const numbers = row.parkedEventNumbers;
  return (
    <details className="parked-entry" data-testid="parked-entry" data-event-id={m.eventId ?? ''}>
      <summary>
        <span className="parked-when" title={absolute(m.parkedAt)}>
          {formatRelative(m.parkedAt, now)}
        </span>
        <span className="parked-type" data-testid="parked-type">
          {m.type ?? <span className="muted">event no longer exists</span>}
        </span>
        <span className="parked-where mono" title={`${m.stream}@${m.revision}`}>
          {m.stream}@{m.revision}
        </span>
        <span className="parked-count">
          {row.count > 1 && (
            <span className="chip chip-warn" title={`Parked ${row.count} times: #${numbers.join(', #')}`} data-testid="parked-times">
              ×{row.count}
            </span>
          )}
        </span>
        <span className="parked-number muted num-text">#{numbers[numbers.length - 1]}</span>
      </summary>
      <div className="parked-body">
        <dl className="parked-facts">
          <div>
            <dt>Event id</dt>
            <dd className="mono">{m.eventId ?? '—'}</dd>
          </div>
          <div>
            <dt>Parked</dt>
            <dd>
              {absolute(m.parkedAt)} ({formatRelative(m.parkedAt, now)})
            </dd>
          </div>
          <div>
            <dt>Parked entries</dt>
            <dd className="num-text">#{numbers.join(', #')}</dd>
          </div>
          <div className="parked-fact-wide">
            <dt>Reason</dt>
            <dd className="parked-reason-full">{m.reason || '—'}</dd>
          </div>
        </dl>
        <TextBlock label="Data" text={m.data} encoding={m.dataEncoding} testId="parked-data" />
        <TextBlock label="Metadata" text={m.metadata} encoding={m.metadataEncoding} testId="parked-metadata" />
      </div>
    </details>
  );
}
