import Link from 'next/link';

/** Shown instead of data when the visitor is not logged in and public read is off. */
export function LoginRequired() {
  return (
    <div className="login-required" data-testid="login-required">
      <h1>Log in to see your subscriptions</h1>
      <p>
        This dashboard is protected by an admin token. When subwatch starts it prints a login link such as{' '}
        <code>http://127.0.0.1:3000/login#token=…</code>. Open that link, or paste the token on the login page.
      </p>
      <Link href="/login" className="button">
        Log in
      </Link>
    </div>
  );
}
