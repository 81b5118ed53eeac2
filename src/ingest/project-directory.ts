// Which organization owns a project, read from the store's metadata and re-read every few seconds (projects come
// with an import; the server does not need a restart to learn them).
import type { Database } from '../store/duckdb/database.ts';

const RECHECK_MS = 5_000;

export type ProjectDirectory = {
  organizationOf(projectId: number): Promise<string | null>;
  projectsOf(organizationId: string): Promise<Set<number>>;
};

export function createProjectDirectory(database: Database, now: () => number = Date.now): ProjectDirectory {
  let owners = new Map<number, string>();
  let checkedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | null = null;
  const load = async () => {
    const rows = await database.withConnection(async (connection) =>
      (await connection.runAndReadAll('SELECT id, body FROM projects')).getRows(),
    );
    owners = new Map(
      rows.map(([id, body]) => [
        Number(id),
        String((JSON.parse(String(body)) as { organizationId: string }).organizationId),
      ]),
    );
    checkedAt = now();
  };
  const fresh = async () => {
    if (now() - checkedAt >= RECHECK_MS) {
      loading ??= load().finally(() => {
        loading = null;
      });
      await loading;
    }
    return owners;
  };
  return {
    organizationOf: async (projectId) => (await fresh()).get(projectId) ?? null,
    async projectsOf(organizationId) {
      const projects = new Set<number>();
      for (const [id, owner] of await fresh()) if (owner === organizationId) projects.add(id);
      return projects;
    },
  };
}
