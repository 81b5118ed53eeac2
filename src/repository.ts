// What handlers and adapters may ask of the metadata store (organizations, installations, rules, incidents).
import type {
  AlertRule,
  Incident,
  IncidentStatus,
  Installation,
  Member,
  Organization,
  Platform,
  Project,
} from './domain.ts';
import type { Activity } from './lifecycle/activity.ts';

/** An incident with everything a card needs about it. */
export type IncidentRecord = {
  incident: Incident;
  rule: AlertRule;
  organization: Organization;
  projects: Project[];
  /** The organization's members (names for people on cards, people to assign). */
  members: Member[];
};

export type Page<T> = { items: T[]; total: number };

export type ConversationReferenceRecord = {
  platform: Platform;
  tenantId: string;
  conversationId: string;
  /** The platform's own reference object, stored as-is for proactive messages later. */
  reference: unknown;
};

export interface IncidentRepository {
  organizationForTenant(platform: Platform, tenantId: string): Organization | null;
  /** The installation of a platform workspace: who may subscribe channels and act on cards lives there. */
  findInstallation(platform: Platform, tenantId: string): Installation | null;
  findOrganization(organizationId: string): Organization | null;
  findIncident(organizationId: string, identifier: number): IncidentRecord | null;
  /** The organization's alert rules, by id. */
  listRules(organizationId: string): AlertRule[];
  /** Newest first (by start time). */
  listIncidents(
    organizationId: string,
    options: { status: IncidentStatus | null; openOnly: boolean; skip: number; count: number },
  ): Page<Incident>;
  /** Matches the identifier (prefix) or every word of the title, newest first. */
  searchIncidents(
    organizationId: string,
    text: string,
    options: { skip: number; count: number },
  ): Page<Incident>;
  saveConversationReference(record: ConversationReferenceRecord): Promise<void>;
  /** The incident's whole activity log, oldest first (the incident page's timeline). */
  incidentActivity(incidentId: number): Promise<Activity[]>;
  /** Replaces one incident after this process changed it (an action), without re-reading the store. */
  putIncident(incident: Incident): void;
  /** Re-reads the store (after an import by this process). */
  reload(): Promise<void>;
}
