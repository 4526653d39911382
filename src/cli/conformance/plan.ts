// What `amani conformance` sends, in order. Read steps change nothing on the account; profile steps
// read the profile named by --profile; write steps (only with --write, for a sandbox) create what
// they need and register its removal before anything else is sent, so the run can undo it however
// it ends.
import type { AmaniClient } from '../../client.ts';
import type { RequestOptions } from '../../core/transport.ts';
import type { OperationId } from '../operation-help.ts';

export type Mode = 'read' | 'profile' | 'write';

/** What earlier steps found or made, for the steps after them. */
export interface Made {
  amlRecordId?: string;
  whitelist?: Array<{ address: string }>;
  profileId?: string;
  documentId?: string;
}

export interface StepContext {
  client: AmaniClient;
  /** The profile of --profile. */
  profile?: string;
  /** The id_card_number of the profile --write creates. */
  idCardNumber: string;
  made: Made;
  /** Registers the removal of something just created (run in reverse order at the end). */
  undo(operationId: OperationId, what: string, remove: () => Promise<unknown>): void;
  /** Passed to every call: no retries, so each call is one request and its answer the server's own. */
  options: RequestOptions;
}

export interface Step {
  operationId: OperationId;
  mode: Mode;
  /** Steps whose results this one needs (run first, even when --only leaves them out). */
  needs?: OperationId[];
  /** The call; a string return is why it was skipped. */
  run(context: StepContext): Promise<string | void>;
}

/** Where --write's webhook endpoint points: example.com is reserved (RFC 2606), nothing receives it. */
export const WEBHOOK_URL = 'https://example.com/amani-conformance';
/** A test identity number for --write's profile (override with --id-card-number). */
export const TEST_ID_CARD_NUMBER = '10000000078';

/**
 * A 1x1 grey baseline JPEG (141 bytes): quantisation all 1, one Huffman code each for DC category
 * 0 and end-of-block, so the single block encodes as two bits. Any decoder opens it.
 */
export function tinyJpeg(): Uint8Array {
  const table = (cls: number) => [0xff, 0xc4, 0x00, 0x14, cls, 0x01, ...new Array<number>(15).fill(0), 0x00];
  return Uint8Array.from([
    0xff, 0xd8,
    0xff, 0xdb, 0x00, 0x43, 0x00, ...new Array<number>(64).fill(1),
    0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00,
    ...table(0x00), ...table(0x10),
    0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x3f,
    0xff, 0xd9,
  ]);
}

/** A TEST-NET-3 (RFC 5737) address not already on the whitelist. */
function testNetAddress(taken: Array<{ address: string }>): string | undefined {
  const used = new Set(taken.map((entry) => entry.address.replace(/\/32$/, '')));
  for (let host = 200; host < 255; host++) if (!used.has(`203.0.113.${host}`)) return `203.0.113.${host}`;
  return undefined;
}

/** A step reading what an earlier one made or found; skipped, saying why, when there is nothing. */
function readsMade(operationId: OperationId, mode: Mode, need: OperationId, key: 'amlRecordId' | 'documentId', read: (c: StepContext, id: string) => Promise<unknown>): Step {
  return {
    operationId,
    mode,
    needs: [need],
    run: async (c) => {
      const id = c.made[key];
      if (id === undefined) return `nothing to read (${need} gave none)`;
      await read(c, id);
    },
  };
}

export const steps: Step[] = [
  { operationId: 'login', mode: 'read', run: async (c) => void (await c.client.auth.login(c.options)) },
  { operationId: 'refreshToken', mode: 'read', needs: ['login'], run: async (c) => void (await c.client.auth.refresh(c.options)) },
  { operationId: 'listWebhookEventTypes', mode: 'read', run: async (c) => void (await c.client.webhooks.eventTypes(c.options)) },
  { operationId: 'listWebhookEndpoints', mode: 'read', run: async (c) => void (await c.client.webhooks.list(c.options)) },
  { operationId: 'listWebhookDeliveries', mode: 'read', run: async (c) => void (await c.client.webhooks.logs({}, c.options)) },
  {
    operationId: 'listIpWhitelist',
    mode: 'read',
    run: async (c) => void (c.made.whitelist = await c.client.ipWhitelist.list(c.options)),
  },
  { operationId: 'getProfile', mode: 'profile', run: async (c) => void (await c.client.profiles.get(c.profile!, c.options)) },
  { operationId: 'listDocuments', mode: 'profile', run: async (c) => void (await c.client.documents.list(c.profile!, c.options)) },
  {
    operationId: 'searchAml',
    mode: 'profile',
    run: async (c) => void (c.made.amlRecordId = (await c.client.aml.search(c.profile!, c.options)).id),
  },
  readsMade('getAmlReport', 'profile', 'searchAml', 'amlRecordId', (c, id) => c.client.aml.report(id, c.options)),
  {
    operationId: 'addIpWhitelist',
    mode: 'write',
    needs: ['listIpWhitelist'],
    run: async (c) => {
      // The first entry restricts the account to the listed addresses: adding one to an empty
      // whitelist would lock this machine out, and its removal with it.
      if (!c.made.whitelist?.length) return 'the whitelist is empty: a first entry would lock out every other address';
      const address = testNetAddress(c.made.whitelist);
      if (!address) return 'no free TEST-NET-3 address (203.0.113.200-254) left on the whitelist';
      const entry = await c.client.ipWhitelist.add(address, c.options);
      c.undo('removeIpWhitelist', `whitelist entry ${entry.id} (${address})`, () => c.client.ipWhitelist.remove(entry.id, c.options));
    },
  },
  {
    operationId: 'createWebhookEndpoint',
    mode: 'write',
    run: async (c) => {
      const endpoint = await c.client.webhooks.create({ url: WEBHOOK_URL, enabled_events: ['profile_status_change'] }, c.options);
      c.undo('deleteWebhookEndpoint', `webhook endpoint ${endpoint.id} (${WEBHOOK_URL})`, () => c.client.webhooks.delete(endpoint.id, c.options));
    },
  },
  {
    operationId: 'createProfile',
    mode: 'write',
    // Not removable: the API has no call that deletes a profile (the README says so).
    run: async (c) => void (c.made.profileId = (await c.client.profiles.create({ id_card_number: c.idCardNumber }, c.options)).id),
  },
  {
    operationId: 'uploadDocument',
    mode: 'write',
    needs: ['createProfile'],
    run: async (c) => {
      if (!c.made.profileId) return 'no profile to upload to (createProfile gave none)';
      const document = await c.client.documents.upload({ profile: c.made.profileId, type: 'XXX_SE_0', pages: [tinyJpeg()] }, c.options);
      c.made.documentId = document.id;
      c.undo('deleteDocument', `document ${document.id}`, () => c.client.documents.delete(document.id, c.options));
    },
  },
  readsMade('getDocument', 'write', 'uploadDocument', 'documentId', (c, id) => c.client.documents.get(id, c.options)),
];

/** The removals write steps register (reported like any other operation), and the step each undoes. */
export const removals: Partial<Record<OperationId, OperationId>> = {
  removeIpWhitelist: 'addIpWhitelist',
  deleteWebhookEndpoint: 'createWebhookEndpoint',
  deleteDocument: 'uploadDocument',
};

/** The operations a run with these modes may report (for --only). */
export function operationsFor(modes: ReadonlySet<Mode>): OperationId[] {
  const ids = steps.filter((s) => modes.has(s.mode)).map((s) => s.operationId);
  return modes.has('write') ? [...ids, ...(Object.keys(removals) as OperationId[])] : ids;
}

/** The mode an operation needs (for the usage error naming the missing flag). */
export function modeOf(id: string): Mode | undefined {
  return id in removals ? 'write' : steps.find((s) => s.operationId === id)?.mode;
}

/** The steps to run for the modes allowed and the operations chosen, prerequisites included. */
export function selectSteps(modes: ReadonlySet<Mode>, only: ReadonlySet<string> | undefined): Step[] {
  const chosen = new Set<string>();
  const add = (id: string) => {
    const step = steps.find((s) => s.operationId === id);
    if (!step || chosen.has(id)) return;
    chosen.add(id);
    step.needs?.forEach(add);
  };
  for (const step of steps) if (modes.has(step.mode) && (!only || only.has(step.operationId))) add(step.operationId);
  // A removal needs what it removes.
  for (const [removal, creator] of Object.entries(removals)) if (only?.has(removal) && modes.has('write')) add(creator);
  return steps.filter((s) => chosen.has(s.operationId));
}
