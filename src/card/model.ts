// The platform-neutral incident card: everything a renderer needs, nothing platform-specific. Plain types:
// cards are built by card/build.ts, never parsed from outside.
import type { ActionType } from '../actions/model.ts';
import type { IncidentStatus } from '../domain.ts';

export type CardField = { label: string; value: string; inline: boolean };

export type IncidentCard = {
  organizationId: string;
  identifier: number;
  /** "<Status>: <rule name>" */
  title: string;
  status: IncidentStatus;
  /** "Open" | "Warning" | "Critical" | "Resolved" */
  statusLabel: string;
  /** 0xRRGGBB */
  color: number;
  /** "1,204 events in the last 10 minutes", or a clear "unavailable"/"no data" text. */
  statusText: string;
  metric: {
    value: number | null;
    /** The window the value was computed over (ISO times). */
    windowStart: string;
    windowEnd: string;
  };
  /** Set when the value could not be computed: the card is degraded, not missing. */
  metricError: 'timeout' | 'backend' | 'overloaded' | null;
  rule: {
    id: number;
    name: string;
    aggregate: string;
    query: string;
    dataset: string;
    timeWindowMinutes: number;
  };
  /** "above 100 (critical)" — the threshold of the trigger that fired, if any. */
  threshold: string | null;
  projects: string[];
  environment: string | null;
  dateStarted: string;
  dateClosed: string | null;
  /** "2h 14m" from start to close (or now). */
  duration: string;
  /** The incident page (an absolute URL). */
  link: string;
  /**
   * The signed chart image of the rule's metric over the incident (an absolute URL); absent when the chart could
   * not be computed (the card still answers without it).
   */
  chartUrl?: string;
  /** When this card was computed (ISO). */
  updatedAt: string;
  fields: CardField[];
  /** The incident version this card shows: an action from it applies only to that version. */
  version: number;
  /** Who acknowledged ("I'm on it") and when (ISO). */
  acknowledged: { name: string; at: string } | null;
  /** Who the incident is assigned to (a member's name, else the platform display name). */
  assignee: string | null;
  /** Notifications are snoozed until then (ISO), when in the future. */
  snoozedUntil: string | null;
  /** The latest one or two entries of the activity log, oldest first: "Resolved by Alice" and when. */
  recent: CardActivity[];
  /** The actions that make sense in this state, in the order a renderer offers them. */
  actions: ActionType[];
  /** The organization's members, for "assign to" lists (at most MAX_ASSIGNABLE). */
  members: { id: string; name: string }[];
};

export type CardActivity = { text: string; at: string };

/** One row of a compact list (incident lists, search results, autocomplete). */
export type IncidentSummary = {
  organizationId: string;
  identifier: number;
  title: string;
  status: IncidentStatus;
  statusLabel: string;
  color: number;
  dateStarted: string;
  /** The incident page (an absolute URL). */
  link: string;
};
