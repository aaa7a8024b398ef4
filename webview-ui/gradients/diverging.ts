// Diverging maps of signed values in theme colours: negative towards charts-blue, zero the editor's background,
// positive towards charts-red.
import { pixelCanvas } from '../common/draw';
import { rgbOf, themeColor } from '../common/theme';
import { Diverging, divergingRgb } from './divergingScale';

/** The three colours as the current theme draws them. */
export function divergingColours(): Diverging {
  return {
    negative: rgbOf(themeColor('charts-blue', '#3794ff')),
    zero: rgbOf(themeColor('editor-background', '#1e1e1e')),
    positive: rgbOf(themeColor('charts-red', '#f14c4c')),
  };
}

/** One image's gradient [H, W, C] as a h×w map, summed over its channels, drawn `zoom` times larger. */
export function divergingCanvas(values: Float32Array, h: number, w: number, c: number, scale: number, zoom: number): HTMLCanvasElement {
  const colours = divergingColours();
  return pixelCanvas(w, h, zoom, (rgba) => {
    for (let i = 0; i < h * w; i++) {
      let sum = 0;
      for (let k = 0; k < c; k++) sum += values[i * c + k];
      rgba.set(divergingRgb(colours, sum, scale), i * 4);
    }
  });
}

/** A horizontal bar from −scale through 0 to +scale, `width`×`height` pixels. */
export function divergingBar(width: number, height: number): HTMLCanvasElement {
  const colours = divergingColours();
  return pixelCanvas(width, height, 1, (rgba) => {
    for (let x = 0; x < width; x++) {
      const rgb = divergingRgb(colours, (2 * x) / (width - 1) - 1, 1);
      for (let y = 0; y < height; y++) rgba.set(rgb, (y * width + x) * 4);
    }
  });
}
