// Decides whether a key may write: known and not revoked (401/403), for this project (403), and the project
// belongs to the key's organization (403). Nothing is written for a refused request.
import type { KeyDirectory } from '../keys/key-directory.ts';
import type { KeyState } from '../keys/project-key.ts';
import type { ProjectDirectory } from './project-directory.ts';

export type Authorization = { ok: true; key: KeyState } | { ok: false; status: 401 | 403; detail: string };

export async function findActiveKey(keys: KeyDirectory, publicKey: string | null): Promise<Authorization> {
  if (!publicKey)
    return { ok: false, status: 401, detail: 'missing authentication: no sentry_key / Bearer key' };
  const key = await keys.find(publicKey);
  if (!key) return { ok: false, status: 401, detail: 'unknown key' };
  if (key.revokedAt !== null) return { ok: false, status: 403, detail: 'this key was revoked' };
  return { ok: true, key };
}

export async function authorizeProject(
  keys: KeyDirectory,
  projects: ProjectDirectory,
  publicKey: string | null,
  projectId: number,
): Promise<Authorization> {
  const found = await findActiveKey(keys, publicKey);
  if (!found.ok) return found;
  const { key } = found;
  if (key.projectId !== null && key.projectId !== projectId) {
    return { ok: false, status: 403, detail: `this key is for project ${key.projectId}, not ${projectId}` };
  }
  const owner = await projects.organizationOf(projectId);
  if (owner !== key.organizationId) {
    return {
      ok: false,
      status: 403,
      detail: `project ${projectId} is not a project of ${key.organizationId}`,
    };
  }
  return found;
}
