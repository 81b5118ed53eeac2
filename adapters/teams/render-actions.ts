// The action parts of a live Teams card: who acknowledged / is assigned / snoozed, the latest activity, and
// Action.Execute buttons (Universal Actions) carrying the incident and the version the card shows. Assign to a
// member and Snooze open a small card with a choice set (Action.ShowCard).
import { SNOOZE_HOURS } from '../../src/actions/model.ts';
import type { IncidentCard } from '../../src/card/model.ts';
import { relativeTime } from '../../src/card/relative-time.ts';
import { truncate } from '../../src/truncate.ts';
import { type CardElement, textBlock } from './adaptive-card.ts';
import { ACTION_VERBS, type ActionData, type ActionVerb } from './card-actions.ts';
import { TEXT_LIMITS } from './limits.ts';

export const ASSIGNEE_INPUT = 'assignee';
export const SNOOZE_INPUT = 'snoozeHours';

/** "Acknowledged by Ana · 3 min ago", the assignee and the snooze, relative to when the card was computed. */
export function stateBlocks(card: IncidentCard): CardElement[] {
  const now = Date.parse(card.updatedAt);
  const lines: string[] = [];
  if (card.acknowledged)
    lines.push(`Acknowledged by ${card.acknowledged.name} · ${relativeTime(card.acknowledged.at, now)}`);
  if (card.assignee) lines.push(`Assigned to ${card.assignee}`);
  if (card.snoozedUntil) lines.push(`Notifications snoozed until ${card.snoozedUntil.slice(11, 16)} UTC`);
  return lines.map((line) => textBlock(truncate(line, TEXT_LIMITS.statusText), { spacing: 'Small' }));
}

/** The latest one or two activity entries, for the footer. */
export function recentLine(card: IncidentCard): string | null {
  const now = Date.parse(card.updatedAt);
  if (card.recent.length === 0) return null;
  return card.recent.map((entry) => `${entry.text} · ${relativeTime(entry.at, now)}`).join(' — ');
}

/** Action sets for one incident: the one-click actions, then Assign to… and Snooze… with their choices. */
export function actionSets(card: IncidentCard, watchers: readonly string[]): CardElement[] {
  const data: ActionData = {
    refs: [{ organizationId: card.organizationId, identifier: card.identifier }],
    watchers: [...watchers],
    version: card.version,
  };
  const execute = (verb: ActionVerb, style?: string): CardElement => ({
    type: 'Action.Execute',
    verb,
    title: ACTION_VERBS[verb],
    data,
    ...(style ? { style } : {}),
  });
  const has = (action: IncidentCard['actions'][number]) => card.actions.includes(action);
  const quick: CardElement[] = [
    ...(has('acknowledge') ? [execute('acknowledge', 'positive')] : []),
    ...(has('resolve') ? [execute('resolve')] : []),
    ...(has('reopen') ? [execute('reopen', 'destructive')] : []),
    ...(has('assign') ? [execute('assignMe')] : []),
    ...(has('unassign') ? [execute('unassign')] : []),
  ];
  const more: CardElement[] = [];
  if (has('assign') && card.members.length > 0) {
    more.push(
      showCard(
        'Assign to…',
        ASSIGNEE_INPUT,
        card.members.map((m) => ({ title: m.name, value: m.id })),
        execute('assign'),
      ),
    );
  }
  if (has('snooze')) {
    const choices = SNOOZE_HOURS.map((hours) => ({ title: `${hours} h`, value: String(hours) }));
    more.push(showCard('Snooze…', SNOOZE_INPUT, choices, execute('snooze')));
  }
  return [quick, more]
    .filter((actions) => actions.length > 0)
    .map((actions) => ({ type: 'ActionSet', actions }));
}

function showCard(
  title: string,
  inputId: string,
  choices: { title: string; value: string }[],
  submit: CardElement,
): CardElement {
  return {
    type: 'Action.ShowCard',
    title,
    card: {
      type: 'AdaptiveCard',
      body: [
        {
          type: 'Input.ChoiceSet',
          id: inputId,
          style: 'compact',
          isRequired: true,
          value: choices[0]?.value ?? '',
          choices: choices.map((choice) => ({
            title: truncate(choice.title, TEXT_LIMITS.factTitle),
            value: choice.value,
          })),
        },
      ],
      actions: [{ ...submit, title: 'OK' }],
    },
  };
}
