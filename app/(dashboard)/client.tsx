'use client';

import { RequireRead } from '@/components/auth/require-read';
import { formatClock } from '@/components/format';
import { useLiveStatus } from '@/components/hooks/use-live-stream';
import { useSubscriptions } from '@/components/hooks/use-subscriptions';
import { LiveBanner } from '@/components/layout/live-banner';
import { SubscriptionsTable } from '@/components/subscriptions/subscriptions-table';
import { Banner } from '@/components/ui/banner';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { isNetworkError } from '@/components/hooks/api-client';

function PageHeading({ subtitle }: { subtitle?: string }) {
  return (
    <div className="page-heading">
      <h1>Persistent subscriptions</h1>
      <p className="muted" aria-live="off">
        {subtitle ?? '\u00a0'}
      </p>
    </div>
  );
}

function Overview() {
  const { data, error, isPending } = useSubscriptions();
  const live = useLiveStatus();
  const subscriptions = data?.subscriptions ?? [];
  const proxied = subscriptions.filter((s) => s.proxied).length;
  const subtitle = data
    ? `${subscriptions.length} group${subscriptions.length === 1 ? '' : 's'} on the server, ${proxied} proxied by subwatch${
        live.lastSnapshotAt ? ` · updated ${formatClock(live.lastSnapshotAt)}` : ''
      }`
    : undefined;

  return (
    <>
      <PageHeading subtitle={subtitle} />
      <LiveBanner fetchError={error} />
      {error && !isNetworkError(error) && <Banner tone="error">Could not load subscriptions: {error.message}</Banner>}
      <Card>
        {!isPending && subscriptions.length === 0 && !error ? (
          <EmptyState title="No persistent subscriptions yet">
            <p>
              Groups appear here as soon as they exist on the server — create one with your client, or list it under{' '}
              <code>proxies</code> in <code>subwatch.config.json</code> with <code>createIfMissing</code>.
            </p>
          </EmptyState>
        ) : (
          <SubscriptionsTable subscriptions={subscriptions} loading={isPending && !data} />
        )}
      </Card>
    </>
  );
}

export function OverviewClient() {
  return (
    <RequireRead
      fallback={
        <>
          <PageHeading />
          <Card>
            <SubscriptionsTable subscriptions={[]} loading />
          </Card>
        </>
      }
    >
      <Overview />
    </RequireRead>
  );
}
