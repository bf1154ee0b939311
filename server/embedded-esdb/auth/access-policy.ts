import type { Caller } from './caller';

/**
 * What a call needs (legacy ACL policy, esdb-semantics §4.5, default stream ACLs):
 * - `authenticated`: any known user (persistent-subscription GetInfo, List);
 * - `operations`: `$ops` or `$admins` (Create, Update, Delete, RestartSubsystem, ReplayParked);
 * - `{ stream }`: read or write access to a stream: everyone for user streams (and their `$$`
 *   metadata), `$admins` for system streams (`$…`, including `$all`).
 */
export type Access = 'authenticated' | 'operations' | { readonly stream: string };

export function isAllowed(caller: Caller, access: Access): boolean {
  const admin = caller.groups.includes('$admins');
  if (access === 'authenticated') return caller.authenticated;
  if (access === 'operations') return admin || caller.groups.includes('$ops');
  const stream = access.stream.startsWith('$$') ? access.stream.slice(2) : access.stream;
  return !stream.startsWith('$') || admin;
}
