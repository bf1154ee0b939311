import type { CreateReq, UpdateReq } from '@eventstore/db-client/generated/persistent_pb';
import type { AllFilter } from '../persistent/event-source/all-filter';
import { START_FROM_END } from '../persistent/settings';

type WireAllOptions = CreateReq.AllOptions | UpdateReq.AllOptions;

/**
 * `$all` start → cursor: start = 0, end = START_FROM_END, otherwise the commit position.
 * Returns a failure reason for positions the server rejects (prepare > commit, mixed −1).
 */
export function toAllStart(options: WireAllOptions): { startFrom: number } | { reason: string } {
  if (options.hasStart()) return { startFrom: 0 };
  if (options.hasEnd()) return { startFrom: START_FROM_END };
  const position = options.getPosition();
  if (!position) return { startFrom: 0 };
  const commit = BigInt(position.getCommitPosition() || '0');
  const prepare = BigInt(position.getPreparePosition() || '0');
  if (prepare > commit) return { reason: 'Invalid position: the prepare position is greater than the commit position.' };
  return { startFrom: Number(commit) };
}

/** `AllOptions.filter` → AllFilter; undefined for `no_filter` (and for Update, which has none). */
export function toAllFilter(options: WireAllOptions): AllFilter | undefined {
  if (!('getFilter' in options)) return undefined;
  const filter = options.getFilter();
  if (!filter) return undefined;
  const on = filter.hasStreamIdentifier() ? 'stream' : 'event-type';
  const expression = filter.hasStreamIdentifier() ? filter.getStreamIdentifier() : filter.getEventType();
  if (!expression) return undefined;
  const regex = expression.getRegex();
  return regex ? { on, regex } : { on, prefixes: expression.getPrefixList() };
}
