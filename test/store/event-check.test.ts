// The fast event check never accepts what the Event schema refuses, and takes the ordinary lines itself.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Event } from '../../src/store/dataset.ts';
import { isOrdinaryEvent } from '../../src/store/import/event-check.ts';

const nearText = (max: number) =>
  fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.string({ minLength: max - 2, maxLength: max + 2 }),
    fc.constant(null),
    fc.integer(),
    fc.boolean(),
  );
const time = fc.oneof(
  fc
    .date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((date) => date.toISOString()),
  fc.constantFrom(
    '2026-11-20T10:03:12+02:00',
    '2026-02-29T10:00:00Z',
    '2028-02-29T10:00:00Z',
    '2026-11-20 10:03:12Z',
    '2026-11-20T10:03:12',
    'yesterday',
    '',
  ),
  fc.string(),
  fc.double(),
);
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const candidate = fc.record(
  {
    id: maybe(fc.oneof(fc.string({ maxLength: 102 }), fc.integer())),
    timestamp: time,
    projectId: fc.oneof(
      fc.integer({ min: -2, max: 50 }),
      fc.double(),
      fc.constant(2 ** 60),
      fc.string({ maxLength: 3 }),
    ),
    environment: maybe(nearText(200)),
    level: maybe(nearText(50)),
    user: maybe(nearText(200)),
    status: maybe(nearText(100)),
    transaction: maybe(nearText(1_000)),
    duration: maybe(
      fc.oneof(fc.double(), fc.integer({ min: -5, max: 5 }), fc.constant(null), fc.string({ maxLength: 2 })),
    ),
    tags: maybe(
      fc.oneof(
        fc.dictionary(
          fc.string({ maxLength: 202 }),
          fc.oneof(
            fc.string({ maxLength: 4 }),
            fc.string({ minLength: 999, maxLength: 1_001 }),
            fc.integer(),
          ),
        ),
        fc.array(fc.string()),
        fc.constant(null),
        fc.string(),
      ),
    ),
    extra: maybe(fc.anything()),
  },
  { requiredKeys: [] },
);

describe('isOrdinaryEvent', () => {
  it('accepts only what the Event schema accepts', () => {
    fc.assert(
      fc.property(candidate, (value) => {
        if (isOrdinaryEvent(value)) expect(Event.safeParse(value).success).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('refuses non-objects', () => {
    for (const value of [null, 5, 'x', [], [{}]]) expect(isOrdinaryEvent(value)).toBe(false);
  });

  it('takes the ordinary lines itself', () => {
    const ordinary = {
      timestamp: '2026-11-20T10:03:12Z',
      projectId: 11,
      environment: 'production',
      level: 'error',
      message: 'TypeError: x is undefined',
      user: null,
      transaction: '/checkout/pay',
      duration: 231.5,
      tags: { 'browser.name': 'Chrome' },
    };
    expect(isOrdinaryEvent(ordinary)).toBe(true);
    expect(
      isOrdinaryEvent({ ...ordinary, id: 'a'.repeat(32), timestamp: '2026-11-20T10:03:12.123+02:00' }),
    ).toBe(true);
  });
});
