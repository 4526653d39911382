// The table formatter and the progress indicator (drawn on a TTY stream only).
import { describe, expect, it } from 'vitest';
import { cellText, formatList, formatRecord, printResult } from '../../src/cli/output.ts';
import { withProgress } from '../../src/cli/progress.ts';

describe('tables', () => {
  it('formats cells: null, lists, objects, epoch timestamps, control characters', () => {
    expect(cellText(null)).toBe('-');
    expect(cellText(['a', 'b'])).toBe('a, b');
    expect(cellText([])).toBe('-');
    expect(cellText({ city: 'Istanbul' })).toBe('{"city":"Istanbul"}');
    expect(cellText(1764115200, 'created_at')).toBe('2025-11-26T00:00:00Z');
    expect(cellText(1764115200, 'risk')).toBe('1764115200');
    expect(cellText('two\nlines\ttab')).toBe('two lines tab');
  });

  it('aligns a list under its header, and says (none) for an empty one', () => {
    const text = formatList(
      [
        { id: 'a', status: 'APPROVED' },
        { id: 'long-id', status: null },
      ],
      [
        ['id', (r) => r.id],
        ['status', (r) => r.status],
      ],
    );
    expect(text).toBe('id       status\na        APPROVED\nlong-id  -\n');
    expect(formatList([], [['id', () => 1]])).toBe('(none)\n');
  });

  it('shows a record as field/value lines, chosen fields in order', () => {
    expect(formatRecord({ b: 2, a: 'x', c: 3 }, ['a', 'b', 'missing'])).toBe('a  x\nb  2\n');
    expect(formatRecord({})).toBe('(empty)\n');
  });

  it('redacts tokens and secrets in tables and JSON unless told not to', () => {
    let out = '';
    const stream = { write: (text: string) => (out += text) };
    const result = { id: 'p', access: 'tok-1', nested: { secret: 's-2' } };
    printResult(stream, true, result, () => '');
    expect(JSON.parse(out)).toEqual({ id: 'p', access: '[redacted]', nested: { secret: '[redacted]' } });
    out = '';
    printResult(stream, false, result, (shown) => formatRecord(shown));
    expect(out).not.toMatch(/tok-1|s-2/);
    out = '';
    printResult(stream, true, result, () => '', false);
    expect(JSON.parse(out)).toEqual(result);
  });
});

describe('progress indicator', () => {
  it('draws a spinner with the label and elapsed time on a TTY, then clears the line', async () => {
    const writes: string[] = [];
    let now = 0;
    const stream = { isTTY: true, write: (text: string) => writes.push(text) };
    const result = await withProgress(
      stream,
      'Uploading 2 pages',
      async () => {
        now = 1500;
        await new Promise((resolve) => setTimeout(resolve, 60));
        return 42;
      },
      { intervalMs: 10, now: () => now },
    );
    expect(result).toBe(42);
    expect(writes[0]).toMatch(/^\r\x1b\[2K. Uploading 2 pages 0\.0s$/);
    expect(writes.length).toBeGreaterThan(2);
    expect(writes.slice(1, -1).some((w) => w.endsWith('Uploading 2 pages 1.5s'))).toBe(true);
    expect(writes.at(-1)).toBe('\r\x1b[2K');
  });

  it('writes nothing when the stream is not a terminal, and clears the line when the task fails', async () => {
    const writes: string[] = [];
    await withProgress({ write: (text: string) => writes.push(text) }, 'Working', async () => 1);
    expect(writes).toEqual([]);
    const tty = { isTTY: true, write: (text: string) => writes.push(text) };
    await expect(withProgress(tty, 'Working', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(writes.at(-1)).toBe('\r\x1b[2K');
  });
});
