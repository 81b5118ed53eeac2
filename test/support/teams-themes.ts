// The colours Teams paints Adaptive Cards with, per theme, for contrast checks (WCAG 2.x relative luminance).
// Light and dark: Microsoft's own Teams host configs (github.com/microsoft/AdaptiveCards,
// samples/HostConfig/microsoft-teams-light.json and microsoft-teams-dark.json). High contrast: Teams' Fluent
// high-contrast theme paints every card surface black with white text and has no subtle or semantic text
// colours, so a card that asks for one there has no colour to check and fails the test.
export type Theme = {
  name: string;
  /** Background per container style. */
  background: Record<string, string>;
  /** Text colours per container style: `colour` (lower case) → { default, subtle }, #AARRGGBB or #RRGGBB. */
  text: Record<string, Record<string, { default: string; subtle: string }>>;
};

const TEAMS_LIGHT_TEXT = {
  default: { default: '#ff252424', subtle: '#bf252424' },
  dark: { default: '#252424', subtle: '#bf252424' },
  light: { default: '#ffffff', subtle: '#fff3f2f1' },
  accent: { default: '#6264a7', subtle: '#8b8cc7' },
  good: { default: '#92c353', subtle: '#e592c353' },
  warning: { default: '#f8d22a', subtle: '#e5f8d22a' },
  attention: { default: '#c4314b', subtle: '#e5c4314b' },
};

const TEAMS_DARK_TEXT = {
  default: { default: '#ffffffff', subtle: '#bfffffff' },
  dark: { default: '#ff201f1f', subtle: '#ff2d2c2c' },
  light: { default: '#ffffffff', subtle: '#bfffffff' },
  accent: { default: '#ffa6a7dc', subtle: '#ff8b8cc7' },
  good: { default: '#ff92c353', subtle: '#e592c353' },
  warning: { default: '#fff8d22a', subtle: '#e5f8d22a' },
  attention: { default: '#ffd74654', subtle: '#e5d74654' },
};
/** In the dark theme the coloured containers stay light, so their default text is dark. */
const TEAMS_DARK_ON_STYLED = { ...TEAMS_DARK_TEXT, default: { default: '#ff201f1f', subtle: '#ff2d2c2c' } };

const STYLED = { accent: '#C7DEF9', good: '#CCFFCC', attention: '#FFC5B2', warning: '#FFE2B2' };

export const TEAMS_THEMES: Theme[] = [
  {
    name: 'light',
    background: { default: '#ffffff', emphasis: '#fff9f8f7', ...STYLED },
    text: Object.fromEntries(
      ['default', 'emphasis', 'accent', 'good', 'attention', 'warning'].map((style) => [
        style,
        TEAMS_LIGHT_TEXT,
      ]),
    ),
  },
  {
    name: 'dark',
    background: { default: '#ff2d2c2c', emphasis: '#ff292828', ...STYLED },
    text: {
      default: TEAMS_DARK_TEXT,
      emphasis: TEAMS_DARK_TEXT,
      accent: TEAMS_DARK_ON_STYLED,
      good: TEAMS_DARK_ON_STYLED,
      attention: TEAMS_DARK_ON_STYLED,
      warning: TEAMS_DARK_ON_STYLED,
    },
  },
  {
    name: 'high contrast',
    background: Object.fromEntries(
      ['default', 'emphasis', 'accent', 'good', 'attention', 'warning'].map((style) => [style, '#000000']),
    ),
    text: Object.fromEntries(
      ['default', 'emphasis', 'accent', 'good', 'attention', 'warning'].map((style) => [
        style,
        { default: { default: '#ffffff', subtle: '#ffffff' } },
      ]),
    ),
  },
];

type Rgba = { r: number; g: number; b: number; a: number };

function parse(hex: string): Rgba {
  const digits = hex.replace('#', '');
  const [a, rgb] =
    digits.length === 8 ? [Number.parseInt(digits.slice(0, 2), 16) / 255, digits.slice(2)] : [1, digits];
  return {
    r: Number.parseInt(rgb.slice(0, 2), 16),
    g: Number.parseInt(rgb.slice(2, 4), 16),
    b: Number.parseInt(rgb.slice(4, 6), 16),
    a,
  };
}

function over(top: Rgba, bottom: Rgba): Rgba {
  const mix = (t: number, b: number) => t * top.a + b * (1 - top.a);
  return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a: 1 };
}

function luminance({ r, g, b }: Rgba): number {
  const channel = (value: number) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast ratio of `text` (alpha-blended onto the background) against `background`. */
export function contrast(text: string, background: string): number {
  const ground = parse(background);
  const solidGround = ground.a < 1 ? over(ground, parse('#ffffff')) : ground;
  const ink = over(parse(text), solidGround);
  const [light, dark] = [luminance(ink), luminance(solidGround)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}
