// Zod schemas for the parts of an incoming interaction the bot reads. The full wire shape is discord-api-types'
// `APIInteraction`; these check, at the edge, every field that code later relies on. Unknown keys pass through.
import { InteractionType } from 'discord-api-types/v10';
import { z } from 'zod';

const Snowflake = z.string().regex(/^\d{1,20}$/, 'must be a snowflake');

const User = z.looseObject({
  id: Snowflake,
  username: z.string().max(100).optional(),
  global_name: z.string().max(100).nullable().optional(),
});
const Member = z.looseObject({
  user: User,
  permissions: z.string().optional(),
  roles: z.array(Snowflake).max(250).optional(),
  nick: z.string().max(100).nullable().optional(),
});

type OptionShape = {
  name: string;
  type: number;
  value?: string | number | boolean | undefined;
  focused?: boolean | undefined;
  options?: OptionShape[] | undefined;
};
export const CommandOption: z.ZodType<OptionShape> = z.lazy(() =>
  z.looseObject({
    name: z.string(),
    type: z.number().int(),
    value: z.union([z.string(), z.number(), z.boolean()]).optional(),
    focused: z.boolean().optional(),
    options: z.array(CommandOption).max(25).optional(),
  }),
);
export type CommandOption = z.infer<typeof CommandOption>;

const ResolvedMessage = z.looseObject({
  id: Snowflake,
  content: z.string().default(''),
  embeds: z.array(z.looseObject({ url: z.string().optional() })).default([]),
});

const CommandData = z.looseObject({
  id: Snowflake,
  name: z.string().min(1),
  type: z.number().int(),
  options: z.array(CommandOption).max(25).optional(),
  target_id: Snowflake.optional(),
  resolved: z.looseObject({ messages: z.record(z.string(), ResolvedMessage).optional() }).optional(),
});
export type CommandData = z.infer<typeof CommandData>;

const ComponentData = z.looseObject({
  custom_id: z.string(),
  component_type: z.number().int(),
  /** Select menus: the chosen values (user ids for a user select). */
  values: z.array(z.string().max(100)).max(25).optional(),
  resolved: z
    .looseObject({
      users: z.record(z.string(), User).optional(),
      members: z
        .record(z.string(), z.looseObject({ nick: z.string().max(100).nullable().optional() }))
        .optional(),
    })
    .optional(),
});
export type ComponentData = z.infer<typeof ComponentData>;

/** Who, where: everything an Actor is made of. */
const Context = {
  id: Snowflake,
  application_id: Snowflake,
  token: z.string().min(1).max(1000),
  guild_id: Snowflake.optional(),
  channel_id: Snowflake.optional(),
  channel: z.looseObject({ id: Snowflake }).optional(),
  member: Member.optional(),
  user: User.optional(),
  locale: z.string().optional(),
  guild_locale: z.string().optional(),
};

export const InteractionEnvelope = z.looseObject({ type: z.number().int() });

export const PingInteraction = z.looseObject({ type: z.literal(InteractionType.Ping), id: Snowflake });

export const CommandInteraction = z.looseObject({
  ...Context,
  type: z.literal(InteractionType.ApplicationCommand),
  data: CommandData,
});
export type CommandInteraction = z.infer<typeof CommandInteraction>;

export const AutocompleteInteraction = z.looseObject({
  ...Context,
  type: z.literal(InteractionType.ApplicationCommandAutocomplete),
  data: CommandData,
});

export const ComponentInteraction = z.looseObject({
  ...Context,
  type: z.literal(InteractionType.MessageComponent),
  data: ComponentData,
  message: z.looseObject({ id: Snowflake }),
});

/** "path: message" of the first issue, for a one-line 400. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid interaction';
  const path = issue.path.join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
