// Code that must commit together with an incident change (the notifications outbox enqueues its deliveries here).
import type { DuckDBConnection } from '@duckdb/node-api';
import type { IncidentChange } from './change.ts';

/** Runs on the connection and inside the transaction that writes the incident rows; throwing rolls it all back. */
export type ChangeHook = (connection: DuckDBConnection, changes: IncidentChange[]) => Promise<void>;

/** Runs once a transaction with changes has committed (wakes the outbox worker: its jobs are now visible). */
export type AfterCommit = (changes: readonly IncidentChange[]) => void;
