// A layer's feature maps as the panel draws them: one h×w map per channel the probe sent.
import { LayerActivation } from '../../src/protocol/probes';

/**
 * The maps of a feature-map layer ([H, W, C]). A wide layer's data holds only its first `channelsShown` channels, so its
 * pixels are `channelsShown` apart, not C: reading them C apart would run past the data halfway down each map.
 */
export function featureMaps(layer: LayerActivation): Float32Array[] {
  const [h, w, c] = layer.shape;
  const sent = layer.channelsShown ?? c;
  return Array.from({ length: sent }, (_, k) => channel(layer.data, h, w, k, sent));
}

/** Channel `c` of an [H, W, C] row-major tensor. */
function channel(data: Float32Array, h: number, w: number, c: number, channels: number): Float32Array {
  const out = new Float32Array(h * w);
  for (let i = 0; i < h * w; i++) out[i] = data[i * channels + c];
  return out;
}
