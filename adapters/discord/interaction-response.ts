// Which interaction callback answers which reply: messages (4/5), card updates (7/6), autocomplete (8), PONG (1);
// and, after a deferral, how the late reply reaches Discord (edit @original, or an ephemeral follow-up).
import { type APIInteractionResponse, InteractionResponseType, InteractionType } from 'discord-api-types/v10';
import type { Reply } from '../../src/command/model.ts';
import type { ParsedInteraction } from './parse.ts';
import { errorMessage, renderChoices, renderReply } from './render-reply.ts';
import { outcomeNote } from './action-words.ts';
import type { DiscordRest } from './rest.ts';
import { UNSUPPORTED } from './words.ts';

export type Dispatched = Extract<ParsedInteraction, { kind: 'command' | 'component' }>;

export function isAutocomplete(parsed: Dispatched): boolean {
  return (
    parsed.kind === 'command' &&
    (parsed.command.kind === 'incident.autocomplete' || parsed.command.kind === 'rule.autocomplete')
  );
}

/** The answer when the reply is ready in time. */
export function immediateAnswer(parsed: Dispatched, reply: Reply): APIInteractionResponse {
  if (isAutocomplete(parsed)) {
    return { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: renderChoices(reply) };
  }
  if (parsed.kind === 'component' && (reply.kind === 'cards' || reply.kind === 'action')) {
    return { type: InteractionResponseType.UpdateMessage, data: renderReply(reply) };
  }
  // A failed refresh answers with a new ephemeral message: the card the button sits on stays as it was.
  const omitted = parsed.kind === 'command' ? parsed.omitted : [];
  return { type: InteractionResponseType.ChannelMessageWithSource, data: renderReply(reply, { omitted }) };
}

/** The answer when the reply is late: "thinking…" for a command, a silent acknowledgement for a button. */
export function deferredAnswer(parsed: Dispatched): APIInteractionResponse {
  return parsed.kind === 'component'
    ? { type: InteractionResponseType.DeferredMessageUpdate }
    : { type: InteractionResponseType.DeferredChannelMessageWithSource };
}

/** Answers for the cases decided without dispatching: the user sees why, only they see it. */
export function refusalAnswer(
  parsed: Extract<ParsedInteraction, { kind: 'invalid' | 'unsupported' }>,
): APIInteractionResponse {
  if (parsed.interaction.type === InteractionType.ApplicationCommandAutocomplete) {
    return { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } };
  }
  const text = parsed.kind === 'invalid' ? parsed.reason : UNSUPPORTED;
  return { type: InteractionResponseType.ChannelMessageWithSource, data: errorMessage(text) };
}

/** Delivers a reply that missed the deadline, through the interaction's webhook. */
export async function deliverLate(parsed: Dispatched, reply: Reply, rest: DiscordRest): Promise<void> {
  const { application_id: applicationId, token } = parsed.interaction;
  if (parsed.kind === 'component' && reply.kind !== 'cards' && reply.kind !== 'action') {
    await rest.followUp(applicationId, token, renderReply(reply));
    return;
  }
  const omitted = parsed.kind === 'command' ? parsed.omitted : [];
  // The deferral already fixed the message's visibility: an edit cannot make it ephemeral, so flags are left out.
  const { flags: _fixedByTheDeferral, ...data } = renderReply(reply, { omitted });
  await rest.editOriginal(applicationId, token, data);
  await followUpNote(parsed, reply, rest);
}

/** After an action that changed nothing (stale card, wrong state): only the person who clicked learns why. */
export async function followUpNote(parsed: Dispatched, reply: Reply, rest: DiscordRest): Promise<void> {
  const note = reply.kind === 'action' ? outcomeNote(reply.outcome) : null;
  if (note)
    await rest.followUp(parsed.interaction.application_id, parsed.interaction.token, errorMessage(note));
}
