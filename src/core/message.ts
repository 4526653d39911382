// Messages are composed from sentences: the client's own and text from an answer ("This field is
// required."). Joined here, so that none doubles a full stop ("required.. Fix").

/** `first`, then `next` as a sentence of its own: after ". ", or only a space when `first` ends one. */
export const sentences = (first: string, next?: string): string => (next ? first + (/[.!?]$/.test(first) ? ' ' : '. ') + next : first);

/** What a failure after the request may have reached Amani leaves the caller to check. */
export const MAY_HAVE_APPLIED = 'A write may have taken effect: check before repeating it';

/** The socket error code of a connection failure (undici nests it in "fetch failed"), else its message. */
export function causeText(cause: unknown): string {
  const error = cause as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  return error?.cause?.code ?? error?.code ?? error?.cause?.message ?? error?.message ?? String(cause);
}
