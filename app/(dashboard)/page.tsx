import type { Metadata } from 'next';
import { Suspense } from 'react';

import { OverviewClient, OverviewFallback } from './client';

export const metadata: Metadata = { title: 'Subscriptions' };

export default function OverviewPage() {
  // The view (sort, filters) lives in the search params, read on the client (useSearchParams).
  return (
    <Suspense fallback={<OverviewFallback />}>
      <OverviewClient />
    </Suspense>
  );
}
