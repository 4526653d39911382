// Turns what AmaniClient throws into the answer this server gives its own caller (a browser or
// another service). The caller never sees Amani's raw answer: a problem with our credentials or
// with Amani is our problem (5xx), while bad input from the caller is theirs (4xx).
import {
  AmaniError,
  AuthenticationError,
  ConnectionError,
  InvalidInputError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestAbortedError,
  ServerError,
  TimeoutError,
  ValidationError,
} from '../../src/index.ts';

export interface HttpAnswer {
  status: number;
  body: { error: string; field?: string; fieldErrors?: Record<string, string[]> };
  headers?: Record<string, string>;
  /** Worth an operator's attention (our configuration or Amani's availability), not the caller's fault. */
  alert?: boolean;
}

export function httpAnswerFor(error: unknown): HttpAnswer {
  // Caught before anything was sent: the caller's input was wrong; the message names the field.
  if (error instanceof InvalidInputError) return { status: 400, body: { error: error.message, field: error.field } };
  if (error instanceof ValidationError) {
    return { status: 422, body: { error: 'Amani refused the data', fieldErrors: error.fieldErrors } };
  }
  if (error instanceof NotFoundError) return { status: 404, body: { error: 'No such customer or document' } };
  // The client already refreshed or logged in again once: our credentials or permissions are wrong.
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) {
    return { status: 502, body: { error: 'The identity-verification service refused our credentials' }, alert: true };
  }
  if (error instanceof RateLimitError) {
    return {
      status: 503,
      body: { error: 'The identity-verification service is busy; try again later' },
      headers: { 'Retry-After': String(error.retryAfter ?? 30) },
    };
  }
  if (error instanceof TimeoutError) return { status: 504, body: { error: 'The identity-verification service did not answer in time' }, alert: true };
  if (error instanceof RequestAbortedError) return { status: 499, body: { error: 'The request was cancelled' } };
  // ServerError, ConnectionError, InvalidResponseError and any other API status.
  if (error instanceof ServerError || error instanceof ConnectionError || error instanceof AmaniError) {
    return { status: 502, body: { error: 'The identity-verification service is unavailable' }, alert: true };
  }
  return { status: 500, body: { error: 'Internal error' }, alert: true };
}
