import { Metadata, status } from '@grpc/grpc-js';
import { type Access, isAllowed } from '../auth/access-policy';
import { ANONYMOUS, type Caller, toCaller } from '../auth/caller';
import { type AclSource, BUILT_IN_ACLS } from '../auth/stream-acl';
import type { StatusError } from './to-service-error';

export type GuardResult = { readonly caller: Caller; readonly error?: undefined } | { readonly error: StatusError };

/** Authenticates and authorizes one call from its metadata. */
export type CallGuard = (metadata: Metadata, access: Access) => GuardResult;

function unauthenticated(): StatusError {
  return Object.assign(new Error('Unauthenticated'), { code: status.UNAUTHENTICATED, details: 'Unauthenticated', metadata: new Metadata() });
}

function accessDenied(): StatusError {
  const metadata = new Metadata();
  metadata.set('exception', 'access-denied');
  return Object.assign(new Error('Access Denied'), { code: status.PERMISSION_DENIED, details: 'Access Denied', metadata });
}

/** An insecure node checks nothing (§4.5 "all checks are off"): every call is anonymous and allowed. */
export const insecureGuard: CallGuard = () => ({ caller: ANONYMOUS });

/**
 * A secure node: bad credentials fail with UNAUTHENTICATED (the client's AccessDeniedError), a
 * caller without the access fails with PERMISSION_DENIED + `access-denied`. Stream access follows
 * the ACLs `acls` finds (stream `$acl` metadata, `$settings` default ACL) at the time of the call.
 */
export function createSecureGuard(acls: AclSource = BUILT_IN_ACLS): CallGuard {
  return (metadata, access) => {
    const header = metadata.get('authorization')[0];
    const caller = toCaller(header === undefined ? undefined : header.toString());
    if (!caller) return { error: unauthenticated() };
    return isAllowed(caller, access, acls) ? { caller } : { error: accessDenied() };
  };
}
