import { z } from 'zod';

// Runs before any app module in the browser. Zod probes for `new Function` (its JIT) when the
// shared schemas are built; the page CSP forbids eval (proxy.ts), so that probe would be
// reported as a CSP violation. Jitless parsing is what Zod falls back to without eval anyway.
z.config({ jitless: true });
