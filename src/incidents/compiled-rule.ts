// A rule's aggregate and query, parsed once. Import validates them, so a failure here means a store
// written by something else; it is reported as a value, not thrown.
import { parseAggregate } from '../query/aggregate.ts';
import type { Aggregate, Filter } from '../query/model.ts';
import { parseSearch } from '../query/search-syntax.ts';
import type { AlertRule } from '../store/dataset.ts';

export type CompiledRule =
  | { ok: true; aggregate: Aggregate; filter: Filter | null }
  | { ok: false; error: string };

const compiled = new Map<string, CompiledRule>();

export function compileRule(rule: Pick<AlertRule, 'aggregate' | 'query' | 'dataset'>): CompiledRule {
  const key = `${rule.dataset}\u0000${rule.aggregate}\u0000${rule.query}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  const result = compileUncached(rule);
  if (compiled.size > 10_000) compiled.clear();
  compiled.set(key, result);
  return result;
}

function compileUncached(rule: Pick<AlertRule, 'aggregate' | 'query' | 'dataset'>): CompiledRule {
  const aggregate = parseAggregate(rule.aggregate, rule.dataset);
  if (!aggregate.ok) return { ok: false, error: `aggregate: ${aggregate.error}` };
  const search = parseSearch(rule.query, rule.dataset);
  if (!search.ok) return { ok: false, error: `query: ${search.error}` };
  return { ok: true, aggregate: aggregate.aggregate, filter: search.filter };
}
