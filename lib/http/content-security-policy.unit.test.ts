import { describe, expect, it } from 'vitest';

import { API_CONTENT_SECURITY_POLICY, pageContentSecurityPolicy } from './content-security-policy';

const nonce = 'MDEyMzQ1Njc4OWFiY2RlZg==';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

describe('content security policy', () => {
  it('allows scripts only with the request nonce (strict-dynamic) and never inline or eval in production', () => {
    const csp = directives(pageContentSecurityPolicy({ nonce, dev: false }));
    const scripts = csp.get('script-src')!;
    expect(scripts).toContain(`'nonce-${nonce}'`);
    expect(scripts).toContain("'strict-dynamic'");
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
  });

  it('forbids framing, plugins and base-URL rewriting', () => {
    const csp = directives(pageContentSecurityPolicy({ nonce, dev: false }));
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
  });

  it('adds unsafe-eval only in development', () => {
    expect(directives(pageContentSecurityPolicy({ nonce, dev: true })).get('script-src')).toContain("'unsafe-eval'");
  });

  it('refuses a short or header-breaking nonce', () => {
    expect(() => pageContentSecurityPolicy({ nonce: 'abc', dev: false })).toThrow(/nonce/);
    expect(() => pageContentSecurityPolicy({ nonce: `${nonce}; script-src *`, dev: false })).toThrow(/nonce/);
  });

  it('lets API responses load nothing and never be framed', () => {
    const csp = directives(API_CONTENT_SECURITY_POLICY);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });
});
