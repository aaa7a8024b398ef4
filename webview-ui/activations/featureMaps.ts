// A layer's feature maps as the panel draws them: one h×w map per channel the probe sent.
import { LayerActivation } from '../../src/protocol/probes';
import { channel } from '../common/draw';

/**
 * The maps of a feature-map layer ([H, W, C]). A wide layer's data holds only its first `channelsShown` channels, so its
 * pixels are `channelsShown` apart, not C: reading them C apart would run past the data halfway down each map.
 */
export function featureMaps(layer: LayerActivation): Float32Array[] {
  const [h, w, c] = layer.shape;
  const sent = layer.channelsShown ?? c;
  return Array.from({ length: sent }, (_, k) => channel(layer.data, h, w, k, sent));
}
