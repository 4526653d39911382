export {
  createAmaniFetchClient,
  serializeBody,
  toFormData,
  type AmaniFetchClient,
  type AmaniFetchClientOptions,
  type AmaniPaths,
  type TokenSource,
} from './fetch-client.ts';
export type { paths, components, operations, webhooks } from '../generated/schema.js';
