import Link from 'next/link';

import { LiveIndicator } from './live-indicator';
import { SessionControl } from './session-control';

export function SiteHeader() {
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          subwatch
        </Link>
        <nav className="site-nav" aria-label="Main">
          <Link href="/">Subscriptions</Link>
        </nav>
        <div className="site-header-end">
          <LiveIndicator />
          <SessionControl />
        </div>
      </div>
    </header>
  );
}
