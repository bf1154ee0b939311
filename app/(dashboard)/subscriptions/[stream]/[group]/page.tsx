import type { Metadata } from 'next';
import { notFound } from 'next/navigation';

import { SubscriptionClient } from './client';
import { parsePageParams, type PageParams } from './search-params';

export async function generateMetadata({ params }: { params: Promise<PageParams> }): Promise<Metadata> {
  const ref = parsePageParams(await params, 'metadata');
  return { title: ref ? `${ref.group} · ${ref.stream}` : 'Subscription' };
}

export default async function SubscriptionPage({ params }: { params: Promise<PageParams> }) {
  const ref = parsePageParams(await params, 'page');
  if (!ref) notFound();
  return <SubscriptionClient stream={ref.stream} group={ref.group} />;
}
