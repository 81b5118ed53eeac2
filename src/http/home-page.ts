// GET /: what a newcomer who opens the server's address sees: what this is, whether it is ready, and where to
// read next. No organization's data: incident pages open only from the signed links in cards.
import { readFileSync } from 'node:fs';
import type { App } from '../app.ts';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

const READY_CHECK_MS = 1_000;

export async function homePage(app: App): Promise<string> {
  let ready = true;
  try {
    await app.backend.check(AbortSignal.timeout(READY_CHECK_MS));
  } catch {
    ready = false;
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>incident-cards</title>
<style>body{font:16px system-ui,sans-serif;margin:2rem auto;max-width:42rem;padding:0 1rem}code{background:#f2f2f4;padding:0 .2rem}</style>
</head><body><h1>incident-cards ${VERSION}</h1>
<p>Live incident cards for Discord and Microsoft Teams. Status: <strong>${ready ? 'ready' : 'not ready'}</strong>
(details on <code>/readyz</code> from this machine).</p>
<h2>Next steps</h2><ul>
<li>Connect Discord: point the application's Interactions Endpoint URL at <code>/discord/interactions</code>
(README, "Discord").</li>
<li>Connect Microsoft Teams: the bot's messaging endpoint is <code>/api/messages</code> (<code>docs/teams.md</code>).</li>
<li>Send events: <code>incident-cards import</code> with a dataset (<code>docs/dataset-format.md</code>).</li>
<li>Incident pages open from the link in a card; <code>incident-cards card &lt;org&gt;/&lt;id&gt;</code> prints one
with its link.</li>
</ul></body></html>`;
}
