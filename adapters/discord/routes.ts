// `POST /discord/interactions`: size limit → configuration → signature → schema → answer.
import { sendJson } from '../../src/http/respond.ts';
import type { Route } from '../../src/adapter.ts';
import { MAX_BODY_BYTES, readRawBody } from '../../src/http/read-body.ts';
import { parseInteraction } from './parse.ts';
import type { PendingWork } from './pending-work.ts';
import type { ReplayGuard } from './replay-guard.ts';
import { type InteractionDeps, respond } from './respond.ts';
import type { Verifier } from './verify.ts';

export const INTERACTIONS_PATH = '/discord/interactions';

export type InteractionsRouteDeps = InteractionDeps & {
  /** Null when DISCORD_PUBLIC_KEY is not configured: every request answers 503. */
  verify: Verifier | null;
  /** Follow-ups still running after their HTTP answer; the adapter waits for them on close. */
  pending: PendingWork;
  /** Interaction ids already answered within the signature window. */
  replays: ReplayGuard;
};

const NO_PUBLIC_KEY = 'Discord is not configured: set DISCORD_PUBLIC_KEY to the application public key';

export function interactionsRoute(deps: InteractionsRouteDeps): Route {
  return {
    method: 'POST',
    path: INTERACTIONS_PATH,
    async handle(request, response) {
      if (!deps.verify) return sendJson(response, 503, { error: NO_PUBLIC_KEY });
      const declared = Number(request.headers['content-length']);
      if (declared > MAX_BODY_BYTES) {
        request.resume();
        return sendJson(response, 413, { error: 'request body larger than 1 MiB' }, { connection: 'close' });
      }
      // Nothing unsigned is worth reading: refuse before the body arrives.
      const signature = header(request.headers['x-signature-ed25519']);
      const timestamp = header(request.headers['x-signature-timestamp']);
      if (!signature || !timestamp)
        return sendJson(
          response,
          401,
          { error: 'invalid request signature: missing signature headers' },
          {
            connection: 'close',
          },
        );
      const read = await readRawBody(request);
      if (!read.ok)
        return sendJson(response, 413, { error: 'request body larger than 1 MiB' }, { connection: 'close' });
      const verification = deps.verify({ signature, timestamp }, read.body);
      if (!verification.ok)
        return sendJson(response, 401, { error: `invalid request signature: ${verification.reason}` });
      const parsed = parseInteraction(read.body.toString('utf8'), deps.context.links);
      if (!parsed.ok) return sendJson(response, 400, { error: parsed.reason });
      // A PING has no effect to repeat (Discord's endpoint check may send the same one again).
      if (parsed.value.kind !== 'ping' && !deps.replays.firstTime(parsed.value.interaction.id))
        return sendJson(response, 409, { error: 'interaction already answered (replayed request)' });
      const handled = await respond(parsed.value, deps);
      const after = handled.afterResponse;
      sendJson(response, 200, handled.response, {}, after ? () => deps.pending.track(after()) : undefined);
    },
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
