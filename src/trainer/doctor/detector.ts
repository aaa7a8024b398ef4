// What every detector of the GAN doctor is: a kind and a check of the run's history that returns a diagnosis or nothing.
import { FindingKind, Remedy, Severity } from '../../protocol/findings';
import { GanLoss } from '../../protocol/trainer';
import { LayerSpec } from '../presets';
import { History } from './history';

/** A detector's verdict at one check: the open finding's severity, summary, evidence and remedies. */
export interface Diagnosis {
  severity: Severity;
  summary: string;
  evidence: Record<string, number>;
  remedies: Remedy[];
}

/** The run's settings that remedies start from. */
export interface RunSettings {
  loss: GanLoss;
  /** D's target for real images (1 − labelSmoothing). */
  realLabel: number;
  learningRateD: number;
  learningRateG: number;
  batchSize: number;
  /** The layer lists of the run's GAN, for remedies that change a layer. */
  generator: LayerSpec[];
  discriminator: LayerSpec[];
}

export interface Detector {
  readonly kind: FindingKind;
  /** Looks at the history as it is after `history.lastStep`; undefined when the run shows nothing of this kind. */
  check(history: History, settings: RunSettings): Diagnosis | undefined;
}

/** A number rounded to 3 significant digits, for summaries and evidence. */
export const round3 = (v: number): number => Number(v.toPrecision(3));
