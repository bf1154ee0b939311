'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';

import { useAccess, useLogin } from '@/components/hooks/use-session';

/** Reads `#token=…` (the link subwatch prints at start) and removes it from the address bar. */
function takeTokenFromFragment(): string | null {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const token = params.get('token');
  if (token !== null) window.history.replaceState(null, '', window.location.pathname + window.location.search);
  return token && token.trim() !== '' ? token.trim() : null;
}

export function LoginClient() {
  const router = useRouter();
  const login = useLogin();
  const { session } = useAccess();
  const [token, setToken] = useState('');
  const tried = useRef(false);

  useEffect(() => {
    const tryFragment = () => {
      const fragmentToken = takeTokenFromFragment();
      if (fragmentToken && !tried.current) {
        // Strict mode runs effects twice in development; log in once per link.
        tried.current = true;
        login.mutate(fragmentToken, {
          onSuccess: () => router.replace('/'),
          onSettled: () => {
            tried.current = false;
          },
        });
      }
    };
    tryFragment();
    // Pasting a login link into a tab already on /login only changes the fragment.
    window.addEventListener('hashchange', tryFragment);
    return () => window.removeEventListener('hashchange', tryFragment);
  }, [login, router]);

  return (
    <div className="login">
      <h1>Log in to subwatch</h1>
      {session?.authenticated && !login.isPending && !login.isSuccess && (
        <p className="banner banner-info">
          You are already logged in. <Link href="/">Open the dashboard</Link>
        </p>
      )}
      <p className="muted">
        Paste the admin token (<code>SUBWATCH_ADMIN_TOKEN</code>, or the one printed when the server started). The session
        cookie is HttpOnly and stays on this browser.
      </p>
      <form
        className="login-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (token.trim() === '') return;
          login.mutate(token.trim(), { onSuccess: () => router.replace('/') });
        }}
      >
        <label htmlFor="token">Admin token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="current-password"
          spellCheck={false}
          value={token}
          onChange={(event) => setToken(event.target.value)}
          placeholder="Paste token"
          required
        />
        <button type="submit" className="button" disabled={login.isPending}>
          {login.isPending ? 'Logging in…' : 'Log in'}
        </button>
        <p className={`action-note${login.isError ? ' action-error' : ''}`} aria-live="polite" data-testid="login-outcome">
          {login.isError
            ? login.error.message
            : login.isPending
              ? 'Logging in…'
              : login.isSuccess
                ? 'Logged in. Opening the dashboard…'
                : '\u00a0'}
        </p>
      </form>
    </div>
  );
}
