'use client';

import Link from 'next/link';

import { useAccess, useLogout } from '../hooks/use-session';

export function SessionControl() {
  const { loading, session } = useAccess();
  const logout = useLogout();
  if (loading || !session) return <span className="session-placeholder" />;
  if (session.authenticated) {
    return (
      <button type="button" className="button button-ghost" onClick={() => logout.mutate()} disabled={logout.isPending}>
        Log out
      </button>
    );
  }
  return (
    <Link href="/login" className="button button-ghost">
      Log in
    </Link>
  );
}
