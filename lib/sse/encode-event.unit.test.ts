import { describe, expect, it } from 'vitest';

import { encodeComment, encodeEvent, encodeFrame } from './encode-event';

describe('encodeEvent', () => {
  it('writes a named event with a JSON data line and a blank line terminator', () => {
    expect(encodeEvent('snapshot', { ts: 't', n: 1 })).toBe('event: snapshot\ndata: {"ts":"t","n":1}\n\n');
  });

  it('keeps newlines inside string values escaped on one data line', () => {
    const wire = encodeEvent('action', { message: 'line1\nline2\r\n<script>' });
    expect(wire.split('\n').filter((l) => l.startsWith('data: '))).toHaveLength(1);
    expect(JSON.parse(wire.split('\n')[1]!.slice(6))).toEqual({ message: 'line1\nline2\r\n<script>' });
  });

  it('adds an id line when given', () => {
    expect(encodeEvent('epoch', 1, '7')).toBe('id: 7\nevent: epoch\ndata: 1\n\n');
  });

  it('rejects event names that would break the frame', () => {
    expect(() => encodeEvent('a\nb', {})).toThrow(/one line/);
  });
});

describe('encodeComment', () => {
  it('writes a comment line that EventSource ignores', () => {
    expect(encodeComment('ping')).toBe(': ping\n\n');
    expect(encodeFrame({ kind: 'comment', text: 'a\nb' })).toBe(': a\n: b\n\n');
  });
});
