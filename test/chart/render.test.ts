// The chart picture: a real PNG of the advertised size, drawn with the shipped font, that changes with the data.
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { CHART_SIZE, createChartRenderer } from '../../src/chart/render.ts';
import type { ChartData } from '../../src/chart/series.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const START = Date.parse('2026-11-20T08:00:00Z');

/** Width and height from the IHDR chunk, which the PNG format puts first. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const data = (overrides: Partial<ChartData> = {}): ChartData => ({
  start: START,
  intervalMs: 600_000,
  values: Array.from({ length: 200 }, (_, k) => (k % 40 === 7 ? 0 : 40 + ((k * 37) % 90))),
  aggregate: { fn: 'count' },
  thresholds: [
    { kind: 'critical', label: 'critical', value: 100 },
    { kind: 'warning', label: 'warning', value: 50 },
    { kind: 'resolve', label: 'resolve', value: 20 },
  ],
  incident: { start: START + 100 * 600_000, end: START + 130 * 600_000, status: 'critical' },
  ...overrides,
});

describe('the chart picture', () => {
  const renderer = createChartRenderer();

  it('is a PNG at twice the chart size, well under 100 KB', async () => {
    const png = await renderer.render(data());
    expect(pngSize(png)).toEqual({ width: CHART_SIZE.width * 2, height: CHART_SIZE.height * 2 });
    expect(png.length).toBeLessThan(100_000);
  });

  it('decodes again as an image of the same size', async () => {
    const png = await renderer.render(data());
    const again = new Resvg(
      `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="400"><image href="data:image/png;base64,${png.toString('base64')}" width="1200" height="400"/></svg>`,
      { font: { loadSystemFonts: false } },
    );
    expect(again.width).toBe(1200);
    expect(again.height).toBe(400);
    expect(again.imagesToResolve()).toEqual([]);
    // A PNG resvg could not read leaves the picture empty: all pixels of the render would be transparent.
    const pixels = again.render().pixels;
    expect(pixels.some((byte, i) => i % 4 === 3 && byte > 0)).toBe(true);
  });

  it('changes when the data changes', async () => {
    const before = await renderer.render(data());
    const after = await renderer.render(data({ values: data().values.map((value) => (value ?? 0) * 2) }));
    expect(after.equals(before)).toBe(false);
  });

  it.each([
    ['gaps (no value in some intervals)', data({ values: data().values.map((v, k) => (k % 3 ? v : null)) })],
    ['no data at all', data({ values: new Array(200).fill(null) })],
    [
      'a crash-free rate',
      data({
        aggregate: { fn: 'crash_free_rate', of: 'sessions' },
        values: data().values.map((v) => 99 + (v ?? 0) / 200),
        thresholds: [{ kind: 'critical', label: 'critical', value: 98.5 }],
      }),
    ],
    [
      'an incident that started before the chart',
      data({ incident: { start: 0, end: START + 1, status: 'open' } }),
    ],
  ])('draws %s', async (_name, chart) => {
    expect(pngSize(await renderer.render(chart))).toEqual({ width: 1200, height: 400 });
  });
});
