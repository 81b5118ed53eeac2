// What goes wrong in the demo world: the alert rules and the incidents they raised, as plain data.
// scenario.ts turns each incident into dated triggers and the rows that make its metric really cross them.
import type { IncidentStatus, RuleDataset } from '../src/domain.ts';
import type { Level } from './vocabulary.ts';

/** How rows behave while an incident is at one level; unset fields keep their normal behaviour. */
export type Effect = { durationFactor?: number; failureShare?: number; crashShare?: number };

export type IncidentStory = {
  status: IncidentStatus;
  /** dateStarted in hours before `now` (for a 14-day demo; shorter demos compress it). */
  hoursAgo: number;
  /** The highest level the metric reached. */
  peak: 'warning' | 'critical';
  /** Minutes from the warning trigger to the critical one (peak critical). */
  escalateMinutes?: number;
  /** Resolved only: minutes from dateStarted to dateClosed. */
  minutes?: number;
};

export type RuleStory = {
  org: string;
  id: number;
  name: string;
  dataset: RuleDataset;
  aggregate: string;
  query: string;
  environment: string | null;
  timeWindow: number;
  projects: number[];
  thresholdType: 'above' | 'below';
  /**
   * Alert thresholds. count() and count_unique(user) thresholds grow with very large demos, so that
   * normal traffic never reaches them; rates, latencies and percentages are independent of volume.
   */
  warning: number;
  critical: number;
  resolveThreshold: number | null;
  /** Which rows an anomaly adds or changes; it must match `query`. */
  target: {
    transactions?: string[];
    message?: string;
    level?: Level;
    levels?: Level[];
    tags?: Record<string, string>;
  };
  /** Rate rules: how matching rows behave at each level. Count rules add rows instead. */
  effects?: { warning: Effect; critical: Effect };
  incidents: IncidentStory[];
};

const CRASH_RATE_SESSIONS = 'percentage(sessions_crashed, sessions) AS _crash_rate_alert_aggregate';
const CRASH_RATE_USERS = 'percentage(users_crashed, users) AS _crash_rate_alert_aggregate';

export const STORIES: readonly RuleStory[] = [
  {
    org: 'acme',
    id: 101,
    name: 'Checkout errors',
    dataset: 'events',
    aggregate: 'count()',
    query: 'level:error !transaction:/health*',
    environment: 'production',
    timeWindow: 600,
    projects: [11],
    thresholdType: 'above',
    warning: 50,
    critical: 100,
    resolveThreshold: null,
    target: {
      transactions: ['/checkout/pay'],
      message: 'TimeoutError: upstream request to payments-provider timed out after 5000ms',
      level: 'error',
    },
    incidents: [
      { status: 'resolved', hoursAgo: 297.4, peak: 'critical', escalateMinutes: 8, minutes: 45 },
      { status: 'critical', hoursAgo: 1.75, peak: 'critical', escalateMinutes: 12 },
    ],
  },
  {
    org: 'acme',
    id: 102,
    name: 'Checkout p95 latency',
    dataset: 'transactions',
    aggregate: 'p95(transaction.duration)',
    query: 'transaction:/checkout/*',
    environment: 'production',
    timeWindow: 300,
    projects: [11],
    thresholdType: 'above',
    warning: 1000,
    critical: 2000,
    resolveThreshold: null,
    target: { transactions: ['/checkout/pay', '/checkout/confirm'] },
    effects: { warning: { durationFactor: 3 }, critical: { durationFactor: 6 } },
    incidents: [{ status: 'resolved', hoursAgo: 212.3, peak: 'critical', escalateMinutes: 15, minutes: 100 }],
  },
  {
    org: 'acme',
    id: 103,
    name: 'Chrome users hitting errors',
    dataset: 'events',
    aggregate: 'count_unique(user)',
    query: 'browser.name:Chrome level:error',
    environment: null,
    timeWindow: 900,
    projects: [12],
    thresholdType: 'above',
    warning: 20,
    critical: 40,
    resolveThreshold: null,
    target: {
      message: 'ChunkLoadError: Loading chunk 482 failed.',
      level: 'error',
      tags: { 'browser.name': 'Chrome' },
    },
    incidents: [{ status: 'warning', hoursAgo: 4.2, peak: 'warning' }],
  },
  {
    org: 'acme',
    id: 104,
    name: 'iOS crash-free sessions',
    dataset: 'sessions',
    aggregate: CRASH_RATE_SESSIONS,
    query: '',
    environment: 'production',
    timeWindow: 3600,
    projects: [13],
    thresholdType: 'below',
    warning: 98.5,
    critical: 97,
    resolveThreshold: 99,
    target: {},
    effects: { warning: { crashShare: 0.022 }, critical: { crashShare: 0.08 } },
    incidents: [{ status: 'resolved', hoursAgo: 141.5, peak: 'critical', escalateMinutes: 45, minutes: 300 }],
  },
  {
    org: 'acme',
    id: 105,
    name: 'Payment tasks failing',
    dataset: 'transactions',
    aggregate: 'failure_rate()',
    query: 'transaction:payments.*',
    environment: 'production',
    timeWindow: 600,
    projects: [14],
    thresholdType: 'above',
    warning: 0.05,
    critical: 0.15,
    resolveThreshold: 0.03,
    target: { transactions: ['payments.capture', 'payments.refund', 'payments.webhook'] },
    effects: { warning: { failureShare: 0.09 }, critical: { failureShare: 0.3 } },
    incidents: [{ status: 'resolved', hoursAgo: 62.2, peak: 'warning', minutes: 50 }],
  },
  {
    org: 'acme',
    id: 106,
    name: 'Cart API apdex',
    dataset: 'transactions',
    aggregate: 'apdex(300)',
    query: 'transaction:/api/cart*',
    environment: 'production',
    timeWindow: 600,
    projects: [11],
    thresholdType: 'below',
    warning: 0.85,
    critical: 0.7,
    resolveThreshold: 0.9,
    target: { transactions: ['/api/cart', '/api/cart/items'] },
    effects: { warning: { durationFactor: 4 }, critical: { durationFactor: 9 } },
    incidents: [{ status: 'open', hoursAgo: 0.6, peak: 'critical' }],
  },
  {
    org: 'globex',
    id: 201,
    name: 'Gateway error burst',
    dataset: 'events',
    aggregate: 'count()',
    query: 'level:[error,fatal]',
    environment: null,
    timeWindow: 60,
    projects: [21],
    thresholdType: 'above',
    warning: 12,
    critical: 25,
    resolveThreshold: null,
    target: {
      message: 'ConnectionResetError: [Errno 104] Connection reset by peer',
      level: 'error',
      transactions: ['/v2/orders', '/v2/search'],
    },
    incidents: [
      { status: 'resolved', hoursAgo: 260.6, peak: 'critical', escalateMinutes: 3, minutes: 25 },
      { status: 'resolved', hoursAgo: 35.3, peak: 'warning', minutes: 15 },
    ],
  },
  {
    org: 'globex',
    id: 202,
    name: 'Search p99 latency',
    dataset: 'transactions',
    aggregate: 'p99(transaction.duration)',
    query: 'transaction:/v2/search',
    environment: 'production',
    timeWindow: 600,
    projects: [21],
    thresholdType: 'above',
    warning: 1500,
    critical: 3000,
    resolveThreshold: null,
    target: { transactions: ['/v2/search'] },
    effects: { warning: { durationFactor: 3.5 }, critical: { durationFactor: 8 } },
    incidents: [{ status: 'critical', hoursAgo: 2.9, peak: 'critical', escalateMinutes: 20 }],
  },
  {
    org: 'globex',
    id: 203,
    name: 'Android crash-free users',
    dataset: 'sessions',
    aggregate: CRASH_RATE_USERS,
    query: '',
    environment: 'production',
    timeWindow: 1800,
    projects: [22],
    thresholdType: 'below',
    warning: 98,
    critical: 95,
    resolveThreshold: 99,
    target: {},
    effects: { warning: { crashShare: 0.04 }, critical: { crashShare: 0.12 } },
    incidents: [
      { status: 'resolved', hoursAgo: 190.2, peak: 'critical', escalateMinutes: 40, minutes: 180 },
      { status: 'warning', hoursAgo: 1.4, peak: 'warning' },
    ],
  },
  {
    org: 'globex',
    id: 204,
    name: 'Gateway average latency',
    dataset: 'transactions',
    aggregate: 'avg(transaction.duration)',
    query: '',
    environment: null,
    timeWindow: 900,
    projects: [21],
    thresholdType: 'above',
    warning: 300,
    critical: 600,
    resolveThreshold: 200,
    target: {},
    effects: { warning: { durationFactor: 4.5 }, critical: { durationFactor: 9 } },
    incidents: [{ status: 'resolved', hoursAgo: 110.7, peak: 'critical', escalateMinutes: 20, minutes: 70 }],
  },
  {
    org: 'globex',
    id: 205,
    name: 'Safari page loads p75',
    dataset: 'transactions',
    aggregate: 'p75(transaction.duration)',
    query: 'browser.name:Safari',
    environment: 'production',
    timeWindow: 1800,
    projects: [23],
    thresholdType: 'above',
    warning: 2500,
    critical: 4000,
    resolveThreshold: null,
    target: { tags: { 'browser.name': 'Safari' } },
    effects: { warning: { durationFactor: 1.75 }, critical: { durationFactor: 3.2 } },
    incidents: [{ status: 'open', hoursAgo: 3.5, peak: 'critical' }],
  },
  {
    org: 'initech',
    id: 301,
    name: 'Invoice errors',
    dataset: 'events',
    aggregate: 'count()',
    query: 'level:error transaction:/invoices*',
    environment: 'production',
    timeWindow: 600,
    projects: [31],
    thresholdType: 'above',
    warning: 30,
    critical: 60,
    resolveThreshold: null,
    target: {
      message: 'OperationalError: could not obtain lock on row in relation "invoices"',
      level: 'error',
      transactions: ['/invoices', '/invoices/:id'],
    },
    incidents: [
      { status: 'resolved', hoursAgo: 320.1, peak: 'critical', escalateMinutes: 10, minutes: 30 },
      { status: 'open', hoursAgo: 0.4, peak: 'warning' },
    ],
  },
  {
    org: 'initech',
    id: 302,
    name: 'Invoice PDF median latency',
    dataset: 'transactions',
    aggregate: 'p50(transaction.duration)',
    query: 'transaction:"/invoices/:id/pdf"',
    environment: 'production',
    timeWindow: 1200,
    projects: [31],
    thresholdType: 'above',
    warning: 2000,
    critical: 3000,
    resolveThreshold: null,
    target: { transactions: ['/invoices/:id/pdf'] },
    effects: { warning: { durationFactor: 2.8 }, critical: { durationFactor: 4.5 } },
    incidents: [{ status: 'critical', hoursAgo: 1.2, peak: 'critical', escalateMinutes: 25 }],
  },
  {
    org: 'initech',
    id: 303,
    name: 'TPS report failures',
    dataset: 'transactions',
    aggregate: 'failure_rate()',
    query: 'transaction:/reports/tps',
    environment: null,
    timeWindow: 3600,
    projects: [31],
    thresholdType: 'above',
    warning: 0.1,
    critical: 0.25,
    resolveThreshold: null,
    target: { transactions: ['/reports/tps'] },
    effects: { warning: { failureShare: 0.16 }, critical: { failureShare: 0.45 } },
    incidents: [{ status: 'resolved', hoursAgo: 170.4, peak: 'critical', escalateMinutes: 30, minutes: 150 }],
  },
  {
    org: 'initech',
    id: 304,
    name: 'Dashboard apdex',
    dataset: 'transactions',
    aggregate: 'apdex(1500)',
    query: '',
    environment: 'production',
    timeWindow: 1800,
    projects: [32],
    thresholdType: 'below',
    warning: 0.8,
    critical: 0.6,
    resolveThreshold: null,
    target: {},
    effects: { warning: { durationFactor: 2 }, critical: { durationFactor: 4 } },
    incidents: [{ status: 'resolved', hoursAgo: 80.6, peak: 'critical', escalateMinutes: 20, minutes: 90 }],
  },
  {
    org: 'initech',
    id: 305,
    name: 'Users seeing client errors',
    dataset: 'events',
    aggregate: 'count_unique(user)',
    query: 'level:[error,fatal]',
    environment: null,
    timeWindow: 3600,
    projects: [32, 33],
    thresholdType: 'above',
    warning: 40,
    critical: 80,
    resolveThreshold: null,
    target: { levels: ['error', 'fatal'] },
    incidents: [{ status: 'warning', hoursAgo: 2.4, peak: 'warning' }],
  },
  {
    org: 'initech',
    id: 306,
    name: 'iOS crash-free sessions',
    dataset: 'sessions',
    aggregate: CRASH_RATE_SESSIONS,
    query: '',
    environment: 'production',
    timeWindow: 1800,
    projects: [33],
    thresholdType: 'below',
    warning: 98.5,
    critical: 97,
    resolveThreshold: 99,
    target: {},
    effects: { warning: { crashShare: 0.022 }, critical: { crashShare: 0.08 } },
    incidents: [{ status: 'resolved', hoursAgo: 30.2, peak: 'critical', escalateMinutes: 30, minutes: 120 }],
  },
];
