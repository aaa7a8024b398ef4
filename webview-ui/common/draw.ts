// Pixels from tensors: feature maps, images in [-1, 1], and grids of them, drawn on canvases.

/** A w×h canvas shown `scale` times larger, its pixels set by `paint` (RGBA bytes, alpha already opaque). */
export function pixelCanvas(w: number, h: number, scale: number, paint: (rgba: Uint8ClampedArray) => void): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  canvas.style.width = `${w * scale}px`;
  canvas.style.height = `${h * scale}px`;
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(w, h);
  image.data.fill(255);
  paint(image.data);
  ctx.putImageData(image, 0, 0);
  return canvas;
}

/** A canvas of `width`×`height` CSS pixels, sharp on high-DPI screens: its context draws in CSS pixels. */
export function hiDpiCanvas(width: number, height: number, canvas = document.createElement('canvas')): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(ratio, ratio);
  return { canvas, ctx };
}

/** A grey-level canvas from `values` (row-major h×w), each value scaled from [lo, hi] to black..white. */
export function greyCanvas(values: ArrayLike<number>, w: number, h: number, lo: number, hi: number, scale = 1): HTMLCanvasElement {
  const span = hi - lo || 1;
  return pixelCanvas(w, h, scale, (rgba) => {
    for (let i = 0; i < w * h; i++) {
      const v = Math.max(0, Math.min(255, Math.round(((values[i] - lo) / span) * 255)));
      rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = v;
    }
  });
}

/** An image [H, W, C] (C = 1 or 3) with values in [-1, 1] as a canvas. */
export function imageCanvas(data: Float32Array, h: number, w: number, c: number, scale = 1): HTMLCanvasElement {
  const byte = (v: number) => Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
  return pixelCanvas(w, h, scale, (rgba) => {
    for (let i = 0; i < h * w; i++) {
      for (let k = 0; k < 3; k++) rgba[i * 4 + k] = byte(data[i * c + (c === 3 ? k : 0)]);
    }
  });
}

/** Images [N, H, W, C] in [-1, 1] as canvases, one per image. */
export function imageCanvases(data: Float32Array, shape: number[], scale = 1): HTMLCanvasElement[] {
  const [n, h, w, c] = shape;
  const size = h * w * c;
  return Array.from({ length: n }, (_, i) => imageCanvas(data.subarray(i * size, (i + 1) * size), h, w, c, scale));
}

/** Copies canvases into one canvas, `columns` across with a gap, for export. */
export function tile(canvases: HTMLCanvasElement[], columns: number, gap = 2): HTMLCanvasElement {
  const w = canvases[0]?.width ?? 1;
  const h = canvases[0]?.height ?? 1;
  const rows = Math.ceil(canvases.length / columns);
  const out = document.createElement('canvas');
  out.width = columns * w + (columns - 1) * gap;
  out.height = rows * h + (rows - 1) * gap;
  const ctx = out.getContext('2d')!;
  canvases.forEach((c, i) => ctx.drawImage(c, (i % columns) * (w + gap), Math.floor(i / columns) * (h + gap)));
  return out;
}

export async function canvasPng(canvas: HTMLCanvasElement): Promise<Uint8Array> {
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('The canvas could not be encoded as PNG.');
  return new Uint8Array(await blob.arrayBuffer());
}

export function loadImage(uri: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('The image could not be decoded.'));
    img.src = uri;
  });
}

export function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(2) : v.toFixed(digits);
}

/** `1 channel`, `16 channels`: a count with its noun, singular for one. */
export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
