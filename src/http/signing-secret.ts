// The key of signed URLs: SIGNING_SECRET when set, else one generated into DATA_DIR on first start (and read
// back on every later start, so links in old cards keep working across restarts).
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log.ts';

export const SIGNING_SECRET_FILE = 'signing-secret';

export type SigningSecret = { ok: true; secret: string } | { ok: false; reason: string };

export async function loadSigningSecret(options: {
  configured: string | undefined;
  dataDir: string;
  logger: Logger;
}): Promise<SigningSecret> {
  if (options.configured) return { ok: true, secret: options.configured };
  const file = join(options.dataDir, SIGNING_SECRET_FILE);
  try {
    await mkdir(options.dataDir, { recursive: true });
    const generated = randomBytes(32).toString('hex');
    // 'wx': of two processes starting at once, one writes and both then read the same secret.
    const created = await writeFile(file, `${generated}\n`, { flag: 'wx', mode: 0o600 }).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') return false;
        throw error;
      },
    );
    if (created) {
      options.logger.info(
        { file },
        'no SIGNING_SECRET set: generated one into the data directory (signed links stay valid while it is kept)',
      );
    }
    const secret = (await readFile(file, 'utf8')).trim();
    if (secret.length < 32) return { ok: false, reason: `${file} holds no usable signing secret` };
    return { ok: true, secret };
  } catch (error) {
    return { ok: false, reason: `cannot keep a signing secret in ${file}: ${(error as Error).message}` };
  }
}
