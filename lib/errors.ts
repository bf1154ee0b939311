/**
 * One error type for expected failures that cross a boundary (service → route → HTTP).
 * Never rely on `instanceof` across the Next bundle line: use `isAppError` (shape check).
 */
export type AppErrorCode =
  | 'NOT_FOUND'
  | 'VALIDATION'
  | 'CONFLICT'
  | 'UNAVAILABLE'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'INTERNAL';

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details?: unknown;

  constructor(code: AppErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

const CODES: ReadonlySet<string> = new Set<AppErrorCode>([
  'NOT_FOUND',
  'VALIDATION',
  'CONFLICT',
  'UNAVAILABLE',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'INTERNAL',
]);

export function isAppError(value: unknown): value is AppError {
  return (
    typeof value === 'object' &&
    value !== null &&
    'code' in value &&
    typeof (value as { code: unknown }).code === 'string' &&
    CODES.has((value as { code: string }).code) &&
    'message' in value
  );
}

const STATUS: Record<AppErrorCode, number> = {
  NOT_FOUND: 404,
  VALIDATION: 400,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
};

/** Maps any thrown value to the HTTP status and `{ error: { code, message } }` body of DESIGN.md §7. */
export function toHttpError(error: unknown): {
  status: number;
  body: { error: { code: AppErrorCode; message: string }; details?: unknown };
} {
  if (isAppError(error)) {
    return {
      status: STATUS[error.code],
      body: {
        error: { code: error.code, message: error.message },
        ...(error.details === undefined ? {} : { details: error.details }),
      },
    };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'Internal server error' } } };
}
