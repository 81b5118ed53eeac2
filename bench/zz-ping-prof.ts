import { Pool } from 'undici';
import { createDiscordAdapter } from '../adapters/discord/index.ts';
import { startServer } from '../src/server.ts';
import { createTestApp } from '../test/support/test-app.ts';
import { createDiscordSigner } from '../test/adapters/discord/signing.ts';
const signer = createDiscordSigner();
const t = await createTestApp({ env: { DISCORD_PUBLIC_KEY: signer.publicKeyHex } });
const server = await startServer(t.app, [createDiscordAdapter()], { port: 0, host: '127.0.0.1' });
const pool = new Pool(server.url, { connections: 64 });
let n = 0; const end = performance.now() + 5000;
const mode = process.argv[2] ?? 'signed';
await Promise.all(Array.from({ length: 64 }, async () => {
  while (performance.now() < end) {
    const body = JSON.stringify({ type: 1, id: String(1e18 + n), application_id: '1', token: 't', version: 1 });
    const headers = mode === 'signed' ? signer.headers(body) : { 'content-type': 'application/json' };
    const r = await pool.request({ method: 'POST', path: mode === 'health' ? '/healthz' : '/discord/interactions', headers, body: mode === 'health' ? undefined : body });
    await r.body.text(); n++;
  }
}));
console.log(mode, n / 5, 'rps');
await pool.close(); await server.close(); await t.close();
