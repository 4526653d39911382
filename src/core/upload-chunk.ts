// What the first upload loads (see ../resources/self-service.ts): page preparation. Reaching the
// client from here too, as ./lazy-areas.ts does, keeps every module this chunk shares with the
// entry in the one chunk the entry loads, instead of a third file fetched up front.
export { preparePages } from './upload.ts';
export { AmaniClient } from '../client.ts';
