// The seam between src/ and the platform adapters: adapters contribute HTTP routes and CLI sub-commands;
// src/ never imports an adapter.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from './app.ts';

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
  close?(): Promise<void>;
};

export type AdapterFactory = (app: App) => Adapter;

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
