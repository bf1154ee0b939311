'use client';

import { useEffect, useState } from 'react';

/**
 * Current time, re-rendering every `intervalMs` (for "3 min ago"). Only used by components that
 * render client-fetched data, so server and client never disagree during hydration.
 */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
