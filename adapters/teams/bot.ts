// The Bot Framework SDK glue: botbuilder's CloudAdapter runs each turn through parse.ts (one ParsedActivity)
// and respond.ts (one TeamsAnswer), and carries the answer out. It sits behind TeamsBotRuntime so the
// Microsoft 365 Agents SDK (same protocol, same activity JSON) can replace botbuilder without touching the
// route, parsing or rendering.
import type { IncomingHttpHeaders } from 'node:http';
import { CloudAdapter, INVOKE_RESPONSE_KEY, TurnContext } from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import type { AdapterContext } from '../../src/adapter.ts';
import type { Logger } from '../../src/log.ts';
import { parseActivity } from './parse.ts';
import { respond, type TeamsAnswer } from './respond.ts';

/** An HTTP request whose JSON body is already parsed (what both SDKs' `process` expect). */
export type BotRequest = { method: string; headers: IncomingHttpHeaders; body: Record<string, unknown> };
/** The Express-like response both SDKs write to. */
export type BotResponse = {
  socket: unknown;
  status(code: number): unknown;
  header(name: string, value: unknown): unknown;
  send(body?: unknown): unknown;
  end(): unknown;
};

/** The seam: authenticate one request, run its turn, write the answer. */
export interface TeamsBotRuntime {
  process(request: BotRequest, response: BotResponse): Promise<void>;
}

export type BotDeps = Pick<AdapterContext, 'dispatch' | 'links' | 'conversations' | 'tenants'> & {
  logger: Logger;
};

export function botbuilderRuntime(
  authentication: BotFrameworkAuthentication,
  deps: BotDeps,
): TeamsBotRuntime {
  const adapter = new CloudAdapter(authentication);
  return {
    process: (request, response) => adapter.process(request, response, (context) => runTurn(context, deps)),
  };
}

/** Unexpected failures are logged once here, with the activity they broke, and never leak a stack. */
async function runTurn(context: TurnContext, deps: BotDeps): Promise<void> {
  try {
    const answer = await respond(parseActivity(context.activity, deps.links), deps);
    if (answer.kind === 'invoke' && answer.status >= 400) logFailedInvoke(context, answer, deps.logger);
    await carryOut(answer, context, deps);
  } catch (error) {
    const { type, name, conversation, channelId } = context.activity;
    deps.logger.error(
      { err: error, type, name, conversationId: conversation?.id, channelId },
      'teams turn failed',
    );
    if (type === 'invoke')
      context.turnState.set(INVOKE_RESPONSE_KEY, { type: 'invokeResponse', value: { status: 500 } });
  }
}

/**
 * An invoke answered with an error status (a forged refresh, an unknown verb, an unsupported invoke) is the
 * client's problem, not ours, but an operator asking "why did the card not refresh" needs it at the default level.
 */
function logFailedInvoke(
  context: TurnContext,
  answer: Extract<TeamsAnswer, { kind: 'invoke' }>,
  logger: Logger,
): void {
  const { name, conversation } = context.activity;
  const reason = invokeFailureReason(answer.body);
  logger.warn(
    { name, status: answer.status, reason, conversationId: conversation?.id },
    'teams invoke failed',
  );
}

function invokeFailureReason(body: unknown): string {
  const shaped = body as { value?: { message?: unknown }; error?: { message?: unknown } } | undefined;
  const message = shaped?.value?.message ?? shaped?.error?.message;
  return typeof message === 'string' ? message : 'no handler for this invoke';
}

async function carryOut(answer: TeamsAnswer, context: TurnContext, deps: BotDeps): Promise<void> {
  switch (answer.kind) {
    case 'invoke':
      await context.sendActivity({
        type: 'invokeResponse',
        value: { status: answer.status, body: answer.body },
      });
      return;
    case 'send':
      await context.sendActivity(answer.activity);
      return;
    case 'update':
      await context.updateActivity(answer.activity);
      return;
    case 'remember': {
      // Proactive cards go to the conversation itself (a channel, not the thread the event named).
      const reference = TurnContext.getConversationReference(context.activity);
      await deps.conversations.saveConversationReference({
        platform: 'teams',
        tenantId: answer.tenantId,
        conversationId: answer.conversationId,
        reference: { ...reference, conversation: { ...reference.conversation, id: answer.conversationId } },
      });
      return;
    }
    case 'none':
      return;
  }
}
