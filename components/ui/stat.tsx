import type { ReactNode } from 'react';

/** One labelled number; `title` carries the exact value when the shown one is abbreviated. */
export function Stat({ label, value, title, hint, testId }: { label: string; value: ReactNode; title?: string; hint?: ReactNode; testId?: string }) {
  return (
    <div className="stat" data-testid={testId}>
      <div className="stat-label" title={label}>
        {label}
      </div>
      <div className="stat-value" title={title}>
        {value}
      </div>
      {hint && <div className="stat-hint">{hint}</div>}
    </div>
  );
}
