import { randomInt } from 'node:crypto';
import type { FaultSpec } from './fault-rule.ts';

/** A rule as stored: its spec, its own random source, and what it has done so far. */
export interface FaultRule extends FaultSpec {
  readonly id: string;
  /** The seed its draws come from (given, or made at random and shown so a run can be replayed). */
  readonly seed: number;
  readonly createdAt: string;
  /** Calls it matched (drew for). */
  matched: number;
  /** Calls it was applied to. */
  applied: number;
  remaining: number | null;
  readonly random: () => number;
  readonly pathPattern: RegExp | null;
}

/** mulberry32: a small, fast PRNG; one per rule, so a seeded rule draws the same sequence whatever other rules do. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `/api/atlas/v2/groups/*\/invites/**`: `*`, `{name}` or `:name` is one segment; a last `**` is any rest. */
function compilePathPattern(pattern: string): RegExp {
  const segments = pattern.replace(/\/+$/, '').split('/').slice(1);
  const parts = segments.map((s, i) => {
    if (s === '**' && i === segments.length - 1) return '(?:/.*)?';
    if (s === '*' || /^\{\w+\}$/.test(s) || /^:\w+$/.test(s)) return '/[^/]+';
    return `/${escape(s)}`;
  });
  return new RegExp(`^${parts.join('')}/?$`);
}

export interface FaultBook {
  add(spec: FaultSpec): FaultRule;
  list(): readonly FaultRule[];
  remove(id: string): boolean;
  clear(): number;
  /** The rule to apply to a call (counted as applied), or null; rules are tried in the order they were added. */
  pick(operationId: string, method: string, path: string): FaultRule | null;
  /** True while any rule exists: the per-request hook does nothing more when there are none. */
  readonly active: boolean;
}

/**
 * This node's fault rules, in memory: rules are per node (a test sets them on the node it calls).
 * `now` stamps rules; `randomSeed` gives unseeded rules their seed (tests inject it).
 */
export function createFaultBook(deps: { now: () => Date; randomSeed?: () => number }): FaultBook {
  const rules: FaultRule[] = [];
  let next = 1;
  const randomSeed = deps.randomSeed ?? (() => randomInt(0, 0xffffffff));
  const book: FaultBook = {
    get active() {
      return rules.length > 0;
    },
    add(spec) {
      const seed = spec.seed ?? randomSeed();
      const rule: FaultRule = {
        ...spec,
        seed,
        id: String(next++),
        createdAt: deps
          .now()
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
        matched: 0,
        applied: 0,
        remaining: spec.times,
        random: seededRandom(seed),
        pathPattern: spec.path === null ? null : compilePathPattern(spec.path),
      };
      rules.push(rule);
      return rule;
    },
    list: () => rules,
    remove(id) {
      const i = rules.findIndex((r) => r.id === id);
      if (i < 0) return false;
      rules.splice(i, 1);
      return true;
    },
    clear() {
      const n = rules.length;
      rules.length = 0;
      return n;
    },
    pick(operationId, method, path) {
      for (const rule of rules) {
        if (rule.method !== null && rule.method !== method) continue;
        if (rule.operationId !== null && rule.operationId !== operationId) continue;
        if (rule.pathPattern !== null && !rule.pathPattern.test(path)) continue;
        rule.matched++;
        if (rule.probability < 1 && rule.random() >= rule.probability) continue;
        rule.applied++;
        if (rule.remaining !== null && --rule.remaining === 0) book.remove(rule.id);
        return rule;
      }
      return null;
    },
  };
  return book;
}
