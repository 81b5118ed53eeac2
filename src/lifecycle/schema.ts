// Tables of the incident lifecycle and of the evaluator, in the DuckDB metadata file. Created (and the incidents
// table migrated) every time the store opens; each statement is idempotent.
export const LIFECYCLE_SCHEMA = [
  // Compare-and-set on this column is how writers (evaluator, import, actions) never overwrite a newer state.
  `ALTER TABLE incidents ADD COLUMN IF NOT EXISTS version BIGINT DEFAULT 1`,
  `CREATE TABLE IF NOT EXISTS incident_activity (
     incident_id BIGINT NOT NULL, seq INTEGER NOT NULL, body VARCHAR NOT NULL, PRIMARY KEY (incident_id, seq))`,
  // Deliveries of card actions already applied (interaction id / activity id): a repeat is recorded once.
  `CREATE TABLE IF NOT EXISTS incident_action_keys (
     request_key VARCHAR PRIMARY KEY, incident_id BIGINT NOT NULL, version BIGINT NOT NULL, acted_at VARCHAR NOT NULL)`,
  // Which incidents the evaluator opened, for which (rule, project), and when (Sentry's date_added: the rate limit).
  `CREATE TABLE IF NOT EXISTS evaluated_incidents (
     incident_id BIGINT PRIMARY KEY, rule_id BIGINT NOT NULL, project_id BIGINT NOT NULL, created_ms BIGINT NOT NULL)`,
  // Counters and the last processed tick per (rule, project): they survive a restart.
  `CREATE TABLE IF NOT EXISTS alert_rule_state (
     rule_id BIGINT NOT NULL, project_id BIGINT NOT NULL, last_tick_ms BIGINT NOT NULL, fingerprint VARCHAR NOT NULL,
     counters VARCHAR NOT NULL, PRIMARY KEY (rule_id, project_id))`,
  // One evaluator per store: the holder renews its lease every tick; another one waits for it to lapse.
  `CREATE TABLE IF NOT EXISTS evaluator_lease (
     id INTEGER PRIMARY KEY, owner VARCHAR NOT NULL, expires_ms BIGINT NOT NULL)`,
];
