// `incident-cards card <org>/<identifier>`: builds the card exactly as the bot would and prints it.
import { parseArgs } from 'node:util';
import { renderCardText } from '../card/text.ts';
import type { ErrorReply } from '../command/model.ts';
import { type CliIo, type CliWiring, EXIT, storeConfig, UsageError, withApp } from './context.ts';

export const CARD_USAGE = `usage: incident-cards card <org>/<identifier> [--platform discord|teams|text] [--json] [--data-dir DIR]

Builds an incident card from the store, with its live metric value, and prints it:
  --platform text     readable text (default)
  --platform discord  the Discord message payload (embeds + components)
  --platform teams    the Teams Adaptive Card
  --json              the platform-neutral card model (or the platform payload with --platform)`;

export async function cardCommand(args: string[], io: CliIo, wiring: CliWiring): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      platform: { type: 'string' },
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(CARD_USAGE);
    return EXIT.ok;
  }
  const match = positionals.length === 1 ? /^([a-z0-9][a-z0-9-]*)\/#?(\d{1,9})$/.exec(positionals[0]!) : null;
  if (!match) throw new UsageError('card needs one <org>/<identifier>, e.g. acme/42');
  const platform = values.platform ?? 'text';
  if (platform !== 'text' && platform !== 'discord' && platform !== 'teams') {
    throw new UsageError(`--platform must be discord, teams or text, not "${platform}"`);
  }
  return withApp(io, storeConfig(io, values['data-dir']), async (opened) => {
    const reply = await opened.app.dispatch({
      kind: 'incident.show',
      actor: { platform: 'cli', userId: 'cli', tenantId: match[1]! },
      ref: { organizationId: match[1]!, identifier: Number(match[2]) },
    });
    if (reply.kind !== 'cards') {
      io.stderr(reply.kind === 'error' ? errorText(reply) : `unexpected reply ${reply.kind}`);
      return EXIT.usage;
    }
    const card = reply.cards[0]!;
    if (platform === 'text') {
      io.stdout(values.json ? JSON.stringify(card, null, 2) : renderCardText(card));
    } else {
      const render = wiring.renderers[platform];
      if (!render) throw new UsageError(`the ${platform} renderer is not available in this build`);
      io.stdout(JSON.stringify(render(card), null, 2));
    }
    return card.metricError ? EXIT.failure : EXIT.ok;
  });
}

/** The terminal's words for an error reply. */
function errorText(reply: ErrorReply): string {
  if (reply.code === 'not_found')
    return `No incident ${reply.refs.map((ref) => `#${ref.identifier}`).join(', ')} in ${reply.organization ?? 'that organization'}.`;
  if (reply.code === 'other_organization') return 'That incident belongs to another organization.';
  if (reply.code === 'not_installed') return 'Unknown organization.';
  return `Cannot show the card (${reply.code}).`;
}
