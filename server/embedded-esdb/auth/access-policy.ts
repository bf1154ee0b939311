import type { Caller } from './caller';
import { type AclSource, BUILT_IN_ACLS, rolesFor, type StreamOperation } from './stream-acl';

/**
 * What a call needs (legacy ACL policy, esdb-semantics §4.5):
 * - `authenticated`: any known user (persistent-subscription GetInfo, List);
 * - `operations`: `$ops` or `$admins` (Create, Update, Delete, RestartSubsystem, ReplayParked);
 * - `{ stream, operation }`: read, write or delete access to a stream by its ACL (`stream-acl.ts`):
 *   reads, catch-up and persistent-subscription reads need `read`, appends `write`, deletes and
 *   tombstones `delete`; `$admins` always have it.
 */
export type Access = 'authenticated' | 'operations' | { readonly stream: string; readonly operation: StreamOperation };

export function isAllowed(caller: Caller, access: Access, acls: AclSource = BUILT_IN_ACLS): boolean {
  const admin = caller.groups.includes('$admins');
  if (access === 'authenticated') return caller.authenticated;
  if (access === 'operations') return admin || caller.groups.includes('$ops');
  if (admin) return true;
  const roles = rolesFor(access.stream, access.operation, acls);
  if (roles.includes('$all')) return true;
  return caller.authenticated && (roles.includes(caller.name) || caller.groups.some((group) => roles.includes(group)));
}
