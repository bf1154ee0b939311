/**
 * Shared by playwright.config.ts and the specs. The token is ≥ 16 characters because
 * lib/config/schema.ts rejects shorter admin tokens at boot.
 */
export const E2E_TOKEN = 'e2e-token-0123456789';
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const DEMO_STREAM = 'demo-orders';
export const DEMO_GROUP = 'demo-billing';
