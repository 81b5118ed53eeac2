import { describe, expect, it } from 'vitest';
import { truncate } from '../src/truncate.ts';

describe('truncate', () => {
  it.each([
    ['short text stays', 'abc', 5, 'abc'],
    ['exact length stays', 'abcde', 5, 'abcde'],
    ['long text ends in an ellipsis', 'abcdefgh', 5, 'abcd…'],
    ['trailing spaces before the ellipsis go', 'ab   cdefgh', 6, 'ab…'],
    ['a surrogate pair is never split', 'ab😀cd', 4, 'ab…'],
    ['a surrogate pair that fits whole stays', 'ab😀cd', 5, 'ab😀…'],
    ['a limit of one leaves the ellipsis', 'abc', 1, '…'],
    ['a limit of zero leaves nothing', 'abc', 0, ''],
  ])('%s', (_case, text, max, expected) => {
    const result = truncate(text, max);
    expect(result).toBe(expected);
    expect(result.length).toBeLessThanOrEqual(max);
  });
});
