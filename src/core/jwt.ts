// Reads JWT claims without verifying the token: the client only needs to know when to refresh and
// which profile a profile token is for; the server remains the judge of validity. Nothing read from
// a token is ever logged.

/** The payload's claims, or undefined when the token is not a decodable JWT. */
function jwtClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    // atob decodes base64 without its padding, which JWTs leave out.
    const claims: unknown = JSON.parse(atob(base64));
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The token's `exp` or `iat` in epoch milliseconds, or undefined when it has none or is not a JWT. */
export function jwtTime(token: string, claim: 'exp' | 'iat'): number | undefined {
  const seconds = jwtClaims(token)?.[claim];
  return typeof seconds === 'number' && Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

/** The `profile_id` claim of a profile token. */
export function jwtProfileId(token: string): string | undefined {
  const id = jwtClaims(token)?.profile_id;
  return typeof id === 'string' ? id : undefined;
}
