// A rule's aggregate and query (search syntax) compiled into the query model. Import validates them, so a
// failure here means a store written by something else; it is reported as a value, not thrown.
import type { AlertRule } from '../domain.ts';
import { parseAggregate } from './aggregate.ts';
import type { Aggregate, Filter } from './model.ts';
import { parseSearch } from './search-syntax.ts';
import { compactKey, createBoundedCache } from '../bounded-cache.ts';

export type CompiledRule =
  | { ok: true; aggregate: Aggregate; filter: Filter | null }
  | { ok: false; error: string };

type RuleText = Pick<AlertRule, 'aggregate' | 'query' | 'dataset'>;

export function compileRule(rule: RuleText): CompiledRule {
  const aggregate = parseAggregate(rule.aggregate, rule.dataset);
  if (!aggregate.ok) return { ok: false, error: `aggregate: ${aggregate.error}` };
  const search = parseSearch(rule.query, rule.dataset);
  if (!search.ok) return { ok: false, error: `query: ${search.error}` };
  return { ok: true, aggregate: aggregate.aggregate, filter: search.filter };
}

/** Compiles each distinct rule text once; one per app, so two apps (or tests) never share a cache. */
export type RuleCompiler = { compile(rule: RuleText): CompiledRule };

/** A compiled rule is a small tree; a query text is at most a few KB (bounded at import). */
const CACHE_ENTRIES = 10_000;
const CACHE_BYTES = 16 * 1024 * 1024;

export function createRuleCompiler(): RuleCompiler {
  const compiled = createBoundedCache<CompiledRule>({
    maxEntries: CACHE_ENTRIES,
    maxBytes: CACHE_BYTES,
    ttlMs: Number.POSITIVE_INFINITY,
    // Measured once per distinct rule text, when it is compiled.
    sizeOf: (result) => 2 * JSON.stringify(result).length,
  });
  return {
    compile(rule) {
      const key = compactKey(`${rule.dataset}\u0000${rule.aggregate}\u0000${rule.query}`);
      const hit = compiled.get(key);
      if (hit) return hit;
      const result = compileRule(rule);
      compiled.set(key, result);
      return result;
    },
  };
}
