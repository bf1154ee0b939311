/** sessionStorage key of the live history kept across page reloads (use-live-stream.tsx). */
export const HISTORY_STORAGE_KEY = 'subwatch.liveHistory';

/** Drops the saved history (log out: nothing read with the old session is kept). */
export function forgetLiveHistory(): void {
  try {
    window.sessionStorage.removeItem(HISTORY_STORAGE_KEY);
  } catch {
    // Storage disabled: nothing was saved.
  }
}
