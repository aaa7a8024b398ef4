// Measures what a huge metrics.jsonl costs the extension host: a generated file opened through the Metrics panel's
// host-side feed (RunFeed, the code the panel uses, without its webview).
//
//   node --import tsx bench/metricsMemory.ts [--mb 1024] [--keep]
//
// Prints the time to the first chart data a panel is sent, the time until the whole file is read, the host's event-loop
// delay while it loads (p50, p99, max) beside the delay of the same process idle (what the machine's other work costs
// it), the largest number of points a panel was sent for one line, the time a zoom takes, and the process's peak RSS;
// as its last line one JSON object with the same figures.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { FeedSubscriber, RunFeed } from '../src/extension/panels/runFeed';
import { GROUPS } from '../src/extension/panels/series';
import { METRICS_FILE } from '../src/protocol/runDir';

/** A score line every this many steps, and a line of changed settings every this many: as a long real run writes them. */
const SCORE_EVERY = 500;
const CHANGE_EVERY = 1_000_000;
/** Lines written per call to the stream. */
const BATCH_LINES = 10_000;
/** How long the idle event loop is measured: the noise floor the load's figures sit on. */
const IDLE_MS = 3000;

function stepLine(step: number): string {
  const wave = Math.sin(step / 5000);
  return JSON.stringify({
    step, time: step * 1.5, dLoss: 1.2 + 0.3 * wave, gLoss: 0.8 - 0.2 * wave, dReal: 0.6 + 0.1 * wave, dFake: 0.4 - 0.1 * wave,
    imagesPerSec: 40 + (step % 7), extra: { lrD: 0.0002, lrG: 0.0002 },
  });
}

function extraLines(step: number): string[] {
  const lines: string[] = [];
  if (step % SCORE_EVERY === 0) lines.push(JSON.stringify({ step, time: step * 1.5, scores: { inceptionScore: 5 + step / 1e7, frechetDistance: 30 - step / 1e6 } }));
  if (step % CHANGE_EVERY === 0) lines.push(JSON.stringify({ step, time: step * 1.5, changed: { 'optimizer.discriminator.learningRate': 0.0001 } }));
  return lines;
}

/** Writes metrics.jsonl of about `bytes` bytes into `dir`; returns its last step and size. */
async function generate(dir: string, bytes: number): Promise<{ lastStep: number; size: number }> {
  const out = fs.createWriteStream(path.join(dir, METRICS_FILE));
  let [written, step] = [0, 0];
  while (written < bytes) {
    const batch: string[] = [];
    for (let i = 0; i < BATCH_LINES; i++, step++) batch.push(stepLine(step), ...extraLines(step));
    const text = `${batch.join('\n')}\n`;
    written += Buffer.byteLength(text);
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { lastStep: step - 1, size: written };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { mb: { type: 'string', default: '1024' }, keep: { type: 'boolean', default: false } } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganscope-bench-metrics-'));
  try {
    const generatedAt = performance.now();
    const { lastStep, size } = await generate(dir, Number(values.mb) * 2 ** 20);
    console.log(`Generated ${(size / 2 ** 30).toFixed(2)} GiB, ${lastStep.toLocaleString('en-US')} steps, in ${((performance.now() - generatedAt) / 1000).toFixed(1)} s: ${dir}`);
    const idle = monitorEventLoopDelay({ resolution: 10 });
    idle.enable();
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    idle.disable();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const start = performance.now();
    let firstData: number | undefined;
    let [messages, mostPoints] = [0, 0];
    const panel: FeedSubscriber = {
      kind: 'metrics',
      post(message) {
        if (message.type !== 'series') return;
        messages++;
        for (const s of message.series) mostPoints = Math.max(mostPoints, s.steps.length);
        if (firstData === undefined && message.series.some((s) => s.steps.length > 0)) firstData = performance.now() - start;
      },
    };
    const feed = new RunFeed(dir);
    void feed.subscribe(panel);
    while (feed.run.step < lastStep) await new Promise((resolve) => setTimeout(resolve, 20));
    const loaded = performance.now() - start;
    delay.disable();

    const zoomAt = performance.now();
    const detail = await feed.detail(GROUPS.losses, Math.floor(lastStep / 2), Math.floor(lastStep / 2) + 20_000);
    const zoom = performance.now() - zoomAt;
    feed.dispose();
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    const ms = (ns: number) => ns / 1e6;
    const figures = {
      fileGiB: +(size / 2 ** 30).toFixed(2),
      steps: lastStep + 1,
      firstDataMs: Math.round(firstData ?? NaN),
      loadedS: +(loaded / 1000).toFixed(1),
      loopDelayP50Ms: +ms(delay.percentile(50)).toFixed(1),
      loopDelayP99Ms: +ms(delay.percentile(99)).toFixed(1),
      loopDelayMaxMs: +ms(delay.max).toFixed(1),
      idleDelayP99Ms: +ms(idle.percentile(99)).toFixed(1),
      mostPointsSentPerLine: mostPoints,
      seriesMessages: messages,
      zoomMs: Math.round(zoom),
      zoomPoints: detail[0]?.steps.length ?? 0,
      peakRssMiB: Math.round(peakRss / 2 ** 20),
      rssBeforeMiB: Math.round(rssBefore / 2 ** 20),
    };
    console.log(`First chart data after ${figures.firstDataMs} ms; the whole file read in ${figures.loadedS} s`);
    console.log(`Event-loop delay while loading: p50 ${figures.loopDelayP50Ms} ms, p99 ${figures.loopDelayP99Ms} ms, max ${figures.loopDelayMaxMs} ms (idle: p99 ${figures.idleDelayP99Ms} ms)`);
    console.log(`At most ${figures.mostPointsSentPerLine} points of one line in a message (${messages} series messages)`);
    console.log(`A zoom into 20,000 steps: ${figures.zoomMs} ms, ${figures.zoomPoints} points of D loss`);
    console.log(`Peak RSS ${figures.peakRssMiB} MiB (${figures.rssBeforeMiB} MiB before the load)`);
    console.log(`Load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
    console.log(JSON.stringify(figures));
  } finally {
    if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
