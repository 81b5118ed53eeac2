// A rule's aggregate and query (search syntax) compiled into the query model. Import validates them, so a
// failure here means a store written by something else; it is reported as a value, not thrown.
import type { AlertRule } from '../domain.ts';
import { parseAggregate } from './aggregate.ts';
import type { Aggregate, Filter } from './model.ts';
import { parseSearch } from './search-syntax.ts';

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

const CACHE_LIMIT = 10_000;

export function createRuleCompiler(): RuleCompiler {
  const compiled = new Map<string, CompiledRule>();
  return {
    compile(rule) {
      const key = `${rule.dataset}\u0000${rule.aggregate}\u0000${rule.query}`;
      const hit = compiled.get(key);
      if (hit) return hit;
      const result = compileRule(rule);
      if (compiled.size > CACHE_LIMIT) compiled.clear();
      compiled.set(key, result);
      return result;
    },
  };
}
