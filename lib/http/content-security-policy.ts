/**
 * Content-Security-Policy values (issue 6 "security headers"). Pages get a per-request nonce:
 * Next applies it to its own bootstrap and flight-data scripts, so no inline script runs without
 * it and `'unsafe-inline'` is never allowed for scripts. API responses are data, never documents
 * to render, so they allow nothing at all.
 */

/**
 * Page policy. `'strict-dynamic'` lets the nonced bootstrap load the chunk files it imports.
 * Styles keep `'unsafe-inline'`: charts set inline `style` attributes, which a nonce cannot cover,
 * and inline CSS cannot run code. No `upgrade-insecure-requests`: subwatch is usually served over
 * plain HTTP on an internal address, where upgrading its own asset URLs would break the page.
 * @param dev React's development build needs `'unsafe-eval'` (server error stacks); production never does.
 */
export function pageContentSecurityPolicy({ nonce, dev }: { nonce: string; dev: boolean }): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) {
    throw new Error('pageContentSecurityPolicy: the nonce must be ≥ 16 base64 characters from a CSPRNG');
  }
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** For JSON, SSE and metrics responses: nothing may load, and nobody may frame them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";
