import { AppError } from '@/lib/errors';

import { handle } from '../_shared/respond';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Unknown API paths answer with the JSON error body of DESIGN.md §7, not the HTML not-found page. */
function notFound(request: Request): Promise<Response> {
  return handle('unknown API route', () => {
    throw new AppError('NOT_FOUND', `No API route ${request.method} ${new URL(request.url).pathname}`);
  });
}

export { notFound as DELETE, notFound as GET, notFound as PATCH, notFound as POST, notFound as PUT };
