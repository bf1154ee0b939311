import { describe, expect, it } from 'vitest';
import { classifyDuplicate, type DuplicateFacts } from './duplicate-cause';

const base: DuplicateFacts = {
  retryCount: 1,
  linkStreamId: undefined,
  epoch: 3,
  previousEpoch: 3,
  previousConnectionEnd: null,
};

describe('classifyDuplicate', () => {
  it('tags a delivery whose link is the group parked record as a replay, whatever its retryCount', () => {
    const linkStreamId = '$persistentsubscription-orders::billing-parked';
    expect(classifyDuplicate({ ...base, linkStreamId, retryCount: 0 })).toBe('replay');
    expect(classifyDuplicate({ ...base, linkStreamId, retryCount: 2, previousEpoch: 1 })).toBe('replay');
  });

  it('tags a parked record of an $all group as a replay', () => {
    expect(classifyDuplicate({ ...base, linkStreamId: '$persistentsubscription-$all::audit-parked', retryCount: 0 })).toBe(
      'replay',
    );
  });

  it('does not take an ordinary resolved link (category stream) for a replay', () => {
    expect(classifyDuplicate({ ...base, linkStreamId: '$ce-orders', retryCount: 0 })).toBe('other');
  });

  it('tags retryCount 0 after a persistent-subscription-dropped drop as a reload from the checkpoint', () => {
    const previousConnectionEnd = 'connection lost: PersistentSubscriptionDroppedError: Subscription dropped';
    expect(classifyDuplicate({ ...base, retryCount: 0, previousEpoch: 2, previousConnectionEnd })).toBe('reload');
    expect(classifyDuplicate({ ...base, retryCount: 0, previousEpoch: undefined, previousConnectionEnd })).toBe('reload');
  });

  it('tags retryCount 0 without a group drop before it as other (a second link, or a reload we did not see)', () => {
    expect(classifyDuplicate({ ...base, retryCount: 0, previousConnectionEnd: null })).toBe('other');
    expect(
      classifyDuplicate({
        ...base,
        retryCount: 0,
        previousConnectionEnd: 'connection lost: UnavailableError: 14 UNAVAILABLE: Connection dropped',
      }),
    ).toBe('other');
  });

  it('tags the same event coming again as a first delivery, with no drop that says so, as a reload we did not see', () => {
    // The server restarted (the drop was only UNAVAILABLE), or this process was down meanwhile.
    const unavailable = 'connection lost: UnavailableError: 14 UNAVAILABLE: Connection dropped';
    expect(classifyDuplicate({ ...base, retryCount: 0, previousConnectionEnd: unavailable, keyIdentifiesEvent: true })).toBe('reload');
    expect(
      classifyDuplicate({ ...base, retryCount: 0, previousEpoch: undefined, previousConnectionEnd: null, keyIdentifiesEvent: true }),
    ).toBe('reload');
  });

  it('keeps a first-delivery duplicate of a link or of a business key as other (a second link, or two events sharing the key)', () => {
    expect(classifyDuplicate({ ...base, retryCount: 0, linkStreamId: '$ce-orders', keyIdentifiesEvent: true })).toBe('other');
    expect(classifyDuplicate({ ...base, retryCount: 0, keyIdentifiesEvent: false })).toBe('other');
  });

  it('tags retryCount 0 whose own connection ended before it was answered as a reconnect (its retry finished the key elsewhere)', () => {
    expect(classifyDuplicate({ ...base, retryCount: 0, previousEpoch: undefined, connectionEnded: true })).toBe('reconnect');
    // A group reload still wins: everything after the checkpoint comes again with retryCount 0.
    const previousConnectionEnd = 'connection lost: PersistentSubscriptionDroppedError: Subscription dropped';
    expect(classifyDuplicate({ ...base, retryCount: 0, previousConnectionEnd, connectionEnded: true })).toBe('reload');
  });

  it('tags retryCount > 0 of a key first received on the same connection as a message timeout', () => {
    expect(classifyDuplicate({ ...base, retryCount: 1, epoch: 3, previousEpoch: 3 })).toBe('timeout');
  });

  it('tags retryCount > 0 of a key first received on an earlier connection as a reconnect redelivery', () => {
    expect(classifyDuplicate({ ...base, retryCount: 1, epoch: 4, previousEpoch: 3 })).toBe('reconnect');
  });

  it('tags retryCount > 0 of a key this process never received (an earlier process had it) as a reconnect redelivery', () => {
    expect(classifyDuplicate({ ...base, retryCount: 2, epoch: 1, previousEpoch: undefined })).toBe('reconnect');
  });
});
