// Starts `incident-cards serve` as a child process on an ephemeral loopback port and waits until it listens.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'incident-cards.mjs');

export type ServeProcess = {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stderr(): string;
  /** The human banners (listening, demo loaded, demo links); stderr carries the JSON log. */
  stdout(): string;
  exited: Promise<number | null>;
};

export async function startServe(env: Record<string, string>, args: string[] = []): Promise<ServeProcess> {
  const child = spawn('node', [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return { child, url, stderr: () => stderr, stdout: () => stdout, exited };
}
