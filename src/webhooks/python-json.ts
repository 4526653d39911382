// Serializes a JSON value exactly as Python's `json.dumps(value)` does with default settings,
// which is the message Amani signs (REFERENCE.md 5.3). Only needed when the raw body is gone
// (a framework parsed it first); hashing the raw body is always preferable, because a parsed value
// has lost two things this serializer cannot restore:
//
// - Number spelling. JSON.parse turns both `1` and `1.0` into the number 1, but Python writes an
//   int as `1` and a float as `1.0`. Integral numbers are written as Python writes an int, so a
//   payload holding a whole-valued float (e.g. `"score": 1.0`) re-serializes differently and fails
//   verification. Non-integral numbers are written as Python's float repr, which round-trips.
// - Key order for integer-like keys. JavaScript objects list keys such as "1" or "42" first, in
//   ascending order, whatever order they arrived in; Python keeps arrival order.
//
// Precisely: for any JSON value v, pythonJsonDumps(v) equals Python's
// json.dumps(json.loads(JSON.stringify(v))), which the tests check against python3.

/** Deeper nesting than this is refused (Python's own recursion limit is about 1000). */
const MAX_DEPTH = 500;

// Python's ESCAPE_DCT. Every other character outside printable ASCII (0x20-0x7e), including DEL
// and each UTF-16 code unit of a non-BMP character, becomes \uXXXX with lowercase hex.
const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

// No `u` flag: the regex walks UTF-16 code units, so a surrogate pair becomes two escapes (as
// Python writes a non-BMP code point) and a lone surrogate becomes one (as Python writes a lone
// surrogate it got from json.loads('"\\ud800"')). Output is therefore always well-formed ASCII.
const NEEDS_ESCAPE = /[^\x20-\x7e]|["\\]/;
const ESCAPABLE = /[^\x20-\x7e]|["\\]/g;

/**
 * `value` serialized as Python's `json.dumps(value)` with default settings: `", "` and `": "`
 * separators, `ensure_ascii` escaping, keys in the object's own order. Accepts JSON data only
 * (plain objects, arrays, strings, finite numbers, booleans, null; bigint as an integer);
 * object members whose value is undefined are skipped as JSON.stringify skips them. Anything else
 * (functions, symbols, Dates, Maps, class instances, NaN, Infinity, sparse array slots, cycles,
 * nesting deeper than 500) throws a TypeError.
 *
 * @returns The JSON text, byte for byte what Amani signs for that payload.
 * @throws TypeError for a value that is not JSON data.
 */
export function pythonJsonDumps(value: unknown): string {
  return serialize(value, [], 0);
}

function serialize(value: unknown, ancestors: object[], depth: number): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return formatNumber(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return serializeContainer(value, ancestors, depth);
    default:
      throw new TypeError(`a ${typeof value} is not JSON data`);
  }
}

function serializeContainer(value: object, ancestors: object[], depth: number): string {
  if (depth >= MAX_DEPTH) throw new TypeError(`JSON data nested deeper than ${MAX_DEPTH} levels`);
  if (ancestors.includes(value)) throw new TypeError('JSON data cannot contain a cycle');
  ancestors.push(value);
  let out: string;
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!(i in value) || value[i] === undefined) throw new TypeError(`array slot ${i} holds no JSON value`);
      items.push(serialize(value[i], ancestors, depth + 1));
    }
    out = `[${items.join(', ')}]`;
  } else {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw new TypeError(`a ${prototype?.constructor?.name ?? 'non-plain'} object is not JSON data`);
    }
    const members: string[] = [];
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) members.push(`${quote(key)}: ${serialize(item, ancestors, depth + 1)}`);
    }
    out = `{${members.join(', ')}}`;
  }
  ancestors.pop();
  return out;
}

function quote(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  return `"${text.replace(ESCAPABLE, (ch) => SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new TypeError(`${n} is not JSON data`);
  // Where JavaScript writes an integer (below 1e21), json.loads reads a Python int and writes it
  // back digit for digit, so the digits are JavaScript's own (-0 becomes 0). Beyond 2^53 these are
  // the shortest digits naming the double, padded with zeros: a guess, as any spelling would be.
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  return pythonFloatRepr(n);
}

/**
 * Python's repr(float): the same shortest round-trip digits JavaScript uses (ECMA-262
 * Number::toString), laid out by Python's rules: exponent form when the decimal point would sit
 * more than 16 places right of the first digit or 4 or more places left of it, the exponent with
 * a sign and at least two digits (`1e-05`, `1e+16`), and `.0` after whole numbers.
 */
function pythonFloatRepr(n: number): string {
  const [mantissa = '', exponent = '0'] = String(Math.abs(n)).split('e');
  const point = mantissa.indexOf('.');
  let digits = mantissa.replace('.', '');
  // The value is 0.<digits> x 10^decpt, as in Python's float_repr_style 'short' formatter.
  let decpt = (point === -1 ? mantissa.length : point) + Number(exponent);
  const significant = digits.replace(/^0+/, '');
  decpt -= digits.length - significant.length;
  digits = significant.replace(/0+$/, '');
  const sign = n < 0 ? '-' : '';
  if (decpt <= -4 || decpt > 16) {
    const e = decpt - 1;
    const body = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
    return `${sign}${body}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}
