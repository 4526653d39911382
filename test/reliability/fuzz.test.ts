// Fuzzing with fast-check, 10,000 cases per property: the webhook verifier throws nothing but
// WebhookSignatureError and never returns an event for a tampered body or signature; every input
// validator throws nothing but InvalidInputError and agrees with an oracle written independently
// of it (node:net isIP for addresses, the WHATWG URL parser for https URLs, hand-written character
// checks for the patterns). Signatures come from node:crypto, never from the code under test.
import fc from 'fast-check';
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { GenderValues, ProfileStatusValues, WebhookEventNameValues } from '../../generated/constants.ts';
import { isIpOrCidr, requireHttpsUrl, requireIpOrCidr } from '../../src/core/validate-address.ts';
import {
  requireDocumentType,
  requireObject,
  requireOneOf,
  requireString,
  requireUuid,
} from '../../src/core/validate.ts';
import { InvalidInputError, verifyWebhook, WebhookSignatureError, type VerifyWebhookOptions } from '../../src/index.ts';
import { anyText, hmacBase64 } from '../webhooks/helpers.ts';
import { evidence, failOnUnhandledRejections, secret, secretScan } from './harness.ts';

const RUNS = { numRuns: 10_000 };
const TEST_MS = 120_000;
const SECRET = secret('webhook secret', 'whsec_fuzz_current_Q7dLx0');
const OLD_SECRET = secret('old webhook secret', 'whsec_fuzz_previous_Zr41pK');

failOnUnhandledRejections();

// ---------------------------------------------------------------------------------------------
// The webhook verifier

/** The event, or the WebhookSignatureError; anything else thrown fails the property. */
async function verify(options: unknown): Promise<{ event?: unknown; error?: WebhookSignatureError }> {
  try {
    return { event: await verifyWebhook(options as VerifyWebhookOptions) };
  } catch (error) {
    if (!(error instanceof WebhookSignatureError)) throw new Error(`verifyWebhook threw ${String(error)}, not a WebhookSignatureError`);
    // Sampled: 10,000 cases would make the hygiene scan the slowest part of the suite.
    if (Math.random() < 0.02) evidence.error(`verify ${error.reason}`, error);
    return { error };
  }
}

const knownEvent = fc
  .record({
    event: fc.constantFrom(...WebhookEventNameValues),
    timestamp: fc.integer({ min: 0, max: 2 ** 40 }),
    profile: fc.record({ id: fc.uuid(), name: anyText(16) }),
    status: fc.constantFrom('APPROVED', 'REJECTED', 'PENDING_REVIEW'),
    extra: fc.jsonValue({ maxDepth: 2 }),
  })
  .map((event) => JSON.stringify(event));

/** One edit of a byte string: never the identity. */
const byteEdit = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat() }),
);

type ByteEdit = typeof byteEdit extends fc.Arbitrary<infer T> ? T : never;
function applyByteEdit(original: Uint8Array, edit: ByteEdit): Uint8Array {
  const bytes = [...original];
  if (edit.kind === 'flip' && bytes.length) bytes[edit.at % bytes.length]! ^= 1 << edit.bit;
  if (edit.kind === 'insert') bytes.splice(edit.at % (bytes.length + 1), 0, edit.byte);
  if (edit.kind === 'delete' && bytes.length) bytes.splice(edit.at % bytes.length, 1);
  if (edit.kind === 'append') bytes.push(...edit.bytes);
  if (edit.kind === 'truncate') bytes.length = bytes.length ? edit.keep % bytes.length : 0;
  return new Uint8Array(bytes);
}

/** Objects that throw when touched: getters, revoked proxies, throwing traps. */
const HOSTILE: ReadonlyArray<() => unknown> = [
  () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  () => new Proxy({}, { get: () => { throw new Error('get trap'); }, ownKeys: () => { throw new Error('ownKeys trap'); } }),
  () => ({ get signature() { throw new Error('getter'); }, get body() { throw new Error('getter'); } }),
  () => ({ get: () => { throw new Error('headers.get'); } }),
  () => ({ toJSON: () => { throw new Error('toJSON'); } }),
  () => ({ [Symbol.toPrimitive]: () => { throw new Error('toPrimitive'); } }),
  () => Object.create(null),
  () => [SECRET, { toString: () => { throw new Error('toString'); } }],
  () => 10n ** 30n,
  () => Symbol('s'),
  () => () => SECRET,
];

/**
 * A stand-in that fast-check can generate, print and shrink; the hostile object itself is made
 * inside the property (fast-check would trip over a revoked proxy while generating).
 */
class HostileSlot {
  constructor(readonly index: number) {}
  toString(): string {
    return `hostile #${this.index}`;
  }
}
const hostile = fc.nat(HOSTILE.length - 1).map((i) => new HostileSlot(i));

/** Replaces the stand-ins, at the top level and one level down, by fresh hostile objects. */
function materialize(value: unknown): unknown {
  const make = (v: unknown) => (v instanceof HostileSlot ? HOSTILE[v.index]!() : v);
  if (value instanceof HostileSlot) return make(value);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, make(v)]));
  }
  return value;
}

describe('verifyWebhook, 10,000 cases per property', () => {
  it('a signed known event verifies to exactly its JSON (node:crypto signature), under either rotation secret', async () => {
    await fc.assert(
      fc.asyncProperty(knownEvent, fc.boolean(), async (body, old) => {
        const signature = hmacBase64(old ? OLD_SECRET : SECRET, body);
        const result = await verify({ body, signature, secrets: [SECRET, OLD_SECRET] });
        expect(result.event).toEqual(JSON.parse(body));
      }),
      RUNS,
    );
  }, TEST_MS);

  it('a tampered body is refused as a mismatch, never returned', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(knownEvent.map((s) => new TextEncoder().encode(s)), fc.uint8Array({ maxLength: 300 })), byteEdit, async (original, edit) => {
        const tampered = applyByteEdit(original, edit);
        fc.pre(Buffer.compare(Buffer.from(tampered), Buffer.from(original)) !== 0);
        const result = await verify({ body: tampered, signature: hmacBase64(SECRET, original), secret: SECRET });
        expect(result.error?.reason).toBe('mismatch');
      }),
      RUNS,
    );
  }, TEST_MS);

  it('a tampered signature is refused (malformed or mismatch), never returned', async () => {
    const char = fc.oneof(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \t'), anyText(1));
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), char }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), char }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('case' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('urlsafe' as const) }),
      fc.record({ kind: fc.constant('unpadded' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(knownEvent, edit, async (body, e) => {
        const original = hmacBase64(SECRET, body);
        const chars = [...original];
        const at = 'at' in e ? e.at % chars.length : 0;
        if (e.kind === 'replace') chars[at] = e.char;
        if (e.kind === 'insert') chars.splice(at, 0, e.char);
        if (e.kind === 'delete') chars.splice(at, 1);
        if (e.kind === 'case') chars[at] = chars[at] === chars[at]!.toLowerCase() ? chars[at]!.toUpperCase() : chars[at]!.toLowerCase();
        let changed = chars.join('');
        if (e.kind === 'urlsafe') changed = original.replace(/\+/g, '-').replace(/\//g, '_');
        if (e.kind === 'unpadded') changed = original.replace(/=+$/, '');
        fc.pre(changed !== original);
        const result = await verify({ body, headers: { 'Webhook-Signature': changed }, secret: SECRET });
        expect(['malformed_signature', 'mismatch']).toContain(result.error?.reason);
      }),
      RUNS,
    );
  }, TEST_MS);

  it('a signature made with another secret is a mismatch', async () => {
    await fc.assert(
      fc.asyncProperty(knownEvent, fc.string({ minLength: 1, maxLength: 40 }), async (body, other) => {
        fc.pre(other !== SECRET && other !== OLD_SECRET);
        const result = await verify({ body, signature: hmacBase64(other, body), secrets: [SECRET, OLD_SECRET] });
        expect(result.error?.reason).toBe('mismatch');
      }),
      RUNS,
    );
  }, TEST_MS);

  it('arbitrary and hostile input: nothing but a WebhookSignatureError, and never an event', async () => {
    const junk = fc.oneof(
      fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withBigInt: true, withNullPrototype: true }),
      hostile,
    );
    const part = <T>(plausible: fc.Arbitrary<T>) => fc.oneof(plausible, junk);
    const signatureLike = fc.oneof(fc.base64String({ minLength: 44, maxLength: 44 }), fc.string(), fc.constant(''));
    const options = fc.oneof(
      junk,
      fc.record(
        {
          body: part(fc.oneof(knownEvent, fc.uint8Array({ maxLength: 64 }), fc.jsonValue())),
          signature: part(signatureLike),
          headers: part(fc.oneof(signatureLike.map((s) => new Headers({ 'Webhook-Signature': s })), signatureLike.map((s) => ({ 'webhook-signature': [s, s] })))),
          secret: part(fc.constantFrom(SECRET, '')),
          secrets: part(fc.constantFrom([SECRET], [OLD_SECRET, SECRET], [], [''])),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(options, async (o) => {
        const result = await verify(materialize(o));
        expect(result.event).toBeUndefined();
        expect(result.error).toBeInstanceOf(WebhookSignatureError);
      }),
      RUNS,
    );
  }, TEST_MS);
});

// ---------------------------------------------------------------------------------------------
// The input validators

/** What a validator did: accepted (returning a value) or refused with an InvalidInputError. */
function run(field: string, validate: () => unknown): { accepted: true; value: unknown } | { accepted: false } {
  try {
    return { accepted: true, value: validate() };
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw new Error(`threw ${String(error)}, not an InvalidInputError`);
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    if (Math.random() < 0.01) evidence.error(`validator ${field}`, error);
    return { accepted: false };
  }
}

/** The validator accepts exactly what the oracle accepts, returning the input unchanged. */
function agrees(field: string, value: unknown, validate: (value: unknown) => unknown, oracle: (value: unknown) => boolean): void {
  const outcome = run(field, () => validate(value));
  expect(outcome.accepted, `${field} of ${String(safeShow(value))}`).toBe(oracle(value));
  if (outcome.accepted) expect(outcome.value).toBe(value);
}

function safeShow(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return '(unprintable)';
  }
}

const anything = fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withBigInt: true, withNullPrototype: true, withDate: true });
/** A string built from `chars`, so near misses of a format are common. */
const stringOf = (chars: string, maxLength = 48) => fc.string({ unit: fc.constantFrom(...chars), maxLength });

const HEX = '0123456789abcdefABCDEF';
function oracleUuid(value: unknown): boolean {
  if (typeof value !== 'string' || value.length !== 36) return false;
  return [...value].every((c, i) => ([8, 13, 18, 23].includes(i) ? c === '-' : HEX.includes(c)));
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
function oracleDocumentType(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const parts = value.split('_');
  return (
    parts.length === 3 &&
    parts[0]!.length === 3 &&
    parts[1]!.length === 2 &&
    parts[2]!.length >= 1 &&
    [...parts[0]!, ...parts[1]!].every((c) => UPPER.includes(c)) &&
    [...parts[2]!].every((c) => c >= '0' && c <= '9')
  );
}

/** ECMAScript's WhiteSpace and LineTerminator code points: what trim() removes. */
const WHITESPACE = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, ...Array.from({ length: 11 }, (_, i) => 0x2000 + i), 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]);
const oracleNonEmptyString = (value: unknown) => typeof value === 'string' && [...value].some((c) => !WHITESPACE.has(c.codePointAt(0)!));

/**
 * An address as node:net reads it (no zone id: a whitelist entry for one interface is
 * meaningless), or `address/prefix` with a canonical decimal prefix within the family's width.
 */
function oracleIpOrCidr(value: unknown): boolean {
  if (typeof value !== 'string' || value.includes('%')) return false;
  const parts = value.split('/');
  if (parts.length === 1) return isIP(value) !== 0;
  if (parts.length !== 2 || !/^(0|[1-9][0-9]*)$/.test(parts[1]!)) return false;
  const family = isIP(parts[0]!);
  return family !== 0 && Number(parts[1]) <= (family === 4 ? 32 : 128);
}

const oracleHttpsUrl = (value: unknown) => typeof value === 'string' && URL.canParse(value) && new URL(value).protocol === 'https:';

const ipLike = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.ipV6().map((s) => s.toUpperCase()),
  fc.ipV4Extended(),
  fc.tuple(fc.ipV6(), fc.ipV4()).map(([v6, v4]) => v6.replace(/:[^:]*$/, `:${v4}`)),
  stringOf('0123456789abcdefABCDEF:.%', 45),
);
const prefix = fc.oneof(fc.nat(140).map(String), fc.constantFrom('', '01', '00', '-1', '+8', '1e1', ' 8', '0x10', '32 ', '128\n'));
const ipInput = fc.oneof(ipLike, fc.tuple(ipLike, prefix).map(([a, p]) => `${a}/${p}`), fc.tuple(ipLike, ipLike).map(([a, b]) => `${a}/${b}`), fc.string(), anything);

describe('input validators, 10,000 cases each: only InvalidInputError, and agreement with an independent oracle', () => {
  it('requireUuid', () => {
    const mutated = fc.tuple(fc.uuid(), fc.nat(), fc.constantFrom('g', 'G', '-', '', '0', ' ', '\n', 'é')).map(([u, at, c]) => u.slice(0, at % 37) + c + u.slice((at % 37) + 1));
    const input = fc.oneof(fc.uuid(), fc.uuid().map((u) => u.toUpperCase()), mutated, stringOf(`${HEX}-`, 40), fc.string(), anything);
    fc.assert(fc.property(input, (value) => agrees('id', value, (v) => requireUuid('id', v), oracleUuid)), RUNS);
  }, TEST_MS);

  it('requireIpOrCidr (oracle: node:net isIP and the prefix width)', () => {
    fc.assert(fc.property(ipInput, (value) => agrees('address', value, (v) => requireIpOrCidr('address', v), oracleIpOrCidr)), RUNS);
  }, TEST_MS);

  it('isIpOrCidr never throws, for any string, and agrees with the oracle', () => {
    const input = fc.oneof(ipInput.filter((v): v is string => typeof v === 'string'), fc.string({ unit: 'binary', maxLength: 64 }));
    fc.assert(
      fc.property(input, (value) => {
        expect(isIpOrCidr(value), JSON.stringify(value)).toBe(oracleIpOrCidr(value));
      }),
      RUNS,
    );
  }, TEST_MS);

  it('requireHttpsUrl (oracle: the WHATWG URL parser, https scheme)', () => {
    const input = fc.oneof(
      fc.webUrl({ validSchemes: ['https'], withQueryParameters: true, withFragments: true }),
      fc.webUrl({ validSchemes: ['http', 'ftp', 'ws', 'wss'] }),
      fc.tuple(fc.constantFrom('https:', 'HTTPS://', 'https:/', ' https://', 'https://', 'https\t://', 'javascript:', 'data:'), fc.string()).map(([a, b]) => a + b),
      fc.string(),
      anything,
    );
    fc.assert(
      fc.property(input, (value) => {
        agrees('url', value, (v) => requireHttpsUrl('url', v), oracleHttpsUrl);
      }),
      RUNS,
    );
    // Structural checks the oracle cannot fake: generated https URLs pass, other schemes never do.
    fc.assert(fc.property(fc.webUrl({ validSchemes: ['https'] }), (url) => void expect(requireHttpsUrl('url', url)).toBe(url)), { numRuns: 1_000 });
    fc.assert(fc.property(fc.webUrl({ validSchemes: ['http', 'ftp'] }), (url) => void expect(run('url', () => requireHttpsUrl('url', url)).accepted).toBe(false)), { numRuns: 1_000 });
  }, TEST_MS);

  it('requireDocumentType', () => {
    const valid = fc.tuple(stringOf(UPPER, 3), stringOf(UPPER, 2), fc.nat(1000)).map(([a, b, n]) => `${a.padEnd(3, 'X')}_${b.padEnd(2, 'Y')}_${n}`);
    const input = fc.oneof(valid, valid.map((v) => v.toLowerCase()), stringOf(`${UPPER}_0123456789a `, 14), fc.string(), anything);
    fc.assert(fc.property(input, (value) => agrees('type', value, (v) => requireDocumentType('type', v), oracleDocumentType)), RUNS);
  }, TEST_MS);

  it('requireOneOf, over the spec enums and arbitrary lists', () => {
    const allowedLists = fc.oneof(
      fc.constantFrom<readonly string[]>(GenderValues, ProfileStatusValues, WebhookEventNameValues),
      fc.array(fc.string(), { maxLength: 6 }),
    );
    const nearMiss = (s: string) => fc.constantFrom(s, s.toLowerCase(), s.toUpperCase(), ` ${s}`, `${s} `, `${s}\u0000`, s.slice(1));
    const input = allowedLists.chain((allowed) =>
      fc.tuple(fc.constant(allowed), fc.oneof(allowed.length ? fc.constantFrom(...allowed).chain(nearMiss) : fc.string(), fc.string(), anything)),
    );
    fc.assert(
      fc.property(input, ([allowed, value]) =>
        agrees('status', value, (v) => requireOneOf('status', v, allowed), (v) => typeof v === 'string' && allowed.some((a) => a === v)),
      ),
      RUNS,
    );
  }, TEST_MS);

  it('requireString (oracle: a code point outside ECMAScript whitespace)', () => {
    const spaces = [...WHITESPACE].map((c) => String.fromCodePoint(c)).join('');
    // U+180E and U+200B look blank but are not whitespace to trim().
    const input = fc.oneof(stringOf(spaces, 8), stringOf(`${spaces}\u180e\u200bx`, 8), anyText(16), anything);
    fc.assert(fc.property(input, (value) => agrees('name', value, (v) => requireString('name', v), oracleNonEmptyString)), RUNS);
  }, TEST_MS);

  it('requireObject, with and without atLeastOne', () => {
    const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
    const input = fc.oneof(anything, fc.dictionary(fc.string(), fc.oneof(fc.constant(undefined), fc.jsonValue())), fc.constant({ a: undefined }));
    fc.assert(
      fc.property(input, fc.boolean(), (value, atLeastOne) =>
        agrees('body', value, (v) => requireObject('body', v, atLeastOne), (v) => isObject(v) && (!atLeastOne || Object.values(v as object).some((x) => x !== undefined))),
      ),
      RUNS,
    );
  }, TEST_MS);
});

describe('known counterexamples, pinned', () => {
  it.each(['::ffff:192.0.2.0/120', '64:ff9b::192.0.2.0/120', '::ffff:1.2.3.4/128'])(
    'an IPv6 CIDR written with an embedded IPv4 address is a valid range: %s',
    (cidr) => {
      expect(isIP(cidr.split('/')[0]!)).toBe(6);
      expect(isIpOrCidr(cidr)).toBe(true);
    },
    TEST_MS,
  );
});

secretScan(50);
