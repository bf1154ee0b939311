import type { Metadata } from 'next';
import Link from 'next/link';

import { EmptyState } from '@/components/ui/empty-state';

export const metadata: Metadata = { title: 'Not found' };

export default function NotFound() {
  return (
    <section className="card">
      <EmptyState title="Page not found">
        <p>
          There is nothing at this address. <Link href="/">Back to all subscriptions</Link>
        </p>
      </EmptyState>
    </section>
  );
}
