// The Bot Framework SDK glue: botbuilder's CloudAdapter and a TeamsActivityHandler that hands each Teams
// interaction to respond.ts. It sits behind TeamsBotRuntime so the Microsoft 365 Agents SDK (same protocol,
// same activity JSON) can replace botbuilder without touching the route, parsing or rendering.
import type { IncomingHttpHeaders } from 'node:http';
import {
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type AppBasedLinkQuery,
  CloudAdapter,
  INVOKE_RESPONSE_KEY,
  type InvokeResponse,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  type MessagingExtensionQuery,
  type MessagingExtensionResponse,
  TeamsActivityHandler,
  TurnContext,
} from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import type { Logger } from '../../src/log.ts';
import type { IncidentRepository } from '../../src/repository.ts';
import { actorFromActivity } from './parse.ts';
import { ANONYMOUS_QUERY_LINK } from './commands.ts';
import {
  answerAnonymousQueryLink,
  answerCardAction,
  answerFetchTask,
  answerMessage,
  answerQueryLink,
  answerSearch,
  answerSelectItem,
  answerSubmitAction,
  answerSubmittedRefresh,
  type TeamsDeps,
} from './respond.ts';

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

export type BotDeps = TeamsDeps & { repository: IncidentRepository; logger: Logger };

export function botbuilderRuntime(
  authentication: BotFrameworkAuthentication,
  deps: BotDeps,
): TeamsBotRuntime {
  const adapter = new CloudAdapter(authentication);
  const bot = new IncidentCardsBot(deps);
  return {
    process: (request, response) =>
      adapter.process(request, response, (context) => runTurn(bot, context, deps.logger)),
  };
}

/** Unexpected failures are logged once here, with the activity they broke, and never leak a stack. */
async function runTurn(bot: IncidentCardsBot, context: TurnContext, logger: Logger): Promise<void> {
  try {
    await bot.run(context);
    logFailedInvoke(context, logger);
  } catch (error) {
    const { type, name, conversation, channelId } = context.activity;
    logger.error(
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
function logFailedInvoke(context: TurnContext, logger: Logger): void {
  const { type, name, conversation } = context.activity;
  if (type !== 'invoke') return;
  const answer = (context.turnState.get(INVOKE_RESPONSE_KEY) as { value?: InvokeResponse } | undefined)
    ?.value;
  if (!answer || answer.status < 400) return;
  logger.warn(
    {
      name,
      status: answer.status,
      reason: invokeFailureReason(answer.body),
      conversationId: conversation?.id,
    },
    'teams invoke failed',
  );
}

function invokeFailureReason(body: unknown): string {
  const shaped = body as { value?: { message?: unknown }; error?: { message?: unknown } } | undefined;
  const message = shaped?.value?.message ?? shaped?.error?.message;
  return typeof message === 'string' ? message : 'no handler for this invoke';
}

export class IncidentCardsBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      await this.remember(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.remember(context);
      await next();
    });
  }

  private async message(context: TurnContext): Promise<void> {
    const { activity } = context;
    // An Action.Submit (the Refresh fallback on clients without Universal Actions) arrives as a message
    // with a value and no text; it updates the card it came from.
    if (activity.value && !activity.text) {
      const updated = await answerSubmittedRefresh(activity, this.deps);
      if (updated && activity.replyToId) await context.updateActivity({ ...updated, id: activity.replyToId });
      else if (updated) await context.sendActivity(updated);
      return;
    }
    // A message that carries only cards (e.g. "Send to conversation" after a link unfurl) asks nothing.
    if (!activity.text?.trim()) return;
    const text = TurnContext.removeRecipientMention(activity) ?? activity.text;
    await context.sendActivity(await answerMessage(activity, text, this.deps));
  }

  /** Keeps where the bot was added, for notifications later. */
  private async remember(context: TurnContext): Promise<void> {
    const { activity } = context;
    const tenantId = actorFromActivity(activity).tenantId;
    const conversationId = activity.conversation?.id;
    if (!tenantId || !conversationId) return;
    const reference = TurnContext.getConversationReference(activity);
    await this.deps.repository.saveConversationReference({
      platform: 'teams',
      tenantId,
      conversationId,
      reference,
    });
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === ANONYMOUS_QUERY_LINK) return answerAnonymousQueryLink();
    return super.onInvokeActivity(context);
  }

  protected override handleTeamsAppBasedLinkQuery(
    context: TurnContext,
    _query: AppBasedLinkQuery,
  ): Promise<MessagingExtensionResponse> {
    return answerQueryLink(context.activity, this.deps);
  }

  protected override handleTeamsMessagingExtensionQuery(
    context: TurnContext,
    _query: MessagingExtensionQuery,
  ): Promise<MessagingExtensionResponse> {
    return answerSearch(context.activity, this.deps);
  }

  protected override handleTeamsMessagingExtensionSelectItem(
    context: TurnContext,
    _query: unknown,
  ): Promise<MessagingExtensionResponse> {
    return answerSelectItem(context.activity, this.deps);
  }

  protected override async handleTeamsMessagingExtensionFetchTask(
    context: TurnContext,
    _action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    return answerFetchTask(context.activity, this.deps);
  }

  protected override handleTeamsMessagingExtensionSubmitAction(
    context: TurnContext,
    _action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    return answerSubmitAction(context.activity, this.deps);
  }

  /** Action.Submit on a card the user inserted: there is no bot message to update; acknowledge it. */
  protected override async handleTeamsMessagingExtensionCardButtonClicked(): Promise<void> {}

  // botbuilder's parsed invoke value drops `trigger`; respond.ts reads the activity's own value.
  protected override onAdaptiveCardInvoke(
    context: TurnContext,
    _value: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    return answerCardAction(context.activity as Activity, this.deps);
  }
}
