// The values Teams' invokes and card submits carry (a link query, a search query, a message action's message,
// a task module's submit, a card's refresh data) → the shared command or references. parse.ts calls these.
import type { AppBasedLinkQuery, MessagingExtensionAction, MessagingExtensionQuery } from 'botbuilder';
import { z } from 'zod';
import { findIncidentRefs, type LinkSettings, parseIncidentLink } from '../../src/command/incident-links.ts';
import { type Actor, type Command, IncidentRef, MAX_CARDS_PER_MESSAGE } from '../../src/command/model.ts';
import { INSERT_VERB, REFRESH_VERB, RefreshData, RefreshSubmitData } from './card-actions.ts';
import { MAX_SEARCH_PAGE } from './limits.ts';
import { refInputId } from './render-task.ts';

type CommandOf<K extends Command['kind']> = Extract<Command, { kind: K }>;

export type RefreshTrigger = 'manual' | 'automatic';
/** A refresh of one incident (its own command) or of a digest card (one bulk unfurl), with the card's data. */
export type ParsedRefresh = {
  command: CommandOf<'incident.refresh' | 'incident.unfurl'>;
  data: RefreshData;
};

export function parseQueryLink(query: AppBasedLinkQuery, links: LinkSettings): IncidentRef | null {
  return query.url ? parseIncidentLink(query.url, links) : null;
}

export function parseSearchQuery(query: MessagingExtensionQuery, actor: Actor): CommandOf<'incident.search'> {
  const parameters = query.parameters ?? [];
  const initialRun = parameters.some((p) => p.name === 'initialRun' && String(p.value) === 'true');
  const searchText = parameters.find((p) => p.name !== 'initialRun')?.value;
  const text = initialRun || typeof searchText !== 'string' ? '' : searchText.trim().replace(/^#/, '');
  const skip = Math.max(0, Math.floor(Number(query.queryOptions?.skip ?? 0)) || 0);
  const count = Math.min(
    MAX_SEARCH_PAGE,
    Math.max(1, Math.floor(Number(query.queryOptions?.count ?? 10)) || 10),
  );
  return { kind: 'incident.search', actor, text: text.slice(0, 200), skip, count };
}

/**
 * The message a message action runs on: links in its HTML body and `#<id>` mentions in its text, in the
 * message's order (each link's target stands where its anchor starts).
 */
export function refsInMessage(action: MessagingExtensionAction, links: LinkSettings): IncidentRef[] {
  const content = action.messagePayload?.body?.content ?? '';
  const inline = content.replace(/<a\b[^>]*?\bhref="([^"]*)"[^>]*>/gi, (_tag, href: string) => ` ${href} `);
  const text = decodeEntities(inline.replace(/<[^>]*>/g, ' '));
  return findIncidentRefs(text, links).slice(0, MAX_CARDS_PER_MESSAGE);
}

function decodeEntities(html: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return html.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] !== '#') return named[entity.toLowerCase()] ?? whole;
    const code =
      entity[1] === 'x' || entity[1] === 'X' ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
    return Number.isInteger(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
  });
}

const InsertData = z
  .object({ verb: z.literal(INSERT_VERB), refs: z.array(IncidentRef).min(1) })
  .catchall(z.unknown());

/** The task module's submit: the references still ticked. */
export function tickedRefs(
  action: MessagingExtensionAction,
): { ok: true; refs: IncidentRef[] } | { ok: false; reason: string } {
  const data = InsertData.safeParse(action.data);
  if (!data.success) return { ok: false, reason: 'not an insert from our task module' };
  const kept = data.data.refs.filter((_, index) => data.data[refInputId(index)] !== 'false');
  if (kept.length === 0) return { ok: false, reason: 'no incident selected' };
  return { ok: true, refs: kept.slice(0, MAX_CARDS_PER_MESSAGE) };
}

const CardInvoke = z.object({
  action: z.object({ type: z.literal('Action.Execute'), verb: z.string(), data: z.unknown() }),
  trigger: z.enum(['manual', 'automatic']).optional(),
});

/** `adaptiveCard/action`: only the refresh verb exists; the trigger says whether a person pressed it. */
export function parseCardAction(
  value: unknown,
  actor: Actor,
): { ok: true; refresh: ParsedRefresh; trigger: RefreshTrigger } | { ok: false; reason: string } {
  const invoke = CardInvoke.safeParse(value);
  if (!invoke.success) return { ok: false, reason: 'not an Action.Execute invoke' };
  if (invoke.data.action.verb !== REFRESH_VERB)
    return { ok: false, reason: `unknown verb ${invoke.data.action.verb}` };
  const data = RefreshData.safeParse(invoke.data.action.data);
  if (!data.success) return { ok: false, reason: 'refresh without an incident' };
  return { ok: true, refresh: refreshCommand(data.data, actor), trigger: invoke.data.trigger ?? 'manual' };
}

/** The `Action.Submit` fallback arrives as a message whose `value` is the refresh data. */
export function parseSubmittedRefresh(value: unknown, actor: Actor): ParsedRefresh | null {
  const data = RefreshSubmitData.safeParse(value);
  return data.success ? refreshCommand(data.data, actor) : null;
}

function refreshCommand(data: RefreshData, actor: Actor): ParsedRefresh {
  const clean = RefreshData.parse(data);
  const [only] = clean.refs;
  const command: ParsedRefresh['command'] =
    clean.refs.length === 1 && only
      ? { kind: 'incident.refresh', actor, ref: only }
      : { kind: 'incident.unfurl', actor, refs: clean.refs };
  return { command, data: clean };
}
