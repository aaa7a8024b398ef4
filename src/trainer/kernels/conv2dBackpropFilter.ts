// Conv2DBackpropFilter for the wasm backend, the one kernel stock tfjs-backend-wasm lacks to train a convnet.
import * as tf from '@tensorflow/tfjs-core';
import { backend_util, Conv2DBackpropFilterAttrs, Conv2DBackpropFilterInputs, TensorInfo } from '@tensorflow/tfjs-core';
import { KernelArgs, replaceWasmKernel, runAsKernel } from './tensorKernel';

/*
 * dW[ky,kx,ci,co] = Σ_{b,oy,ox} x[b, oy·s − padTop + ky, ox·s − padLeft + kx, ci] · dy[b,oy,ox,co]
 *
 * Read with ci as the batch, (ky,kx) as the output position, b as the input channel and co as the
 * output channel, that is one stride-1 conv2d with dilation s of x' = x → [Ci,H,W,B] by the
 * filter dy' = dy → [OH,OW,B,Co], giving [Ci,KH,KW,Co] → [KH,KW,Ci,Co]. It runs on XNNPACK's
 * convolution instead of a naive loop. The bottom/right padding is whatever makes the output
 * exactly KH×KW; when it is negative, the rows/columns the forward conv never read are cropped.
 */
function conv2dBackpropFilter({ inputs, backend, attrs }: KernelArgs<Conv2DBackpropFilterInputs, Conv2DBackpropFilterAttrs>): TensorInfo {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (backend_util.convertConv2DDataFormat(dataFormat) !== 'channelsLast') {
    throw new Error(`Conv2DBackpropFilter on wasm supports only dataFormat NHWC, got ${dataFormat}`);
  }
  const xShape = inputs.x!.shape as [number, number, number, number];
  const info = backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad, dimRoundingMode);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // The last input row the forward conv touches is (oh−1)·sh − top + kh − 1.
  const bottom = (oh - 1) * sh - top + kh - xShape[1];
  const right = (ow - 1) * sw - left + kw - xShape[2];

  return runAsKernel(backend, [inputs.x!, inputs.dy!], (x, dy) => {
    const cropped = bottom < 0 || right < 0
      ? tf.slice(x, [0, 0, 0, 0], [-1, xShape[1] + Math.min(bottom, 0), xShape[2] + Math.min(right, 0), -1]) : x;
    const xT = tf.transpose(cropped, [3, 1, 2, 0]) as tf.Tensor4D; // [Ci, H, W, B]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [OH, OW, B, Co]
    const padding: [[number, number], [number, number], [number, number], [number, number]] =
      [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]];
    const dw = tf.conv2d(xT, dyT, 1, padding, 'NHWC', [sh, sw]); // [Ci, KH, KW, Co]
    return tf.transpose(dw, [1, 2, 0, 3]); // [KH, KW, Ci, Co]
  });
}

/** Registers the kernel for wasm, which has none; safe to call again. */
export function registerConv2dBackpropFilter(): void {
  replaceWasmKernel(tf.Conv2DBackpropFilter, conv2dBackpropFilter);
}
