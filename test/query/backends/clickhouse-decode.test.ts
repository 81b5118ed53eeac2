// Reading a batch's answer: every query answers exactly once, except the queries of a shared scan, which may be
// absent (an empty window) and then take their value over no rows.
import { describe, expect, it } from 'vitest';
import { decodeBatch } from '../../../src/query/backends/clickhouse/decode.ts';

describe('decodeBatch', () => {
  it('puts each value at its own index, whatever the row order; \\N is no value', () => {
    expect(decodeBatch('2\t1.5\n0\t7\n1\t\\N\n', 3)).toEqual([7, null, 1.5]);
  });

  it('fills the absent queries of a shared scan with their value over no rows', () => {
    const absent = new Map([
      [1, 0],
      [2, null],
    ]);
    expect(decodeBatch('0\t4\n', 3, absent)).toEqual([4, 0, null]);
    expect(
      decodeBatch(
        '',
        2,
        new Map([
          [0, 0],
          [1, 0],
        ]),
      ),
    ).toEqual([0, 0]);
    expect(
      decodeBatch(
        '2\t9\n',
        3,
        new Map([
          [0, null],
          [1, 0],
        ]),
      ),
    ).toEqual([null, 0, 9]);
  });

  it('rejects an answer that misses a query which must answer', () => {
    expect(() => decodeBatch('0\t4\n', 3, new Map([[1, 0]]))).toThrow(/expected 3 result rows, got 1/);
    expect(() => decodeBatch('0\t4\n1\t5\n', 3, new Map([[0, 0]]))).toThrow(/no result row for query 2/);
  });

  it('rejects repeated, out-of-range and surplus rows, and anything that is not a row', () => {
    expect(() => decodeBatch('0\t1\n0\t2\n', 2, new Map([[1, 0]]))).toThrow(/unexpected result row "0 2"/);
    expect(() => decodeBatch('5\t1\n', 1)).toThrow(/unexpected result row/);
    expect(() => decodeBatch('0\t1\n1\t2\n', 1)).toThrow(/expected 1 result rows, got 2/);
    expect(() => decodeBatch('<html>502 Bad Gateway</html>', 1)).toThrow(/unexpected result row "<html>/);
  });
});
