// Lists the run directories written by the trainer (from the extension or the CLI), with what the Runs tree shows of each.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunRecord } from '../protocol/runDir';
import { StepMetrics } from '../protocol/trainer';
import { readLastStep, readRunRecord, readSampleSteps, sampleFile } from '../runFolder/reader';

export interface RunSummary {
  id: string;
  dir: string;
  record?: RunRecord;
  /** Why run.json could not be used, when it could not. */
  problem?: string;
  lastMetrics?: StepMetrics;
  latestSample?: string;
}

export async function listRuns(runsDir: string): Promise<RunSummary[]> {
  return Promise.all((await listRunDirs(runsDir)).map(readRun));
}

/** The run folders in `runsDir`, newest first (run ids start with their creation time). */
export async function listRunDirs(runsDir: string): Promise<string[]> {
  try {
    const names = (await fs.promises.readdir(runsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    return names.sort().reverse().map((name) => path.join(runsDir, name));
  } catch {
    return [];
  }
}

export async function readRun(dir: string): Promise<RunSummary> {
  const [record, lastMetrics, sampleSteps] = await Promise.all([readRunRecord(dir).catch((err: Error) => err), readLastStep(dir), readSampleSteps(dir)]);
  const latest = sampleSteps.at(-1);
  return {
    id: path.basename(dir),
    dir,
    ...(record instanceof Error ? { problem: record.message } : { record }),
    lastMetrics,
    latestSample: latest === undefined ? undefined : sampleFile(dir, latest),
  };
}
