// Code that must commit together with an incident change (the notifications outbox enqueues its deliveries here).
import type { DuckDBConnection } from '@duckdb/node-api';
import type { IncidentChange } from './change.ts';

/** Runs on the connection and inside the transaction that writes the incident rows; throwing rolls it all back. */
export type ChangeHook = (connection: DuckDBConnection, changes: IncidentChange[]) => Promise<void>;
