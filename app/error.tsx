'use client';

import { useEffect } from 'react';

import { EmptyState } from '@/components/ui/empty-state';

/** Last-resort boundary: a rendering bug shows a calm message with a retry, not a blank page. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error('[ui] page crashed', error);
  }, [error]);
  return (
    <section className="card">
      <EmptyState title="Something went wrong on this page">
        <p>{error.digest ? `Reference ${error.digest}. ` : ''}The live data is still being collected; try again.</p>
        <button type="button" className="button" onClick={reset}>
          Try again
        </button>
      </EmptyState>
    </section>
  );
}
