// The Teams adapter as the spine sees it: the POST /api/messages route, the `teams package` sub-command and
// the card renderer `incident-cards card --platform teams` prints.
import type { AdapterFactory, CliCommand } from '../../src/adapter.ts';
import type { IncidentCard } from '../../src/card/model.ts';
import { loadSection } from '../../src/config.ts';
import type { NotifierFactory } from '../../src/notify/start.ts';
import { createTeamsSender } from './deliver.ts';
import { botbuilderRuntime } from './bot.ts';
import { TEAMS_SETTINGS } from './config.ts';
import { teamsPackageCommand } from './package.ts';
import { liveCard } from './render-card.ts';
import { messagesRoute } from './routes.ts';
import { teamsAuth } from './verify.ts';

/**
 * Throws (the server refuses to start) when the Teams settings are invalid or TEAMS_AUTH=off is asked for
 * where it is not allowed.
 */
export const teamsAdapter: AdapterFactory = (context) => {
  const settings = loadSection(TEAMS_SETTINGS, context.env);
  if (!settings.ok) throw new Error(settings.reason);
  const result = teamsAuth(settings.value);
  if (!result.ok) throw new Error(result.reason);
  const { auth } = result;
  const logger = context.logger.child({ component: 'teams' });
  if (auth.mode === 'off')
    logger.warn('TEAMS_AUTH=off: /api/messages accepts unauthenticated requests from loopback only');
  if (auth.mode === 'jwt' && auth.outbound === 'anonymous') {
    logger.warn(
      'MICROSOFT_APP_PASSWORD is not set: the bot answers invokes but its messages are sent without a token',
    );
  }
  const runtime =
    auth.mode === 'unconfigured'
      ? null
      : botbuilderRuntime(auth.authentication, {
          dispatch: context.dispatch,
          links: context.links,
          conversations: context.conversations,
          tenants: context.tenants,
          logger,
        });
  return { name: 'teams', routes: [messagesRoute({ auth, runtime, logger })] };
};

export const teamsCliCommands: CliCommand[] = [teamsPackageCommand];

/** The card exactly as the bot posts it (for `incident-cards card --platform teams`). */
export function renderTeamsCard(card: IncidentCard): unknown {
  return liveCard([card], { watchers: [] });
}

/** Proactive cards in subscribed conversations, with the bot's own credentials (none when Teams is unconfigured). */
export const teamsNotifier: NotifierFactory = ({ env, logger }) => {
  const settings = loadSection(TEAMS_SETTINGS, env);
  const result = settings.ok ? teamsAuth(settings.value) : settings;
  if (!result.ok) {
    logger.warn({ reason: result.reason }, 'teams notifications off: invalid Teams settings');
    return null;
  }
  if (result.auth.mode === 'unconfigured') return null;
  const appId = result.auth.mode === 'jwt' ? result.auth.appId : '';
  return { platform: 'teams', sender: createTeamsSender(result.auth.authentication, appId) };
};
