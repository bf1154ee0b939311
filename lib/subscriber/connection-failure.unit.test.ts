import { describe, expect, it } from 'vitest';
import { classifyConnectionFailure } from './connection-failure';

describe('classifyConnectionFailure', () => {
  it('recognises a full group', () => {
    expect(
      classifyConnectionFailure('PersistentSubscriptionMaximumSubscribersReachedError: Maximum subscriptions reached.'),
    ).toBe('maximum-subscribers-reached');
  });

  it('recognises a missing group', () => {
    expect(classifyConnectionFailure('PersistentSubscriptionDoesNotExistError: 5 NOT_FOUND: Subscription group g on stream s does not exist.')).toBe('group-missing');
  });

  it('recognises a deleted stream', () => {
    expect(classifyConnectionFailure('StreamDeletedError: orders-1 is deleted.')).toBe('stream-deleted');
  });

  it('recognises an unreachable server', () => {
    expect(classifyConnectionFailure('UnavailableError: 14 UNAVAILABLE: No connection established')).toBe('server-unavailable');
    expect(classifyConnectionFailure('Error: connect ECONNREFUSED 127.0.0.1:2113')).toBe('server-unavailable');
  });

  it('recognises a server-side drop of the group', () => {
    expect(classifyConnectionFailure('PersistentSubscriptionDroppedError: Subscription dropped')).toBe('dropped-by-server');
  });

  it('falls back to a lost connection', () => {
    expect(classifyConnectionFailure('subscription ended by the server')).toBe('connection-lost');
  });
});
