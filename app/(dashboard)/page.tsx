import type { Metadata } from 'next';

import { OverviewClient } from './client';

export const metadata: Metadata = { title: 'Subscriptions' };

export default function OverviewPage() {
  return <OverviewClient />;
}
