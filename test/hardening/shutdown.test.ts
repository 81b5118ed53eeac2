// Graceful shutdown: SIGTERM lets requests in flight and deferred replies finish, runs the registered steps in
// order, refuses new connections, and exits 0.
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { QueryBackend } from '../../src/query/backend.ts';
import { startHarness } from '../adapters/discord/discord-harness.ts';
import { fixture } from '../adapters/discord/fixtures.ts';
import { createDiscordSigner } from '../adapters/discord/signing.ts';
import { SERVE_SHUTDOWN_STEPS } from '../../src/cli/serve-shutdown.ts';
import { startServe } from './serve-process.ts';

function slowed(backend: QueryBackend, delayMs: number): QueryBackend {
  return {
    ...backend,
    name: backend.name,
    async runMetrics(queries, signal) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return backend.runMetrics(queries, signal);
    },
  };
}

describe('graceful shutdown (in process)', () => {
  it('runs the steps in order, then closes the adapters, which deliver the deferred reply first', async () => {
    const harness = await startHarness({ deadlineMs: 100, wrapBackend: (backend) => slowed(backend, 700) });
    const order: string[] = [];
    harness.server.onShutdown('ingestion queue', async () => {
      order.push(`ingestion (late reply sent: ${harness.rest.requests.length > 0})`);
    });
    harness.server.onShutdown('outbox worker', async () => {
      order.push('outbox');
    });
    try {
      const { body } = await harness.post(fixture('slash-show-in-installed-guild'));
      expect(body).toEqual({ type: 5 });
      const report = await harness.server.shutdown(5_000);
      // The follow-up was sent before shutdown returned, although the card took 700 ms.
      expect(harness.rest.requests.map((request) => request.method)).toEqual(['PATCH']);
      expect(order).toEqual(['ingestion (late reply sent: false)', 'outbox']);
      expect(report).toEqual({ completed: ['ingestion queue', 'outbox worker'], failed: [], late: [] });
    } finally {
      await harness.test.close();
      await harness.rest.close();
    }
  });

  it('moves on from a step that overruns the deadline, with its signal aborted', async () => {
    const harness = await startHarness();
    let aborted = false;
    harness.server.onShutdown('stuck', (signal) => {
      signal.addEventListener('abort', () => {
        aborted = true;
      });
      return new Promise(() => {});
    });
    harness.server.onShutdown('after', async () => {});
    try {
      const report = await harness.server.shutdown(200);
      expect(report.late).toEqual(['stuck']);
      expect(aborted).toBe(true);
    } finally {
      await harness.test.close();
      await harness.rest.close();
    }
  });
});

describe('graceful shutdown (a real serve process)', () => {
  it('on SIGTERM finishes a request in flight, refuses new connections, winds down in order, and exits 0', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'incident-cards-shutdown-'));
    const signer = createDiscordSigner();
    const serve = await startServe(
      {
        DATA_DIR: dataDir,
        DISCORD_PUBLIC_KEY: signer.publicKeyHex,
        SHUTDOWN_GRACE_MS: '10000',
        LOG_LEVEL: 'info',
      },
      ['--no-demo'],
    );
    try {
      const { port } = new URL(serve.url);
      const body = JSON.stringify({ type: 1, id: '1', application_id: '1', token: 't', version: 1 });
      const headers = signer.headers(body);
      // A slow client: headers and half of the body now, the rest after SIGTERM.
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      let answer = '';
      socket.on('data', (chunk: Buffer) => {
        answer += chunk.toString();
      });
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.write(
        [
          'POST /discord/interactions HTTP/1.1',
          'host: 127.0.0.1',
          'content-type: application/json',
          `content-length: ${Buffer.byteLength(body)}`,
          ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
          '',
          body.slice(0, 10),
        ].join('\r\n'),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      serve.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(serve.child.exitCode).toBeNull();
      await expect(fetch(`${serve.url}/healthz`)).rejects.toThrow();
      socket.write(body.slice(10));
      await closed;
      expect(answer).toMatch(/^HTTP\/1\.1 200 /);
      expect(answer).toContain('{"type":1}');
      expect(await serve.exited).toBe(0);
      // Accepted rows reach the store first, then the outbox worker stops, then the evaluator (serve-shutdown.ts).
      const stopped = serve
        .stderr()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg?: string; completed?: string[] })
        .find((entry) => entry.msg === 'stopped');
      expect(stopped).toMatchObject({ completed: [...SERVE_SHUTDOWN_STEPS], failed: [], late: [] });
    } finally {
      serve.child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
