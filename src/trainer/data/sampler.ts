// Draws training batches in a seeded shuffled order, scaled to the generator's tanh range [-1, 1].
import { seededRandom } from '../random';
import { ImageSet } from './mnist';

export class BatchSampler {
  private readonly random: () => number;
  private order: Uint32Array;
  private cursor: number;

  constructor(private readonly data: ImageSet, readonly batchSize: number, seed: number) {
    if (batchSize > data.count) throw new Error(`batch size ${batchSize} exceeds the ${data.count} images in the dataset`);
    this.random = seededRandom(seed);
    this.order = Uint32Array.from({ length: data.count }, (_, i) => i);
    this.cursor = data.count; // forces a shuffle on the first batch
  }

  /** The next batch, [batchSize, rows, cols, 1] flattened; a new shuffled epoch starts when one runs out. */
  next(): Float32Array {
    const size = this.data.rows * this.data.cols;
    const out = new Float32Array(this.batchSize * size);
    for (let b = 0; b < this.batchSize; b++) {
      if (this.cursor >= this.data.count) this.shuffle();
      const offset = this.order[this.cursor++] * size;
      for (let i = 0; i < size; i++) out[b * size + i] = this.data.pixels[offset + i] / 127.5 - 1;
    }
    return out;
  }

  private shuffle(): void {
    for (let i = this.order.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [this.order[i], this.order[j]] = [this.order[j], this.order[i]];
    }
    this.cursor = 0;
  }
}
