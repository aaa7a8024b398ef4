// A run's probes: snapshots, the graph, and answers to panels' queries, keeping the last snapshot's gradients for histograms.
import { ModelGraph, ProbeQuery, ProbeResult, ProbeSnapshot } from '../../protocol/probes';
import * as tf from '@tensorflow/tfjs-core';
import { describeGan } from './graph';
import { answerQuery } from './queries';
import { LayerGradients, ProbeSource, takeSnapshot } from './snapshot';

/**
 * Probes never run during a training step (callers answer them between steps), never update weights or batch-norm
 * running statistics, and leave the run's random stream as it was: a probed run trains exactly as an unprobed one.
 */
export class Prober {
  private gradients: LayerGradients = new Map();

  constructor(private readonly source: ProbeSource) {}

  graph(): ModelGraph {
    return describeGan(this.source);
  }

  async snapshot(): Promise<ProbeSnapshot> {
    return this.source.preservingRandom(async () => {
      const { snapshot, gradients } = await takeSnapshot(this.source);
      this.disposeGradients();
      this.gradients = gradients;
      return snapshot;
    });
  }

  async answer(query: ProbeQuery): Promise<ProbeResult> {
    if (query.kind === 'snapshot') return { kind: 'snapshot', snapshot: await this.snapshot() };
    return this.source.preservingRandom(() => answerQuery(this.source, query, this.gradients));
  }

  dispose(): void {
    this.disposeGradients();
  }

  private disposeGradients(): void {
    for (const g of this.gradients.values()) tf.dispose(g);
    this.gradients.clear();
  }
}
