// Teams' text caps, checked on the rendered card: a text at its cap is kept whole, one character over is cut
// to exactly the cap with an ellipsis, and the card's automatic refresh lists at most 60 users.
import { describe, expect, it } from 'vitest';
import { addWatcher } from '../../../adapters/teams/card-actions.ts';
import { MAX_REFRESH_USER_IDS, TEXT_LIMITS } from '../../../adapters/teams/limits.ts';
import { liveCard } from '../../../adapters/teams/render-card.ts';
import { sampleCard } from '../../support/sample-card.ts';

/** Every TextBlock text and fact of a card, in document order. */
function texts(node: unknown): string[] {
  if (!node || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap(texts);
  const object = node as Record<string, unknown>;
  const own =
    object.type === 'TextBlock' && typeof object.text === 'string'
      ? [object.text]
      : typeof object.title === 'string' && typeof object.value === 'string'
        ? [object.title, object.value]
        : [];
  return [...own, ...Object.values(object).flatMap(texts)];
}

const at = (length: number, letter: string) => letter.repeat(length);

describe('text caps on the live card', () => {
  it.each([
    ['title', 'title', TEXT_LIMITS.title],
    ['status text', 'statusText', TEXT_LIMITS.statusText],
  ] as const)('%s: kept whole at the cap, cut to exactly the cap one character over', (_name, key, cap) => {
    const whole = texts(liveCard([sampleCard({ [key]: at(cap, 'a') })], { watchers: [] }));
    expect(whole).toContain(at(cap, 'a'));
    const cut = texts(liveCard([sampleCard({ [key]: at(cap + 1, 'b') })], { watchers: [] }));
    const shortened = cut.find((text) => text.startsWith('bbb'));
    expect(shortened).toBe(`${at(cap - 1, 'b')}…`);
    expect(shortened).toHaveLength(cap);
  });

  it('fact titles and values: kept whole at the cap, cut to exactly the cap one character over', () => {
    const fields = [
      { label: at(TEXT_LIMITS.factTitle, 'c'), value: at(TEXT_LIMITS.factValue, 'd'), inline: true },
      { label: at(TEXT_LIMITS.factTitle + 1, 'e'), value: at(TEXT_LIMITS.factValue + 1, 'f'), inline: true },
    ];
    const all = texts(liveCard([sampleCard({ fields })], { watchers: [] }));
    expect(all).toContain(at(TEXT_LIMITS.factTitle, 'c'));
    expect(all).toContain(at(TEXT_LIMITS.factValue, 'd'));
    expect(all).toContain(`${at(TEXT_LIMITS.factTitle - 1, 'e')}…`);
    expect(all).toContain(`${at(TEXT_LIMITS.factValue - 1, 'f')}…`);
  });
});

describe('automatic refresh users', () => {
  const sixty = Array.from({ length: 60 }, (_, i) => `29:watcher-${i}`);

  it('Teams refreshes automatically for at most 60 users', () => {
    expect(MAX_REFRESH_USER_IDS).toBeLessThanOrEqual(60);
  });

  it('a 61st watcher makes room by dropping the oldest', () => {
    const watchers = addWatcher(sixty, '29:newcomer');
    expect(watchers).toHaveLength(60);
    expect(watchers[0]).toBe('29:watcher-1');
    expect(watchers.at(-1)).toBe('29:newcomer');
  });

  it('a watcher already listed moves to the end, counted once', () => {
    const watchers = addWatcher(sixty, '29:watcher-0');
    expect(watchers).toHaveLength(60);
    expect(watchers.filter((w) => w === '29:watcher-0')).toHaveLength(1);
    expect(watchers.at(-1)).toBe('29:watcher-0');
  });

  it('the rendered card lists the watchers it was given in refresh.userIds', () => {
    const card = liveCard([sampleCard()], { watchers: addWatcher(sixty, '29:newcomer') }) as {
      refresh: { userIds: string[] };
    };
    expect(card.refresh.userIds).toHaveLength(60);
    expect(card.refresh.userIds).not.toContain('29:watcher-0');
  });
});
