import type { ReactNode } from 'react';

export function Banner({ tone, children, testId }: { tone: 'info' | 'warning' | 'error'; children: ReactNode; testId?: string }) {
  return (
    <div className={`banner banner-${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {children}
    </div>
  );
}
