// The fields of an inbound activity that botbuilder and this adapter read, checked for their types before the
// turn runs: botbuilder trusts them to be strings (`channelId.trim`, `conversation.id.split`…) and a number or
// an array there ended in a 500 (found by fuzzing). Everything else passes through untouched.
import { z } from 'zod';

const Text = z.string();
const Named = z.looseObject({ id: Text.optional(), name: Text.optional(), aadObjectId: Text.optional() });

export const ActivityShape = z.looseObject({
  type: Text.min(1),
  serviceUrl: Text.min(1),
  name: Text.optional(),
  id: Text.optional(),
  channelId: Text.optional(),
  text: Text.optional(),
  locale: Text.optional(),
  replyToId: Text.optional(),
  from: Named.optional(),
  recipient: Named.optional(),
  conversation: z
    .looseObject({ id: Text, tenantId: Text.optional(), conversationType: Text.optional() })
    .optional(),
  channelData: z
    .looseObject({ tenant: Named.optional(), channel: Named.optional(), team: Named.optional() })
    .optional(),
  entities: z.array(z.looseObject({ type: Text.optional() })).optional(),
});

/** Null when the activity may go to botbuilder; else why not, for a 400. */
export function activityShapeProblem(activity: unknown): string | null {
  const parsed = ActivityShape.safeParse(activity);
  if (parsed.success) {
    if (parsed.data.type === 'invoke' && parsed.data.name === undefined)
      return 'an invoke needs a text "name"';
    return null;
  }
  const issue = parsed.error.issues[0]!;
  return `the activity's "${issue.path.join('.') || '(root)'}" is not what Teams sends (${issue.message})`;
}
