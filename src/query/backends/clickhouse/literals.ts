// How a value reaches a statement: escaped into its text (escape.ts; every release, the only way on 18.16) or
// as a server-side query parameter `{pN:Type}` whose value travels beside the statement (19.11 on, see
// features.ts). Compile functions take a Literals and never care which: a new kind of statement adopts it by
// calling `literals.string(…)` etc. where it would have called sqlString(…).
import { dayOf, sqlDay, sqlInteger, sqlNumber, sqlString } from './escape.ts';
import type { ServerFeatures } from './features.ts';

/** Parameter values by name, unescaped; the client encodes them for its transport. */
export type Params = Record<string, string | number>;

export type Literals = {
  /** A String value. */
  string(value: string): string;
  /** An integer (ids, epoch milliseconds); bound as Int64. */
  integer(value: number): string;
  /** A finite Float64. */
  number(value: number): string;
  /** The UTC day of an epoch-millisecond time, as a Date. */
  day(ms: number): string;
  /** What the statement needs bound: empty when values are escaped into it. */
  readonly params: Params;
};

/** Values escaped into the statement text (escape.ts). */
export function escapedLiterals(): Literals {
  return { string: sqlString, integer: sqlInteger, number: sqlNumber, day: sqlDay, params: {} };
}

/**
 * Values as `{pN:Type}` placeholders, one per distinct value and type, so a batch of windows over the same
 * projects binds each project id once. Checked like escape.ts checks (a NaN never reaches the server).
 */
export function parameterLiterals(): Literals {
  const params: Params = {};
  const names = new Map<string, string>();
  const bind = (type: string, value: string | number): string => {
    const key = `${type}\u0000${typeof value}\u0000${value}`;
    let name = names.get(key);
    if (name === undefined) {
      name = `p${names.size}`;
      names.set(key, name);
      params[name] = value;
    }
    return `{${name}:${type}}`;
  };
  return {
    string: (value) => {
      sqlString(value);
      return bind('String', value);
    },
    integer: (value) => {
      sqlInteger(value);
      return bind('Int64', value);
    },
    number: (value) => {
      sqlNumber(value);
      return bind('Float64', value === 0 ? 0 : value);
    },
    day: (ms) => bind('Date', dayOf(ms)),
    params,
  };
}

/** A fresh Literals per statement, the kind the server supports. */
export function literalsFor(features: Pick<ServerFeatures, 'parameters'>): () => Literals {
  return features.parameters ? parameterLiterals : escapedLiterals;
}
