// Draws training batches in a seeded shuffled order, resized to the model's side and scaled to G's tanh range [-1, 1].
import { seededRandom, SeededRandom } from '../random';
import { ImageSet } from './mnist';
import { Resizer } from './resize';

/** Where the sampler is in its epoch: saved in checkpoints so a resumed run draws the batches it would have drawn. */
export interface SamplerState {
  random: number;
  cursor: number;
  order: Uint32Array;
}

export class BatchSampler {
  private readonly random: SeededRandom;
  private order: Uint32Array;
  private cursor: number;
  private readonly resizer: Resizer | undefined;
  private readonly resized: Float32Array;

  /** `side`: the models' image side; images of another (square) size are resized to it. Absent: as they are. */
  constructor(private readonly data: ImageSet, readonly batchSize: number, seed: number, side?: number) {
    if (batchSize > data.count) throw new Error(`batch size ${batchSize} exceeds the ${data.count} images in the dataset`);
    if (side !== undefined && (side !== data.rows || side !== data.cols)) {
      if (data.rows !== data.cols) throw new Error(`cannot resize ${data.rows}×${data.cols} images to ${side}×${side}: they are not square`);
      this.resizer = new Resizer(data.rows, side, data.channels);
    }
    this.resized = new Float32Array(this.resizer ? side! * side! * data.channels : 0);
    this.random = seededRandom(seed);
    this.order = Uint32Array.from({ length: data.count }, (_, i) => i);
    this.cursor = data.count; // forces a shuffle on the first batch
  }

  /** The next batch, [batchSize, side, side, channels] flattened; a new shuffled epoch starts when one runs out. */
  next(): Float32Array {
    const inSize = this.data.rows * this.data.cols * this.data.channels;
    const size = this.resizer ? this.resized.length : inSize;
    const out = new Float32Array(this.batchSize * size);
    for (let b = 0; b < this.batchSize; b++) {
      if (this.cursor >= this.data.count) this.shuffle();
      const offset = this.order[this.cursor++] * inSize;
      const image = this.data.pixels.subarray(offset, offset + inSize);
      if (this.resizer) {
        this.resizer.resize(image, this.resized);
        for (let i = 0; i < size; i++) out[b * size + i] = this.resized[i] / 127.5 - 1;
      } else {
        for (let i = 0; i < size; i++) out[b * size + i] = image[i] / 127.5 - 1;
      }
    }
    return out;
  }

  /** Images in the dataset. */
  get count(): number {
    return this.data.count;
  }

  /** The dataset's `index`th image as a batch would hold it (resized, in [-1, 1]), without moving the epoch: for probes. */
  image(index: number): Float32Array {
    if (!Number.isInteger(index) || index < 0 || index >= this.data.count) {
      throw new Error(`image ${index} is outside the dataset's ${this.data.count} images (0–${this.data.count - 1})`);
    }
    const inSize = this.data.rows * this.data.cols * this.data.channels;
    const source = this.data.pixels.subarray(index * inSize, (index + 1) * inSize);
    const pixels = this.resizer ? new Float32Array(this.resized.length) : Float32Array.from(source);
    if (this.resizer) this.resizer.resize(source, pixels);
    return pixels.map((v) => v / 127.5 - 1);
  }

  get state(): SamplerState {
    return { random: this.random.state(), cursor: this.cursor, order: Uint32Array.from(this.order) };
  }

  restore(state: SamplerState): void {
    if (state.order.length !== this.data.count) {
      throw new Error(`the checkpoint's sampler covers ${state.order.length} images, but the dataset holds ${this.data.count}: was the dataset changed?`);
    }
    this.random.restore(state.random);
    this.cursor = state.cursor;
    this.order = Uint32Array.from(state.order);
  }

  private shuffle(): void {
    for (let i = this.order.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [this.order[i], this.order[j]] = [this.order[j], this.order[i]];
    }
    this.cursor = 0;
  }
}
