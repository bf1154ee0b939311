import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';

import { SiteHeader } from '@/components/layout/site-header';
import { Providers } from '@/components/providers';

import './globals.css';

// Every page renders per request: its scripts carry the CSP nonce that proxy.ts makes per request.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: 'subwatch', template: '%s · subwatch' },
  description: 'Live dashboard and deduplicating proxy for EventStoreDB / KurrentDB persistent subscriptions',
  robots: { index: false, follow: false },
};

export const viewport: Viewport = {
  colorScheme: 'light dark',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f7f8fa' },
    { media: '(prefers-color-scheme: dark)', color: '#111418' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>
          <SiteHeader />
          <main className="page">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
