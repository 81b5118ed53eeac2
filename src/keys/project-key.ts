// A key that may send events: a project key (Sentry's DSN public key, for SDKs and one project's NDJSON lines) or an
// organization key (no project: the bulk NDJSON endpoints, for any project of the organization).
import { z } from 'zod';

export const PUBLIC_KEY_PATTERN = /^[0-9a-f]{32}$/;

/** As a dataset carries it (`projectKeys`, docs/dataset-format.md). */
export const ProjectKey = z.object({
  publicKey: z.string().regex(PUBLIC_KEY_PATTERN, 'publicKey must be 32 lowercase hex characters'),
  organizationId: z.string().min(1).max(100),
  projectId: z.number().int().positive().nullable().optional(),
  name: z.string().min(1).max(200).optional(),
});
export type ProjectKey = z.infer<typeof ProjectKey>;

/** A key as the server sees it. */
export type KeyState = {
  publicKey: string;
  organizationId: string;
  /** null for an organization key. */
  projectId: number | null;
  name: string | null;
  createdAt: string;
  revokedAt: string | null;
};
