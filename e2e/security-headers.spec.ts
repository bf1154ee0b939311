import { expect, test, type Page } from '@playwright/test';

import { demoRow, loginWithLink, readDelivered } from './fixtures';
import { DEMO_GROUP, DEMO_STREAM } from './env';

/** Records CSP violations the page reports (securitypolicyviolation) and CSP console errors. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on('console', (message) => {
    if (/content security policy/i.test(message.text())) console.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return async () => [...console, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp))];
}

test.describe('security headers', () => {
  test('pages hydrate under the nonce-based CSP without a single violation', async ({ page }) => {
    const violations = await watchCsp(page);
    const overview = await page.goto('/');
    const policy = overview!.headers()['content-security-policy'] ?? '';
    expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(overview!.headers()['x-content-type-options']).toBe('nosniff');
    expect(overview!.headers()['referrer-policy']).toBe('no-referrer');
    expect(overview!.headers()['x-frame-options']).toBe('DENY');

    // The login link only works when the client bundle ran (it reads the token from the hash).
    await loginWithLink(page);
    await expect(demoRow(page)).toBeVisible();
    await expect.poll(() => readDelivered(page)).toBeGreaterThan(0);
    await page.goto(`/subscriptions/${DEMO_STREAM}/${DEMO_GROUP}`);
    await expect(page.getByRole('heading', { name: DEMO_GROUP })).toBeVisible();
    expect(await violations()).toEqual([]);
  });

  test('a fresh nonce on every page response, and an injected inline event handler does not run', async ({ page, request }) => {
    const nonceOf = async () =>
      /'nonce-([^']+)'/.exec((await request.get('/login')).headers()['content-security-policy'] ?? '')?.[1];
    const first = await nonceOf();
    expect(first).toBeTruthy();
    expect(await nonceOf()).not.toBe(first);

    await page.goto('/login');
    const outcome = await page.evaluate(async () => {
      const w = window as unknown as { __injected?: number };
      const violated = new Promise<string>((resolve) =>
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true }),
      );
      // What a stored-XSS payload in a stream name would do if it ever reached the HTML.
      const holder = document.createElement('div');
      holder.innerHTML = '<img src="/nope.png" onerror="window.__injected = 1">';
      document.body.append(holder);
      return { directive: await violated, injected: w.__injected ?? null };
    });
    expect(outcome).toEqual({ directive: 'script-src-attr', injected: null });
  });
});
