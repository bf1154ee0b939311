'use client';

import type { ReactNode } from 'react';

import { isNetworkError } from '../hooks/api-client';
import { useAccess } from '../hooks/use-session';
import { Banner } from '../ui/banner';
import { LoginRequired } from './login-required';

/** Renders children only for visitors who may read; a log-in screen otherwise. */
export function RequireRead({ children, fallback }: { children: ReactNode; fallback: ReactNode }) {
  const { loading, canRead, error } = useAccess();
  if (loading) return <>{fallback}</>;
  if (error) {
    return (
      <Banner tone="error" testId="server-unreachable">
        {isNetworkError(error) ? 'The subwatch server is unreachable. Retrying…' : `Could not check your session: ${(error as Error).message}`}
      </Banner>
    );
  }
  if (!canRead) return <LoginRequired />;
  return <>{children}</>;
}
