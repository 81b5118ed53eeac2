// One verified, parsed interaction → its HTTP answer: dispatch the command, answer within the deadline or
// defer and deliver the reply later. Never lets an interaction fail: unexpected errors become an error reply.
import { type APIInteractionResponse, InteractionResponseType } from 'discord-api-types/v10';
import type { AdapterContext } from '../../src/adapter.ts';
import type { Reply } from '../../src/command/model.ts';
import { within } from '../../src/within.ts';
import { dismissAnswer } from './gateway/dismiss.ts';
import { unfurlSettingsAnswer } from './gateway/unfurl-command.ts';
import type { ParsedInteraction } from './parse.ts';
import {
  type Dispatched,
  deferredAnswer,
  deliverLate,
  followUpNote,
  immediateAnswer,
  isAutocomplete,
  refusalAnswer,
} from './interaction-response.ts';
import { outcomeNote } from './action-words.ts';
import type { DiscordRest } from './rest.ts';

export type InteractionDeps = {
  context: AdapterContext;
  rest: DiscordRest;
  deadlineMs: number;
  /** Whether this deployment runs the gateway (DISCORD_GATEWAY), for the unfurl settings' answer. */
  gatewayOn: boolean;
  /** Aborts dispatches still running when the adapter closes. */
  signal: AbortSignal;
};

export type Handled = {
  response: APIInteractionResponse;
  /** Runs once the HTTP answer is sent: Discord only accepts an edit of `@original` after the deferral. */
  afterResponse?: () => Promise<void>;
};

const FAILED: Reply = { kind: 'error', code: 'unavailable' };

export async function respond(parsed: ParsedInteraction, deps: InteractionDeps): Promise<Handled> {
  switch (parsed.kind) {
    case 'ping':
      return { response: { type: InteractionResponseType.Pong } };
    case 'invalid':
    case 'unsupported':
      return { response: refusalAnswer(parsed) };
    case 'command':
    case 'component':
      return dispatchWithinDeadline(parsed, deps);
    case 'unfurl-settings':
      return { response: await unfurlSettingsAnswer(parsed.request, deps.context, deps.gatewayOn) };
    case 'dismiss':
      return dismissAnswer(parsed.request, deps.rest);
  }
}

async function dispatchWithinDeadline(parsed: Dispatched, deps: InteractionDeps): Promise<Handled> {
  const { context } = deps;
  const work = context.dispatch(parsed.command, { signal: deps.signal }).catch((error: unknown): Reply => {
    context.logger.error(
      { err: error, kind: parsed.command.kind, interaction: parsed.interaction.id },
      'discord dispatch failed',
    );
    return FAILED;
  });
  const timed = await within(work, deps.deadlineMs);
  if (timed.kind === 'ready') {
    const reply = timed.value;
    const note = reply.kind === 'action' ? outcomeNote(reply.outcome) : null;
    const response = immediateAnswer(parsed, reply);
    if (!note) return { response };
    return {
      response,
      afterResponse: () =>
        followUpNote(parsed, reply, deps.rest).catch((error: unknown) =>
          context.logger.warn(
            { err: error, interaction: parsed.interaction.id },
            'discord action note not sent',
          ),
        ),
    };
  }
  // Autocomplete cannot be deferred: an empty list now beats a list Discord would throw away.
  if (isAutocomplete(parsed)) return { response: immediateAnswer(parsed, { kind: 'choices', choices: [] }) };
  context.metrics.deferredReplies.inc({ platform: 'discord' });
  return {
    response: deferredAnswer(parsed),
    afterResponse: async () => {
      const reply = await timed.later;
      try {
        await deliverLate(parsed, reply, deps.rest);
      } catch (error) {
        context.logger.error({ err: error, interaction: parsed.interaction.id }, 'discord late reply failed');
      }
    },
  };
}
