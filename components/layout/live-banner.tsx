'use client';

import { isNetworkError } from '../hooks/api-client';
import { useLiveStatus } from '../hooks/use-live-stream';
import { Banner } from '../ui/banner';

/**
 * "Server unreachable" when the last fetch failed on the network, "EventStoreDB unreachable" when
 * the runtime cannot poll the server, "live updates disconnected" when only the SSE stream is down
 * (data is then polled and may lag).
 */
export function LiveBanner({ fetchError }: { fetchError: unknown }) {
  const { state, serverError } = useLiveStatus();
  if (fetchError && isNetworkError(fetchError)) {
    return (
      <Banner tone="error" testId="server-unreachable">
        The subwatch server is unreachable. Showing the last data received; retrying…
      </Banner>
    );
  }
  if (serverError && state === 'open') {
    return (
      <Banner tone="error" testId="esdb-unreachable">
        EventStoreDB is unreachable ({serverError}). Showing the last known numbers.
      </Banner>
    );
  }
  if (state === 'reconnecting') {
    return (
      <Banner tone="warning" testId="live-disconnected">
        Live updates disconnected. Reconnecting; numbers refresh every few seconds meanwhile.
      </Banner>
    );
  }
  return null;
}
