import { NextResponse, type NextRequest } from 'next/server';

import { API_CONTENT_SECURITY_POLICY, pageContentSecurityPolicy } from '@/lib/http/content-security-policy';

/**
 * Content-Security-Policy per request (issue 6). Pages get a fresh nonce: Next reads it from the
 * request's CSP header while rendering and puts it on its bootstrap and flight-data scripts, so
 * every page must render dynamically (app/layout.tsx). The headers that never vary (nosniff,
 * Referrer-Policy, X-Frame-Options) come from next.config.js and cover static assets as well.
 */
export function proxy(request: NextRequest): NextResponse {
  if (!isDecodablePath(request.nextUrl.pathname)) {
    // Next would fail decoding the route params and answer a bare 500: say what is wrong instead.
    const error = { error: { code: 'VALIDATION', message: 'The URL path is not valid percent-encoded UTF-8.' } };
    const response = NextResponse.json(error, { status: 400, headers: { 'cache-control': 'no-store' } });
    response.headers.set('content-security-policy', API_CONTENT_SECURITY_POLICY);
    return response;
  }
  if (request.nextUrl.pathname.startsWith('/api/')) {
    const response = NextResponse.next();
    response.headers.set('content-security-policy', API_CONTENT_SECURITY_POLICY);
    return response;
  }
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
  const policy = pageContentSecurityPolicy({ nonce, dev: process.env.NODE_ENV === 'development' });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', policy);
  return response;
}

function isDecodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    // Why: a URIError is exactly the answer sought (malformed %-escape or invalid UTF-8).
    return false;
  }
}

export const config = {
  // Hashed build assets are scripts and styles themselves, not documents: they need no policy.
  matcher: ['/((?!_next/static|_next/image).*)'],
};
