// Renders the generator's images for a fixed batch of noise as one PNG grid, so runs can be compared over time.
import * as tf from '@tensorflow/tfjs-core';
import { Sequential } from './models/sequential';
import { encodePng } from './png';

export const GRID_SIDE = 8;
/** Gap between tiles and around the edge, like torchvision's make_grid. */
export const GRID_GAP = 2;

/** The grid's width (= height) for tiles of `tile` pixels. */
export function gridSize(tile: number): number {
  return GRID_SIDE * tile + (GRID_SIDE + 1) * GRID_GAP;
}

/** z: [64, latentDim], fixed for the run. G runs in inference mode: batch norm uses its running statistics. */
export async function renderSampleGrid(generator: Sequential, z: tf.Tensor2D): Promise<Uint8Array> {
  const images = tf.tidy(() => generator.apply(z, false)) as tf.Tensor4D; // [64, H, W, C] in [-1, 1]
  const [count, tile, , channels] = images.shape;
  if (count !== GRID_SIDE * GRID_SIDE || (channels !== 1 && channels !== 3)) {
    images.dispose();
    throw new Error(`sample grid needs ${GRID_SIDE * GRID_SIDE} grayscale or RGB images, got [${images.shape}]`);
  }
  const values = await images.data();
  images.dispose();
  const size = gridSize(tile);
  const grid = new Uint8Array(size * size * channels);
  for (let n = 0; n < count; n++) {
    const top = GRID_GAP + Math.floor(n / GRID_SIDE) * (tile + GRID_GAP);
    const left = GRID_GAP + (n % GRID_SIDE) * (tile + GRID_GAP);
    for (let y = 0; y < tile; y++) {
      for (let x = 0; x < tile * channels; x++) {
        const v = values[(n * tile + y) * tile * channels + x];
        grid[((top + y) * size + left) * channels + x] = Math.round((Math.min(1, Math.max(-1, v)) + 1) * 127.5);
      }
    }
  }
  return encodePng(grid, size, size, channels);
}
