// Conv2DBackpropInput for wasm (the generator's transposed conv, and a conv's input gradient) as stride-1 phase convs on XNNPACK.
import * as tf from '@tensorflow/tfjs-core';
import { backend_util, Conv2DBackpropInputAttrs, Conv2DBackpropInputInputs, TensorInfo } from '@tensorflow/tfjs-core';
import { KernelArgs, replaceWasmKernel, runAsKernel } from './tensorKernel';

/*
 * dx[b, iy, ix, ci] = Σ_{ky,kx,co} dy[b, oy, ox, co] · W[ky, kx, ci, co]   where iy = oy·s − padTop + ky.
 *
 * Stock wasm runs that as a naive loop. With t = iy + padTop, only the taps ky = r + s·j with r = t mod s touch row
 * iy, at oy = ⌊t/s⌋ − j: each residue r is an ordinary stride-1 conv of dy with the sub-kernel W[r + s·j] (j flipped),
 * which XNNPACK runs fast. The sub-kernels come from one pass over W's values.
 *
 * Wide outputs (many Ci) run one exact conv per output phase iy mod s and interleave the results with two stacks.
 * Narrow ones (the generator's image layer) would leave XNNPACK nearly idle with Ci outputs per conv, so all
 * residues run as one conv with s·s·Ci outputs over a common window, de-interleaved by one transpose and cropped.
 */

/** Below this many output channels per phase, the phases run as one conv. */
const MIN_PHASE_CHANNELS = 16;

type Padding4 = [[number, number], [number, number], [number, number], [number, number]];

function conv2dBackpropInput(args: KernelArgs<Conv2DBackpropInputInputs, Conv2DBackpropInputAttrs>,
  stock: (a: typeof args) => TensorInfo | TensorInfo[]): TensorInfo | TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { inputShape, strides, pad, dataFormat, dimRoundingMode } = attrs;
  if (backend_util.convertConv2DDataFormat(dataFormat) !== 'channelsLast' || inputs.dy!.dtype !== 'float32') return stock(args);
  const filterShape = inputs.filter!.shape as [number, number, number, number];
  const info = backend_util.computeConv2DInfo(inputShape, filterShape, strides, 1, pad, dimRoundingMode);
  const g: Geometry = {
    b: inputShape[0], h: info.inHeight, w: info.inWidth, ci: info.inChannels, co: info.outChannels,
    oh: info.outHeight, ow: info.outWidth, kh: info.filterHeight, kw: info.filterWidth, sh: info.strideHeight, sw: info.strideWidth,
    jh: Math.ceil(info.filterHeight / info.strideHeight), jw: Math.ceil(info.filterWidth / info.strideWidth),
    top: info.padInfo.top, left: info.padInfo.left,
  };
  const weights = backend.readSync(inputs.filter!.dataId) as Float32Array;
  return runAsKernel(backend, [inputs.dy!], (dy) =>
    g.ci < MIN_PHASE_CHANNELS ? allPhasesAtOnce(dy as tf.Tensor4D, weights, g) : phaseByPhase(dy as tf.Tensor4D, weights, g));
}

interface Geometry {
  b: number; h: number; w: number; ci: number; co: number; oh: number; ow: number;
  kh: number; kw: number; sh: number; sw: number;
  /** Taps per residue (rows, columns): the filter padded with zeros to a multiple of the stride. */
  jh: number; jw: number;
  top: number; left: number;
}

/** One exact stride-1 conv per output phase (iy mod sh, ix mod sw), interleaved. */
function phaseByPhase(dy: tf.Tensor4D, weights: Float32Array, g: Geometry): tf.Tensor {
  const { b, h, w, ci, sh, sw, jh, jw, top, left } = g;
  const uh = Math.ceil(h / sh); // rows per phase; the last phase may overhang h, cropped at the end
  const uw = Math.ceil(w / sw);
  const rows: tf.Tensor[] = [];
  for (let py = 0; py < sh; py++) {
    const cols: tf.Tensor[] = [];
    for (let px = 0; px < sw; px++) {
      const kernel = tf.tensor4d(subKernels(weights, g, [(py + top) % sh], [(px + left) % sw]), [jh, jw, g.co, ci]);
      const startY = Math.floor((py + top) / sh) - jh + 1;
      const startX = Math.floor((px + left) / sw) - jw + 1;
      cols.push(windowConv(dy, kernel, startY, startX, uh, uw));
    }
    rows.push(tf.stack(cols, 3)); // [B, uh, uw, sw, Ci]
  }
  const interleaved = tf.reshape(tf.stack(rows, 2), [b, uh * sh, uw * sw, ci]); // [B, uh, sh, uw, sw, Ci]
  return uh * sh === h && uw * sw === w ? interleaved : tf.slice(interleaved, [0, 0, 0, 0], [b, h, w, ci]);
}

/** All residues as one conv with sh·sw·Ci outputs over output rows t = iy + top in [q0·sh, (q1 + 1)·sh), then cropped. */
function allPhasesAtOnce(dy: tf.Tensor4D, weights: Float32Array, g: Geometry): tf.Tensor {
  const { b, h, w, ci, sh, sw, jh, jw, top, left } = g;
  const q0y = Math.floor(top / sh);
  const q0x = Math.floor(left / sw);
  const qh = Math.floor((h - 1 + top) / sh) - q0y + 1;
  const qw = Math.floor((w - 1 + left) / sw) - q0x + 1;
  const residuesY = Array.from({ length: sh }, (_, r) => r);
  const residuesX = Array.from({ length: sw }, (_, r) => r);
  const kernel = tf.tensor4d(subKernels(weights, g, residuesY, residuesX), [jh, jw, g.co, sh * sw * ci]);
  const out = windowConv(dy, kernel, q0y - jh + 1, q0x - jw + 1, qh, qw); // [B, qh, qw, (ry, rx, Ci)]
  const rows = tf.transpose(tf.reshape(out, [b * qh, qw, sh, sw * ci]), [0, 2, 1, 3]); // [B·qh, sh, qw, (rx, Ci)]
  return tf.slice(tf.reshape(rows, [b, qh * sh, qw * sw, ci]), [0, top - q0y * sh, left - q0x * sw, 0], [b, h, w, ci]);
}

/**
 * The flipped sub-kernels of the given residues as one conv filter [jh, jw, Co, (ry, rx, Ci)]:
 * K[m, n, co, (ry, rx, ci)] = W[ry + sh·(jh−1−m), rx + sw·(jw−1−n), ci, co], zero past the filter's edge.
 */
function subKernels(weights: Float32Array, g: Geometry, residuesY: number[], residuesX: number[]): Float32Array {
  const { kh, kw, ci, co, sh, sw, jh, jw } = g;
  const phases = residuesY.length * residuesX.length;
  const out = new Float32Array(jh * jw * co * phases * ci);
  for (let m = 0; m < jh; m++) {
    for (let n = 0; n < jw; n++) {
      residuesY.forEach((ry, iy) => {
        const ky = ry + sh * (jh - 1 - m);
        if (ky >= kh) return;
        residuesX.forEach((rx, ix) => {
          const kx = rx + sw * (jw - 1 - n);
          if (kx >= kw) return;
          const phase = iy * residuesX.length + ix;
          const src = (ky * kw + kx) * ci * co; // W[ky, kx, :, :] is [Ci, Co]
          const dst = (m * jw + n) * co * phases * ci + phase * ci;
          for (let c = 0; c < ci; c++) {
            for (let o = 0; o < co; o++) out[dst + o * phases * ci + c] = weights[src + c * co + o];
          }
        });
      });
    }
  }
  return out;
}

/**
 * A stride-1 'valid' conv over the window of dy starting at row startY, column startX, giving uh × uw outputs;
 * rows and columns outside dy read as zeros (explicit padding), those past the window are cut off.
 */
function windowConv(dy: tf.Tensor4D, kernel: tf.Tensor4D, startY: number, startX: number, uh: number, uw: number): tf.Tensor4D {
  const [jh, jw, , outChannels] = kernel.shape;
  const [b, oh, ow, co] = dy.shape;
  const endY = startY + uh + jh - 1; // exclusive
  const endX = startX + uw + jw - 1;
  const y0 = Math.max(startY, 0);
  const x0 = Math.max(startX, 0);
  const y1 = Math.min(endY, oh);
  const x1 = Math.min(endX, ow);
  if (y1 <= y0 || x1 <= x0) return tf.zeros([b, uh, uw, outChannels]);
  const window = y0 === 0 && x0 === 0 && y1 === oh && x1 === ow ? dy : tf.slice(dy, [0, y0, x0, 0], [b, y1 - y0, x1 - x0, co]);
  const padding: Padding4 = [[0, 0], [y0 - startY, endY - y1], [x0 - startX, endX - x1], [0, 0]];
  return tf.conv2d(window, kernel, 1, padding);
}

/** Registers the kernel for wasm in place of the stock naive loop; safe to call again. */
export function registerConv2dBackpropInput(): void {
  replaceWasmKernel(tf.Conv2DBackpropInput, conv2dBackpropInput);
}
