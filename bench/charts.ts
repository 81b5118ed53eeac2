// `npm run bench -- charts`: (1) the picture alone — a real series in hand → PNG; (2) a 10-link message whose
// cards carry charts — each card's metric value and chart series through the bulk runner in one batch — on the
// DuckDB demo store (10M events; CHARTS_EVENTS=1000000 for a quicker run), as the app builds it (the series
// cache keeps finished intervals; every round moves the incidents a minute, as a refresh a minute later sees
// them) and cold (a fresh series cache every round: every series read whole). CHARTS_ROUNDS=100 tunes it.
import { loadavg } from 'node:os';
import { createCardBuilder } from '../src/card/build.ts';
import { createChartLinks } from '../src/chart/chart-link.ts';
import { createChartRenderer } from '../src/chart/render.ts';
import { createSeriesCache } from '../src/chart/series-cache.ts';
import { chartData, chartSeriesQuery } from '../src/chart/series.ts';
import { createUrlSigner } from '../src/http/signed-url.ts';
import type { QueryBackend } from '../src/query/backend.ts';
import { createBulkRunner } from '../src/query/bulk-runner.ts';
import { createRuleCompiler } from '../src/query/compile-rule.ts';
import { openDemoApp } from './demo-store.ts';
import { type Figures, percentiles, printTable, round } from './results.ts';
import { messageIncidents, shifted } from './unfurl.ts';

const EVENTS = Number(process.env.CHARTS_EVENTS ?? 10_000_000);
const ROUNDS = Number(process.env.CHARTS_ROUNDS ?? 100);
const RENDERS = 300;
const WARMUP = 5;
const MINUTE_MS = 60_000;
const PUBLIC_URL = 'https://bench.example.com';

/**
 * CPU time this process spent (JS, resvg and DuckDB's threads) since `since`: on a shared, overloaded machine
 * wall-clock latencies mostly measure the queue for a core; this says how much work the step itself is.
 */
function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

export async function run(): Promise<Figures> {
  const demo = await openDemoApp(EVENTS);
  try {
    const batches: number[] = [];
    const counted: QueryBackend = {
      ...demo.store.backend,
      runMetrics(queries, signal) {
        batches.push(queries.length);
        return demo.store.backend.runMetrics(queries, signal);
      },
    };
    const now = Date.now();
    const runner = createBulkRunner({ backend: counted, cacheMs: 0, timeoutMs: 10_000 });
    const chartLinks = createChartLinks({ publicUrl: PUBLIC_URL, signer: createUrlSigner('bench secret') });
    const rules = createRuleCompiler();
    const builder = (series = createSeriesCache({ runner, now: () => now })) =>
      createCardBuilder({ runner, rules, publicUrl: PUBLIC_URL, now: () => now, chartLinks, series });
    const cards = builder();
    const base = messageIncidents(demo.store);

    // (1) Real series of the message's incidents in hand, rendered over and over.
    const renderer = createChartRenderer();
    const inHand = await Promise.all(
      base.map(async (record) => {
        const planned = chartSeriesQuery(record, rules.compile(record.rule), now);
        if (!planned.ok) throw new Error(planned.error);
        const result = await runner.load(planned.query);
        if (!result.ok) throw new Error(`series failed: ${result.reason}`);
        return chartData(record, planned.query, result.value);
      }),
    );
    const renderMs: number[] = [];
    const renderCpuMs: number[] = [];
    let pngBytes = 0;
    for (let i = 0; i < WARMUP + RENDERS; i++) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const png = await renderer.render(inHand[i % inHand.length]!);
      if (i >= WARMUP) {
        renderMs.push(performance.now() - started);
        renderCpuMs.push(cpuMs(cpu));
      }
      pngBytes = Math.max(pngBytes, png.length);
    }

    // (2) The message: ten cards, values and series asked together, new windows every round.
    const message = async (cold: boolean) => {
      const wallMs: number[] = [];
      const cpuMsUsed: number[] = [];
      for (let i = 0; i < WARMUP + ROUNDS; i++) {
        const records = base.map((record) => shifted(record, i * MINUTE_MS));
        const started = performance.now();
        const cpu = process.cpuUsage();
        const built = await (cold ? builder() : cards).build(records);
        if (i < WARMUP) continue;
        wallMs.push(performance.now() - started);
        cpuMsUsed.push(cpuMs(cpu));
        failed += built.filter((card) => card.metricError !== null).length;
        withoutChart += built.filter((card) => card.chartUrl === undefined).length;
      }
      return { wall: percentiles(wallMs), cpu: percentiles(cpuMsUsed) };
    };
    let failed = 0;
    let withoutChart = 0;
    batches.length = 0;
    const warm = await message(false);
    const batchesPerMessage = round(batches.length / (WARMUP + ROUNDS), 2);
    const cold = await message(true);
    const render = percentiles(renderMs);
    const renderCpu = percentiles(renderCpuMs);
    printTable(
      `charts: render x${RENDERS}; ${base.length}-card message x${ROUNDS}, ${EVENTS.toLocaleString('en-US')} events (DuckDB)`,
      [
        ['render (series → PNG): p50 / p99 / max ms', `${render.p50} / ${render.p99} / ${render.max}`],
        ['render: CPU ms p50 / p99 (this process, all threads)', `${renderCpu.p50} / ${renderCpu.p99}`],
        ['largest PNG (bytes)', pngBytes],
        [
          'message with charts (series cache): p50 / p99 / max ms',
          `${warm.wall.p50} / ${warm.wall.p99} / ${warm.wall.max}`,
        ],
        ['message (series cache): CPU ms p50 / p99', `${warm.cpu.p50} / ${warm.cpu.p99}`],
        [
          'message with charts, cold: p50 / p99 / max ms',
          `${cold.wall.p50} / ${cold.wall.p99} / ${cold.wall.max}`,
        ],
        ['message, cold: CPU ms p50 / p99', `${cold.cpu.p50} / ${cold.cpu.p99}`],
        ['machine load average (1 min) at the end', round(loadavg()[0] ?? 0, 1)],
        ['backend batches per message (values + series)', batchesPerMessage],
        ['failed cards / cards without a chart', `${failed} / ${withoutChart}`],
      ],
    );
    return {
      'charts.render_p99_ms': render.p99,
      'charts.render_p50_ms': render.p50,
      'charts.png_bytes': pngBytes,
      'charts.card_with_chart_p99_ms': warm.wall.p99,
      'charts.card_with_chart_p50_ms': warm.wall.p50,
      'charts.card_with_chart_cpu_p50_ms': warm.cpu.p50,
      'charts.card_with_chart_cold_p99_ms': cold.wall.p99,
      'charts.card_with_chart_cold_p50_ms': cold.wall.p50,
      'charts.card_with_chart_cold_cpu_p50_ms': cold.cpu.p50,
      'charts.render_cpu_p99_ms': renderCpu.p99,
      'charts.batches_per_message': batchesPerMessage,
      'charts.events': EVENTS,
      ...(failed + withoutChart > 0 ? { 'charts.failed_cards': failed + withoutChart } : {}),
    };
  } finally {
    await demo.close();
  }
}
