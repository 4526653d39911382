import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pythonJsonDumps } from '../../src/webhooks/python-json.ts';
import { anyText, pythonDumps } from './helpers.ts';

describe('pythonJsonDumps', () => {
  it('uses ", " and ": " separators and keeps key order', () => {
    expect(pythonJsonDumps({ z: 1, a: [1, 2, { y: null, b: true }], m: false, e: [], o: {} })).toBe(
      '{"z": 1, "a": [1, 2, {"y": null, "b": true}], "m": false, "e": [], "o": {}}',
    );
  });

  it('escapes like ensure_ascii: lowercase hex, short escapes, DEL, no escaped slash', () => {
    expect(pythonJsonDumps('Ayşe İ')).toBe('"Ay\\u015fe \\u0130"');
    expect(pythonJsonDumps('"\\/\b\f\n\r\t')).toBe('"\\"\\\\/\\b\\f\\n\\r\\t"');
    expect(pythonJsonDumps('\u0000\u001f\u007f~ ')).toBe('"\\u0000\\u001f\\u007f~ "');
    expect(pythonJsonDumps('\u2028\ufeff')).toBe('"\\u2028\\ufeff"');
  });

  it('writes a non-BMP character as a surrogate pair and a lone surrogate as one escape', () => {
    expect(pythonJsonDumps('😀')).toBe('"\\ud83d\\ude00"');
    expect(pythonJsonDumps('a\ud800b\udfff')).toBe('"a\\ud800b\\udfff"');
  });

  it('writes integers as Python ints and other numbers as Python float repr', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [1764118800, '1764118800'],
      [2 ** 60, '1152921504606847000'],
      [1e21, '1e+21'],
      [1.5, '1.5'],
      [0.1, '0.1'],
      [-2.25, '-2.25'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [1e-7, '1e-07'],
      [1.5e-10, '1.5e-10'],
      [123456789012345.6, '123456789012345.6'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
    ];
    for (const [value, expected] of cases) expect([value, pythonJsonDumps(value)]).toEqual([value, expected]);
  });

  it('refuses what is not JSON data, with a TypeError', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    let deep: unknown = 1;
    for (let i = 0; i < 600; i++) deep = [deep];
    for (const bad of [undefined, () => 1, Symbol('s'), NaN, Infinity, new Date(0), new Map(), [1, , 3], [undefined], cyclic, deep]) {
      expect(() => pythonJsonDumps(bad)).toThrow(TypeError);
    }
  });

  it('skips undefined object members as JSON.stringify does', () => {
    expect(pythonJsonDumps({ a: undefined, b: 1 })).toBe('{"b": 1}');
  });

  // Differential test against python3 (one process for all samples): for JSON data v (any UTF-16
  // strings, including lone surrogates; any finite doubles), pythonJsonDumps(v) is
  // json.dumps(json.loads(JSON.stringify(v))). Fixed seeds keep failures reproducible.
  it('matches python3 json.dumps on generated JSON data and doubles', () => {
    const text = anyText();
    const double = fc.double({ noNaN: true, noDefaultInfinity: true });
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.oneof(double, fc.integer(), fc.maxSafeInteger()),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(text, tie('value'), { maxKeys: 4 }),
      ),
    }));
    const samples = [...fc.sample(value, { numRuns: 600, seed: 20251126 }), ...fc.sample(double, { numRuns: 3000, seed: 7 })];
    const fromPython = pythonDumps('s', samples.map((v) => JSON.stringify(v)));
    const mismatches = samples
      .map((v, i) => ({ v, ours: pythonJsonDumps(v), python: fromPython[i]!.body }))
      .filter((row) => row.ours !== row.python);
    expect(mismatches.slice(0, 3)).toEqual([]);
  });
});
