import type { Clock } from '../clock';

/** A clock that only moves when a test advances it. */
export class FakeClock implements Clock {
  constructor(private current = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.current;
  }

  advance(milliseconds: number): void {
    this.current += milliseconds;
  }
}
