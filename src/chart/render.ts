// Draws a chart as a PNG: ECharts' server-side SVG, rasterized by resvg with the shipped font. No canvas, no
// browser, no system fonts. The picture sits on its own opaque light background, so it reads the same in
// dark and light chat themes.
import type { EChartsOption } from 'echarts';
import { formatMetricValue, STATUS_COLOR } from '../incidents/status-text.ts';
import type { Aggregate } from '../query/model.ts';
import { CHART_FONT_FAMILY, chartFontFile } from './font.ts';
import type { ChartData, ChartThreshold } from './series.ts';

/** CSS pixels of the picture; the PNG has SCALE× as many for sharp text on high-density screens. */
export const CHART_SIZE = { width: 600, height: 200 } as const;
const SCALE = 2;

const COLORS = {
  background: '#ffffff',
  text: '#3e3446',
  grid: '#e7e4ec',
  value: '#6c5fc7',
  threshold: { critical: '#e03e2f', warning: '#b57a00', resolve: '#2a9d62' },
} as const;

export type ChartRenderer = { render(data: ChartData): Promise<Buffer> };

/** ECharts is a large module: it is loaded with the first chart, not with every CLI command. */
function loadLibraries() {
  return Promise.all([import('echarts'), import('@resvg/resvg-js')]).then(([echarts, { Resvg }]) => ({
    echarts,
    Resvg,
  }));
}

export function createChartRenderer(): ChartRenderer {
  const fontFiles = [chartFontFile()];
  let libraries: ReturnType<typeof loadLibraries> | undefined;
  return {
    async render(data) {
      libraries ??= loadLibraries();
      const { echarts, Resvg } = await libraries;
      const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...CHART_SIZE });
      try {
        chart.setOption(chartOption(data));
        const svg = chart.renderToSVGString();
        const resvg = new Resvg(svg, {
          font: { fontFiles, loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY },
          fitTo: { mode: 'zoom', value: SCALE },
          background: COLORS.background,
        });
        return resvg.render().asPng();
      } finally {
        chart.dispose();
      }
    },
  };
}

function chartOption(data: ChartData): EChartsOption {
  const points = data.values.map((value, k) => [data.start + k * data.intervalMs, value]);
  const end = data.start + data.values.length * data.intervalMs;
  const bounds = valueBounds(data);
  const format = (value: number) => axisValue(data.aggregate, value);
  const span = {
    start: Math.max(data.start, data.incident.start),
    end: Math.min(end, Math.max(data.incident.end, data.incident.start)),
  };
  return {
    animation: false,
    // Times on the axis are UTC: responders in several time zones read the same picture.
    useUTC: true,
    backgroundColor: COLORS.background,
    textStyle: { fontFamily: CHART_FONT_FAMILY, color: COLORS.text, fontSize: 11 },
    grid: { left: 8, right: 14, top: 14, bottom: 6, containLabel: true },
    xAxis: {
      type: 'time',
      min: data.start,
      max: end,
      axisLine: { lineStyle: { color: COLORS.grid } },
      axisTick: { show: false },
      axisLabel: {
        color: COLORS.text,
        hideOverlap: true,
        formatter: {
          year: '{yyyy}',
          month: '{MMM} {d}',
          day: '{MMM} {d}',
          hour: '{HH}:{mm}',
          minute: '{HH}:{mm}',
        },
      },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      ...bounds,
      splitNumber: 4,
      axisLabel: { color: COLORS.text, formatter: format },
      splitLine: { lineStyle: { color: COLORS.grid } },
    },
    series: [
      {
        type: 'line',
        data: points,
        showSymbol: false,
        connectNulls: false,
        lineStyle: { color: COLORS.value, width: 1.5 },
        itemStyle: { color: COLORS.value },
        // Counts are amounts (an area reads as "how much"); rates and durations are levels (a line alone).
        ...(isCount(data.aggregate) ? { areaStyle: { color: COLORS.value, opacity: 0.12 } } : {}),
        markArea:
          span.end > span.start
            ? {
                silent: true,
                itemStyle: { color: hex(STATUS_COLOR[data.incident.status]), opacity: 0.16 },
                data: [[{ xAxis: span.start }, { xAxis: span.end }]],
              }
            : undefined,
        markLine: {
          silent: true,
          symbol: 'none',
          data: data.thresholds.map((threshold, index) => thresholdLine(threshold, index, format)),
        },
      },
    ],
  };
}

/** Thresholds often lie close together: their labels take turns along the line so they never overlap. */
const LABEL_POSITIONS = ['insideStartTop', 'insideMiddleTop', 'insideEndTop'] as const;

function thresholdLine(threshold: ChartThreshold, index: number, format: (value: number) => string) {
  const color = COLORS.threshold[threshold.kind];
  return {
    yAxis: threshold.value,
    lineStyle: { color, type: threshold.kind === 'resolve' ? 'dotted' : 'dashed', width: 1.2 },
    label: {
      position: LABEL_POSITIONS[index % LABEL_POSITIONS.length],
      color,
      fontSize: 10,
      // A halo in the background colour keeps the label readable where it crosses the value line.
      textBorderColor: COLORS.background,
      textBorderWidth: 3,
      formatter: `${threshold.label} ${format(threshold.value)}`,
    },
  } as const;
}

/** The y range holds every value and every threshold line, on round ticks; rates never start above their data. */
function valueBounds(data: ChartData): { min: number; max: number; interval?: number } {
  const numbers = [
    ...data.values.filter((value): value is number => value !== null),
    ...data.thresholds.map((threshold) => threshold.value),
  ];
  const low = numbers.length > 0 ? Math.min(...numbers) : 0;
  const high = numbers.length > 0 ? Math.max(...numbers) : 0;
  if (data.aggregate.fn === 'crash_free_rate') {
    // Crash-free rates live just under 100 %: from 0 the line would be flat against the top.
    return { min: Math.max(0, Math.floor(low - Math.max(0.5, (high - low) * 0.2))), max: 100 };
  }
  const min = Math.min(0, low);
  const span = Math.max(high * 1.05 - min, 1e-6);
  const interval = niceStep(span / 4);
  return {
    min: Math.floor(min / interval) * interval,
    max: Math.max(interval, Math.ceil((high * 1.05) / interval) * interval),
    interval,
  };
}

/** The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `value`. */
function niceStep(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 2, 2.5, 5]) if (factor * power >= value) return factor * power;
  return 10 * power;
}

function isCount(aggregate: Aggregate): boolean {
  return aggregate.fn === 'count' || aggregate.fn === 'count_unique';
}

/** Axis values as the card writes them ("1,204", "231.5ms", "99.5%"). */
function axisValue(aggregate: Aggregate, value: number): string {
  const text = formatMetricValue(aggregate, value);
  return aggregate.fn === 'crash_free_rate' ? `${text}%` : text;
}

function hex(color: number): string {
  return `#${color.toString(16).padStart(6, '0')}`;
}
