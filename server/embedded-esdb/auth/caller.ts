import { timingSafeEqual } from 'node:crypto';

/** Who made a call: a known user with their groups, or anonymous (no credentials sent). */
export interface Caller {
  readonly name: string;
  readonly groups: readonly string[];
  readonly authenticated: boolean;
}

export const ANONYMOUS: Caller = { name: 'anonymous', groups: [], authenticated: false };

interface User {
  readonly name: string;
  readonly password: string;
  readonly groups: readonly string[];
}

/** The real server's default users (§4.5): `admin` is an administrator, `ops` an operator. */
export const DEFAULT_USERS: readonly User[] = [
  { name: 'admin', password: 'changeit', groups: ['$admins', '$ops'] },
  { name: 'ops', password: 'changeit', groups: ['$ops'] },
];

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The caller named by an `authorization` header (`Basic base64(user:password)`): anonymous when
 * there is none, undefined when the credentials are malformed, unknown or wrong.
 */
export function toCaller(authorization: string | undefined, users: readonly User[] = DEFAULT_USERS): Caller | undefined {
  if (authorization === undefined) return ANONYMOUS;
  const match = /^Basic\s+(\S+)$/i.exec(authorization);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  const name = decoded.slice(0, colon);
  const user = users.find((u) => u.name === name);
  if (!user || !same(user.password, decoded.slice(colon + 1))) return undefined;
  return { name: user.name, groups: user.groups, authenticated: true };
}
