// How a wire answer reaches openapi-fetch: a Fetch Response for `raw` callers and middleware, a
// light stand-in for resource methods (which only read status, headers and body), and the check
// that a 2xx body is the JSON every operation answers with.
import { InvalidResponseError } from '../errors.ts';
import type { WireResponse } from './wire.ts';

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** Every body the API answers with is JSON; anything else in a 2xx is reported, not mis-parsed. */
export function assertReadableJson(response: WireResponse, method: string, path: string): void {
  if (!response.text) return;
  try {
    JSON.parse(response.text);
  } catch {
    throw new InvalidResponseError(method, path, response.status, describeNonJson(response.headers.get('content-type')));
  }
}

export function describeNonJson(contentType: string | null | undefined): string {
  const type = contentType ?? 'no content type';
  return /json/i.test(type) ? 'a body that is not valid JSON (truncated?)' : `a ${type.split(';')[0]} body instead of JSON`;
}

/** A Fetch Response for `raw` callers. */
export function rebuild(response: WireResponse): Response {
  const headers = new Headers();
  response.headers.forEach((value, name) => {
    // The text is already decoded: its original length and encoding no longer describe it.
    if (name !== 'content-length' && name !== 'content-encoding') headers.append(name, value);
  });
  const body = NULL_BODY_STATUSES.has(response.status) || response.text === '' ? null : response.text;
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * The part of a Response openapi-fetch reads (status, headers, body as text or JSON), for
 * resource methods, which never hand the response to their caller.
 */
export function lightResponse(response: WireResponse) {
  const { status, text, headers } = response;
  return {
    status,
    ok: status >= 200 && status < 300,
    headers: {
      // openapi-fetch reads Content-Length to choose between text() and json(); the text is whole.
      get: (name: string) => (name.toLowerCase() === 'content-length' ? String(text.length) : headers.get(name)),
      forEach: (callback: (value: string, name: string) => void) => headers.forEach(callback),
    },
    text: async () => text,
    json: async () => JSON.parse(text) as unknown,
  };
}
