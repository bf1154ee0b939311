import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { AppError } from '../../../lib/errors';
import { handle, parseOrThrow, readJson } from './respond';

describe('route helpers', () => {
  it('maps an AppError to its status and the { error: { code, message } } body', async () => {
    const response = await handle('test', () => {
      throw new AppError('NOT_FOUND', 'No persistent subscription g on s');
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No persistent subscription g on s' } });
  });

  it('hides the message of unexpected errors behind a 500 INTERNAL', async () => {
    const original = console.error;
    console.error = () => undefined;
    try {
      const response = await handle('test', () => {
        throw new Error('secret detail');
      });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ error: { code: 'INTERNAL', message: 'Internal server error' } });
    } finally {
      console.error = original;
    }
  });

  it('turns schema failures into one VALIDATION error listing every issue', () => {
    const schema = z.object({ a: z.string(), b: z.number() });
    expect(() => parseOrThrow(schema, { a: 1 })).toThrow(expect.objectContaining({ code: 'VALIDATION', message: expect.stringMatching(/a: .*; b: /) }));
  });

  it('treats an empty body as {} and malformed JSON as a VALIDATION error', async () => {
    expect(await readJson(new Request('http://x/', { method: 'POST', body: '' }))).toEqual({});
    await expect(readJson(new Request('http://x/', { method: 'POST', body: '{nope' }))).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});
