/**
 * Stream access control lists (legacy ACL policy, esdb-semantics §4.5 "Read needs stream read
 * access"; the details below are the real server's documented behaviour, since the spec is silent
 * on them — see README "Security"):
 * - A stream's ACL is the `$acl` object of its metadata (`$$<stream>`): `$r` read, `$w` write,
 *   `$d` delete, `$mr` read metadata, `$mw` write metadata. Each is one role or an array of roles;
 *   an empty array grants nobody. A role is a user name, a group, or `$all` (everyone, anonymous
 *   included).
 * - A permission the stream's ACL does not set comes from the default ACL: the last `$settings`
 *   event's `$userStreamAcl` (streams not starting with `$`) or `$systemStreamAcl` (`$…` streams,
 *   `$all` included); without one, users `$all` and system `$admins` for every permission.
 * - `$admins` bypass every ACL.
 */

export interface StreamAcl {
  readonly read?: readonly string[];
  readonly write?: readonly string[];
  readonly delete?: readonly string[];
  readonly metaRead?: readonly string[];
  readonly metaWrite?: readonly string[];
}

export type AclPermission = keyof StreamAcl;

export interface DefaultAcls {
  readonly user: StreamAcl;
  readonly system: StreamAcl;
}

const everyone = ['$all'];
const admins = ['$admins'];

export const BUILT_IN_DEFAULT_ACLS: DefaultAcls = {
  user: { read: everyone, write: everyone, delete: everyone, metaRead: everyone, metaWrite: everyone },
  system: { read: admins, write: admins, delete: admins, metaRead: admins, metaWrite: admins },
};

const FIELDS: Record<AclPermission, string> = { read: '$r', write: '$w', delete: '$d', metaRead: '$mr', metaWrite: '$mw' };

function toRoles(value: unknown): readonly string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((role) => typeof role === 'string')) return value as string[];
  return undefined;
}

/** The ACL in a `$acl` (or `$userStreamAcl`/`$systemStreamAcl`) value; undefined when it is not an object. */
export function parseAcl(value: unknown): StreamAcl | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const acl: Record<string, readonly string[]> = {};
  for (const [permission, field] of Object.entries(FIELDS)) {
    const roles = toRoles(record[field]);
    if (roles) acl[permission] = roles;
  }
  return acl;
}

/** Default ACLs from a `$settings` event's data; what it does not set keeps the built-in default. */
export function parseDefaultAcls(data: Uint8Array): DefaultAcls {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    // A `$settings` event that is not JSON sets nothing, like one without ACLs.
    return BUILT_IN_DEFAULT_ACLS;
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  return {
    user: { ...BUILT_IN_DEFAULT_ACLS.user, ...parseAcl(record.$userStreamAcl) },
    system: { ...BUILT_IN_DEFAULT_ACLS.system, ...parseAcl(record.$systemStreamAcl) },
  };
}

/** Where the policy finds ACLs (the event log, in the server). */
export interface AclSource {
  /** The `$acl` of a stream's metadata, if any. */
  streamAcl(stream: string): StreamAcl | undefined;
  defaultAcls(): DefaultAcls;
}

/** Only the built-in defaults: no stream has an ACL and `$settings` is empty. */
export const BUILT_IN_ACLS: AclSource = { streamAcl: () => undefined, defaultAcls: () => BUILT_IN_DEFAULT_ACLS };

export type StreamOperation = 'read' | 'write' | 'delete';

/**
 * The roles allowed to do `operation` on `stream`. On a metadata stream `$$X` it is X's `$mr`
 * (read) or `$mw` (write and delete).
 */
export function rolesFor(stream: string, operation: StreamOperation, source: AclSource): readonly string[] {
  const isMetadata = stream.startsWith('$$');
  const target = isMetadata ? stream.slice(2) : stream;
  const permission: AclPermission = isMetadata ? (operation === 'read' ? 'metaRead' : 'metaWrite') : operation;
  const fallback = target.startsWith('$') ? source.defaultAcls().system : source.defaultAcls().user;
  return source.streamAcl(target)?.[permission] ?? fallback[permission] ?? [];
}
