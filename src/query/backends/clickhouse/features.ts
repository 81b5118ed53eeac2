// What the connected server can do, decided once per server from `SELECT version()` when the schema is created.
// Every difference between ClickHouse releases that the backend acts on is decided here and nowhere else;
// the SQL that reads data stays one code path on every release.

export type ServerFeatures = {
  version: string;
  /** Table TTL (19.6): the server expires old rows itself; otherwise retention.ts drops day partitions. */
  ttl: boolean;
  /**
   * Server-side query parameters, `{name:Type}` bound from `param_<name>` (19.11.3.11, "Added support for
   * prepared statements", ClickHouse#5331): values travel beside the statement instead of escaped inside it.
   */
  parameters: boolean;
  /**
   * `DateTime64` and `fromUnixTimestamp64Milli` (20.5): the tables get a `time DateTime64(3, 'UTC')` ALIAS of
   * the millisecond `timestamp` for people and dashboards reading them. Nothing the bot compiles reads it.
   */
  dateTime64: boolean;
  /**
   * A batch goes out as one statement per scan instead of one UNION ALL. On 26.7 a branch of a card's query
   * costs 2–3 times what the same query costs as a statement of its own (bench/chdb.ts, docs/clickhouse.md);
   * on 18.16 a branch costs what a statement costs, so one statement saves the round trips there. Releases
   * between were not measured: this starts at the first release that was.
   */
  statementPerScan: boolean;
};

export function serverFeatures(version: string): ServerFeatures {
  return {
    version,
    ttl: atLeast(version, 19, 6),
    parameters: atLeast(version, 19, 11),
    dateTime64: atLeast(version, 20, 5),
    statementPerScan: atLeast(version, 26, 7),
  };
}

function atLeast(version: string, wantMajor: number, wantMinor: number): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}
