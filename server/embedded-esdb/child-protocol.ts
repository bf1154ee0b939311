/** IPC messages between `startEmbeddedEsdb` (parent) and `child.ts`. */
export type ParentMessage =
  | { readonly type: 'start'; readonly host: string; readonly port: number; readonly dataDir?: string }
  | { readonly type: 'stop' };

export type ChildMessage =
  | { readonly type: 'listening'; readonly host: string; readonly port: number }
  | { readonly type: 'failed'; readonly message: string; readonly code?: string; readonly port: number };

export function isParentMessage(value: unknown): value is ParentMessage {
  return typeof value === 'object' && value !== null && ((value as ParentMessage).type === 'start' || (value as ParentMessage).type === 'stop');
}

export function isChildMessage(value: unknown): value is ChildMessage {
  return typeof value === 'object' && value !== null && ((value as ChildMessage).type === 'listening' || (value as ChildMessage).type === 'failed');
}
