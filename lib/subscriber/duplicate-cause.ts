/**
 * Why a suppressed duplicate was (most likely) redelivered — esdb-semantics.md §2.4, §2.6, §3.3, §7.
 *
 * The server does not say why it redelivers; the cause is inferred from what the delivery carries
 * (retryCount, the link record) and what this subscriber saw before (in which epoch it last
 * received the key, how the previous connection ended). The rules, first match wins:
 *
 * 1. `replay` — the link is a `$persistentsubscription-<stream>::<group>-parked` record. A
 *    replayed parked message always carries the parked `$>` record as its link, with a new id and
 *    retryCount 0, even when the group does not resolve links (§3.3, §7e).
 * 2. `reload` — retryCount 0 and the previous connection of this subscriber was dropped with
 *    `persistent-subscription-dropped`: the group was shut down (leader change, RestartSubsystem,
 *    Update) and reloaded from its checkpoint, which redelivers everything after the checkpoint,
 *    acked or not, with retryCount reset to 0 (§2.6, §7d).
 * 3. `reconnect` — retryCount 0 and this copy's connection ended before it was answered: the
 *    server retried it when that connection ended (§2.4), and the retry — on another connection,
 *    often another instance — finished the key while this copy still waited (to open its epoch,
 *    or for its claim).
 * 4. `reload` — retryCount 0, no link record, and the dedup key identifies the event itself
 *    (`eventId`, `streamRevision`): the very event, already processed and acked, came again as
 *    a first delivery. Acked messages come back only when the group starts again from its
 *    checkpoint (§2.5, §2.6): a reload this subscriber did not see as a drop — the server
 *    restarted (the connection just broke), a leader changed, or this process was down meanwhile.
 * 5. `other` — any other retryCount 0 duplicate: `retryCount == 0` is never a retry by the same
 *    group instance (§2.4), so it is a second link to the same event (§7f), a reload of a link
 *    stream, or two events sharing a business key.
 * 6. `timeout` — retryCount > 0 and this subscriber received the key earlier *on the same
 *    connection*: the server gave up waiting for the ack (message timeout, §2.4/§7b) while the
 *    first copy was still in the sink, or its ack was written after the expiry.
 * 7. `reconnect` — retryCount > 0 otherwise: the key was received on an earlier connection (or by
 *    an earlier process of this subscriber), so the copy is an unacked in-flight message retried
 *    when that connection ended (§2.4 "consumer disconnect", §7c) — including an ack lost with
 *    the connection.
 *
 * A nack `retry` (§7a) never produces a duplicate: the subscriber nacks only keys it did not
 * complete.
 */

export const duplicateCauses = ['reconnect', 'timeout', 'reload', 'replay', 'other'] as const;
export type DuplicateCause = (typeof duplicateCauses)[number];

export interface DuplicateFacts {
  /** `retryCount` of this copy. */
  retryCount: number;
  /** Stream of the delivery's link record, when it has one. */
  linkStreamId: string | undefined;
  /** The epoch this copy arrived in. */
  epoch: number;
  /**
   * The epoch in which this subscriber last received the same key before this copy; undefined
   * when it never did (an earlier process handled it, or it fell out of the bounded memory).
   */
  previousEpoch: number | undefined;
  /** End reason of the connection before this one; null for the first connection of the process. */
  previousConnectionEnd: string | null;
  /** This copy's own connection ended before the copy was answered (rule 3). Default false. */
  connectionEnded?: boolean;
  /** The dedup key names the event itself (`eventId`, `streamRevision`), not a business key (rule 4). Default false. */
  keyIdentifiesEvent?: boolean;
}

const PARKED_STREAM = /^\$persistentsubscription-.+-parked$/;
/** The client's text for the wire exception `persistent-subscription-dropped` (§4.6). */
const GROUP_RELOAD_DROP = /persistent-?subscription-?dropped/i;

/** Pure: the likely cause of one suppressed duplicate (rules in the module comment). */
export function classifyDuplicate(facts: DuplicateFacts): DuplicateCause {
  if (facts.linkStreamId !== undefined && PARKED_STREAM.test(facts.linkStreamId)) return 'replay';
  if (facts.retryCount === 0) {
    if (facts.previousConnectionEnd !== null && GROUP_RELOAD_DROP.test(facts.previousConnectionEnd)) return 'reload';
    if (facts.connectionEnded === true) return 'reconnect';
    return facts.linkStreamId === undefined && facts.keyIdentifiesEvent === true ? 'reload' : 'other';
  }
  return facts.previousEpoch === facts.epoch ? 'timeout' : 'reconnect';
}
