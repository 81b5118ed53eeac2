// The seam between src/ and the platform adapters: adapters contribute HTTP routes and CLI sub-commands;
// src/ never imports an adapter. An adapter sees only its AdapterContext, never the whole App.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from './app.ts';
import type { Dispatch } from './command/dispatch.ts';
import type { LinkSettings } from './command/incident-links.ts';
import type { Env } from './config.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import type { Platform, Organization } from './domain.ts';
import type { ConversationReferenceRecord } from './repository.ts';
import type { UnfurlSettings } from './store/unfurl-settings.ts';

export type Route = {
  method: 'GET' | 'POST';
  /** Exact path, e.g. '/discord/interactions'; with `pattern`, the name the route is counted under. */
  path: string;
  /** Matches paths with parameters, e.g. /^\/api\/\d+\/envelope\/?$/ (the handler reads them from the URL). */
  pattern?: RegExp;
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
};

export type Adapter = {
  name: string;
  routes: Route[];
  /**
   * Finishes what it started (deferred replies, outbound calls) and releases what it holds. `signal` aborts at
   * the shutdown deadline: stop waiting then. Called after the server stopped accepting and drained requests.
   */
  close?(signal: AbortSignal): Promise<void>;
};

/** Where the bot was added, kept for proactive messages later. */
interface ConversationLog {
  saveConversationReference(record: ConversationReferenceRecord): Promise<void>;
}

/** Which organization a platform workspace is connected to (an installation), if any. */
interface TenantDirectory {
  organizationForTenant(platform: Platform, tenantId: string): Organization | null;
}

/** Everything an adapter may use: reading this type tells you what an adapter can touch. */
export type AdapterContext = {
  /** The one way into src/: a Command in, a Reply (codes and data) out. */
  dispatch: Dispatch;
  logger: Logger;
  metrics: Metrics;
  /** PUBLIC_URL and the extra unfurl hosts: what incident links look like in this deployment. */
  links: LinkSettings;
  conversations: ConversationLog;
  tenants: TenantDirectory;
  /** Where pasted incident links are answered with cards (chat gateways). */
  unfurlSettings: UnfurlSettings;
  /** The environment; an adapter reads its own settings section from it with `loadSection`. */
  env: Env;
};

export type AdapterFactory = (context: AdapterContext) => Adapter;

/** The narrow view of the App that adapters get. */
export function adapterContext(app: App): AdapterContext {
  return {
    dispatch: app.dispatch,
    logger: app.logger,
    metrics: app.metrics,
    links: app.links,
    conversations: app.repository,
    tenants: app.repository,
    unfurlSettings: app.unfurlSettings,
    env: app.config.env,
  };
}

export type CliContext = {
  /** Opens the store and backend (only for sub-commands that need them). */
  openApp(): Promise<App>;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  env: Record<string, string | undefined>;
};

/** A CLI sub-command contributed by an adapter, e.g. `discord register`. Returns the exit code. */
export type CliCommand = {
  /** Words before the flags, e.g. ['discord', 'register']. */
  name: string[];
  usage: string;
  description: string;
  run(args: string[], context: CliContext): Promise<number>;
};
