// Turns a verified request body into a parsed interaction: the normalized command (or an explicit
// unsupported/invalid case) with the original payload beside it. Nothing is guessed from a payload's shape.
import {
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteraction,
  type APIInteraction,
  type APIMessageComponentInteraction,
  type APIPingInteraction,
  ComponentType,
  InteractionType,
} from 'discord-api-types/v10';
import type { z } from 'zod';
import type { LinkSettings } from '../../src/command/incident-links.ts';
import type { Command, IncidentRef } from '../../src/command/model.ts';
import { actionCommand } from './action-command.ts';
import { type ActorFields, discordActor } from './actor.ts';
import { parseCustomId, refsOf } from './custom-id.ts';
import { parseDismissId } from './gateway/dismiss-id.ts';
import type { DismissRequest } from './gateway/dismiss.ts';
import type { UnfurlSettingsRequest } from './gateway/unfurl-command.ts';
import {
  AutocompleteInteraction,
  CommandInteraction,
  ComponentInteraction,
  firstIssue,
  InteractionEnvelope,
  PingInteraction,
} from './interaction-schema.ts';
import { autocompleteCommand, applicationCommand } from './slash-command.ts';
import { STALE_BUTTON } from './words.ts';

export type ParsedInteraction =
  | { kind: 'ping'; interaction: APIPingInteraction }
  | {
      kind: 'command';
      command: Command;
      /** References found beyond the ten cards one message can carry. */
      omitted: IncidentRef[];
      interaction: APIApplicationCommandInteraction | APIApplicationCommandAutocompleteInteraction;
    }
  | { kind: 'component'; command: Command; interaction: APIMessageComponentInteraction }
  /** The user asked for something that cannot work (a typo, a stale button): answered with an ephemeral error. */
  | { kind: 'invalid'; reason: string; interaction: APIInteraction }
  /** A well-formed interaction this bot does not handle (another command, a modal…). */
  | { kind: 'unsupported'; reason: string; interaction: APIInteraction }
  /** `/incident unfurl on|off`: a setting, answered by the adapter (gateway/unfurl-command.ts). */
  | { kind: 'unfurl-settings'; request: UnfurlSettingsRequest; interaction: APIInteraction }
  /** The Dismiss button under an unfurl reply (gateway/dismiss.ts). */
  | { kind: 'dismiss'; request: DismissRequest; interaction: APIInteraction };

export type ParseResult = { ok: true; value: ParsedInteraction } | { ok: false; reason: string };

/** Interactions nest options two levels deep (subcommand group → subcommand → option); 32 is generous. */
const MAX_DEPTH = 32;

/** How deep `value` nests, counting no further than `limit + 1`. */
function depthOf(value: unknown, limit: number): number {
  if (value === null || typeof value !== 'object') return 0;
  if (limit < 0) return 1;
  let deepest = 0;
  for (const child of Object.values(value)) {
    const depth = depthOf(child, limit - 1);
    if (depth > deepest) deepest = depth;
    if (deepest > limit) break;
  }
  return deepest + 1;
}

function isPing(json: unknown): boolean {
  return (
    json !== null && typeof json === 'object' && (json as { type?: unknown }).type === InteractionType.Ping
  );
}

export function parseInteraction(body: string, links: LinkSettings): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { ok: false, reason: `malformed JSON: ${(error as Error).message}` };
  }
  // Deeply nested JSON (options inside options…) would make the schema walk recurse without bound.
  if (depthOf(json, MAX_DEPTH) > MAX_DEPTH)
    return { ok: false, reason: `nested deeper than ${MAX_DEPTH} levels` };
  // A PING is answered from its type alone: Discord's health check must not fail on the rest of its body.
  if (isPing(json)) return { ok: true, value: { kind: 'ping', interaction: json as APIPingInteraction } };
  const envelope = InteractionEnvelope.safeParse(json);
  if (!envelope.success) return { ok: false, reason: firstIssue(envelope.error) };
  // Validated field by field above; the rest of the payload is Discord's documented shape.
  const interaction = json as APIInteraction;
  switch (envelope.data.type) {
    case InteractionType.Ping:
      return validated(PingInteraction, json, () => ({
        kind: 'ping',
        interaction: interaction as APIPingInteraction,
      }));
    case InteractionType.ApplicationCommand:
      return withActor(CommandInteraction, json, (data, actor) => {
        const parsed = applicationCommand(data, actor, links);
        if (parsed.kind !== 'command') return { ...parsed, interaction };
        return { ...parsed, interaction: interaction as APIApplicationCommandInteraction };
      });
    case InteractionType.ApplicationCommandAutocomplete:
      return withActor(AutocompleteInteraction, json, (data, actor) => {
        const parsed = autocompleteCommand(data.data, actor);
        if (parsed.kind !== 'command') return { ...parsed, interaction };
        return { ...parsed, interaction: interaction as APIApplicationCommandAutocompleteInteraction };
      });
    case InteractionType.MessageComponent:
      return withActor(ComponentInteraction, json, (data, actor) => {
        const component = interaction as APIMessageComponentInteraction;
        const type = data.data.component_type;
        if (
          type !== ComponentType.Button &&
          type !== ComponentType.StringSelect &&
          type !== ComponentType.UserSelect
        ) {
          return { kind: 'unsupported', reason: 'only buttons and select menus are handled', interaction };
        }
        const authorId = parseDismissId(data.data.custom_id);
        if (authorId) {
          const request = { actor, authorId, channelId: actor.channelId, messageId: data.message.id };
          return { kind: 'dismiss', request, interaction };
        }
        const customId = parseCustomId(data.data.custom_id);
        if (!customId.ok) {
          return {
            kind: 'invalid',
            reason: STALE_BUTTON,
            interaction,
          };
        }
        if (customId.value.action === 'act') {
          const delivery = { interactionId: data.id, messageId: data.message.id };
          const command = actionCommand(customId.value, data.data, actor, delivery);
          if (!command) return { kind: 'invalid', reason: STALE_BUTTON, interaction };
          return { kind: 'component', command, interaction: component };
        }
        const refs = refsOf(customId.value);
        const command: Command =
          refs.length === 1
            ? { kind: 'incident.refresh', actor, ref: refs[0]! }
            : { kind: 'incident.unfurl', actor, refs };
        return { kind: 'component', command, interaction: component };
      });
    default:
      return {
        ok: true,
        value: { kind: 'unsupported', reason: `interaction type ${envelope.data.type}`, interaction },
      };
  }
}

function validated<S extends z.ZodType>(
  schema: S,
  json: unknown,
  build: (data: z.infer<S>) => ParsedInteraction,
): ParseResult {
  const result = schema.safeParse(json);
  return result.success
    ? { ok: true, value: build(result.data) }
    : { ok: false, reason: firstIssue(result.error) };
}

function withActor<S extends z.ZodType<ActorFields>>(
  schema: S,
  json: unknown,
  build: (data: z.infer<S>, actor: NonNullable<ReturnType<typeof discordActor>>) => ParsedInteraction,
): ParseResult {
  const result = schema.safeParse(json);
  if (!result.success) return { ok: false, reason: firstIssue(result.error) };
  const actor = discordActor(result.data);
  if (!actor) return { ok: false, reason: 'interaction names no user (member.user or user)' };
  return { ok: true, value: build(result.data, actor) };
}
