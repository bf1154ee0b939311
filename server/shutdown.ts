/**
 * Named, idempotent shutdown steps run in reverse registration order, each bounded by a deadline.
 * `shutdown()` returns the same promise when called twice (second signal, error path).
 */
import type { Logger } from 'pino';

export interface ShutdownManager {
  register(name: string, step: () => Promise<void> | void): void;
  shutdown(reason: string): Promise<void>;
}

export function createShutdownManager(logger: Logger, stepTimeoutMs = 10_000): ShutdownManager {
  const steps: Array<{ name: string; step: () => Promise<void> | void }> = [];
  let running: Promise<void> | undefined;

  async function runStep(name: string, step: () => Promise<void> | void): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), stepTimeoutMs);
    });
    try {
      const outcome = await Promise.race([Promise.resolve().then(step).then(() => 'done' as const), timeout]);
      if (outcome === 'timeout') logger.warn({ step: name }, 'shutdown step timed out after %d ms', stepTimeoutMs);
    } catch (error) {
      logger.error({ err: error, step: name }, 'shutdown step failed');
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    register(name, step) {
      steps.push({ name, step });
    },
    shutdown(reason) {
      running ??= (async () => {
        logger.info({ reason }, 'shutting down');
        for (const { name, step } of [...steps].reverse()) await runStep(name, step);
        logger.info('shutdown complete');
      })();
      return running;
    },
  };
}
