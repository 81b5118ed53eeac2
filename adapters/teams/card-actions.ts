// The data our cards carry back to the bot: the refresh verb and the incidents the card shows.
// Render writes it, parse reads it; both go through these schemas.
import { z } from 'zod';
import { MAX_CARDS_PER_MESSAGE } from '../../src/command/model.ts';
import { MAX_REFRESH_USER_IDS } from './limits.ts';

export const REFRESH_VERB = 'refresh';
export const INSERT_VERB = 'insert';

export const CardRef = z.object({
  organizationId: z.string().min(1).max(100),
  identifier: z.number().int().positive(),
});
export type CardRef = z.infer<typeof CardRef>;

/** `Action.Execute` data (the verb travels beside it) and the `refresh` action's data. */
export const RefreshData = z.object({
  /** One incident for a full card; several for the digest card the message action inserts. */
  refs: z.array(CardRef).min(1).max(MAX_CARDS_PER_MESSAGE),
  /** Teams user ids (MRI) whose clients refresh the card automatically when they look at it. */
  watchers: z.array(z.string().min(1).max(200)).max(MAX_REFRESH_USER_IDS).default([]),
});
export type RefreshData = z.infer<typeof RefreshData>;

/** `Action.Submit` fallback data: older clients post it back as a message with this `value`. */
export const RefreshSubmitData = RefreshData.extend({ verb: z.literal(REFRESH_VERB) });
export type RefreshSubmitData = z.infer<typeof RefreshSubmitData>;

/** A manual refresh subscribes the person who pressed it; the oldest watcher makes room when full. */
export function addWatcher(watchers: readonly string[], userId: string): string[] {
  const without = watchers.filter((watcher) => watcher !== userId);
  return [...without, userId].slice(-MAX_REFRESH_USER_IDS);
}

/** `Action.Execute` verbs of the actions on a card (src/actions/): the verb says which, the data which incident. */
export const ACTION_VERBS = {
  acknowledge: 'Acknowledge',
  resolve: 'Resolve',
  reopen: 'Reopen',
  assignMe: 'Assign to me',
  unassign: 'Unassign',
  assign: 'Assign',
  snooze: 'Snooze',
} as const;
export type ActionVerb = keyof typeof ACTION_VERBS;

/** An action's data: one incident and the version the card showed, plus the inputs Teams merges in. */
export const ActionData = RefreshData.extend({
  version: z.number().int().min(1),
  /** Input.ChoiceSet ids (render-actions.ts). */
  assignee: z.string().max(100).optional(),
  snoozeHours: z.string().max(5).optional(),
});
export type ActionData = z.infer<typeof ActionData>;
