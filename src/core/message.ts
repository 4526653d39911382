// Messages are composed from sentences: the client's own and text from an answer ("This field is
// required."). Joined here, so that none doubles a full stop ("required.. Fix").

/** `first`, then `next` as a sentence of its own: after ". ", or only a space when `first` ends one. */
export const sentences = (first: string, next?: string): string => (next ? first + (/[.!?]$/.test(first) ? ' ' : '. ') + next : first);
