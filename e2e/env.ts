/**
 * Shared by playwright.config.ts and the specs. The token is ≥ 16 characters because
 * lib/config/schema.ts rejects shorter admin tokens at boot.
 */
export const E2E_TOKEN = 'e2e-token-0123456789';
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const DEMO_STREAM = 'demo-orders';
export const DEMO_GROUP = 'demo-billing';
/** The e2e sink receiver (e2e/sink-receiver.ts) that the e2e config file's webhooks point at. */
export const E2E_SINK_PORT = Number(process.env.E2E_SINK_PORT ?? E2E_PORT + 1);
/** Groups of the e2e config file (e2e/e2e-config.ts). */
export const HELD_GROUP = 'e2e-held';
export const REJECTED_GROUP = 'e2e-rejected';
export const REJECT_BODY = 'order rejected by the e2e downstream service';
/**
 * The `/held` route's 503 body: subwatch's retry reason carries it into the held list, where it
 * must show as text (a hostile string from a downstream service).
 */
export const HELD_FAILURE_BODY = 'downstream unavailable (e2e) <img src=x onerror=alert(1)>';
