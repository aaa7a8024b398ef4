// Conv2DBackpropFilter for the wasm backend, the one kernel stock tfjs-backend-wasm lacks to train a convnet.
import * as tf from '@tensorflow/tfjs-core';
import { backend_util, Conv2DBackpropFilterAttrs, Conv2DBackpropFilterInputs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';

/*
 * dW[ky,kx,ci,co] = Σ_{b,oy,ox} x[b, oy·s − padTop + ky, ox·s − padLeft + kx, ci] · dy[b,oy,ox,co]
 *
 * Read with ci as the batch, (ky,kx) as the output position, b as the input channel and co as the
 * output channel, that is one stride-1 conv2d with dilation s of x' = x → [Ci,H,W,B] by the
 * filter dy' = dy → [OH,OW,B,Co], giving [Ci,KH,KW,Co] → [KH,KW,Ci,Co]. It runs on XNNPACK's
 * convolution instead of a naive loop. The bottom/right padding is whatever makes the output
 * exactly KH×KW; when it is negative, the rows/columns the forward conv never read are cropped.
 */
function conv2dBackpropFilter(args: {
  inputs: Conv2DBackpropFilterInputs; backend: tf.KernelBackend; attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (backend_util.convertConv2DDataFormat(dataFormat) !== 'channelsLast') {
    throw new Error(`Conv2DBackpropFilter on wasm supports only dataFormat NHWC, got ${dataFormat}`);
  }
  const x = wrap(inputs.x!, backend) as tf.Tensor4D;
  const dy = wrap(inputs.dy!, backend) as tf.Tensor4D;
  const info = backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // The last input row the forward conv touches is (oh−1)·sh − top + kh − 1.
  const bottom = (oh - 1) * sh - top + kh - x.shape[1];
  const right = (ow - 1) * sw - left + kw - x.shape[2];

  const result = tf.tidy(() => {
    const cropped = tf.slice(x, [0, 0, 0, 0], [-1, x.shape[1] + Math.min(bottom, 0), x.shape[2] + Math.min(right, 0), -1]);
    const xT = tf.transpose(cropped, [3, 1, 2, 0]); // [Ci, H, W, B]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [OH, OW, B, Co]
    const padding: [[number, number], [number, number], [number, number], [number, number]] =
      [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]];
    const dw = tf.conv2d(xT, dyT, 1, padding, 'NHWC', [sh, sw]); // [Ci, KH, KW, Co]
    return tf.transpose(dw, [1, 2, 0, 3]); // [KH, KW, Ci, Co]
  });
  // The engine owns the returned TensorInfo; keep its data alive past the wrappers' disposal.
  backend.incRef(result.dataId);
  const out: TensorInfo = { dataId: result.dataId, shape: result.shape, dtype: result.dtype };
  x.dispose();
  dy.dispose();
  result.dispose();
  return out;
}

/** A tensor over a kernel input; its own reference keeps disposing it from freeing the input. */
function wrap(info: TensorInfo, backend: tf.KernelBackend): tf.Tensor {
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info, backend);
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
};

/** Registers the kernel once; safe to call again. */
export function registerConv2dBackpropFilter(): void {
  if (!tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')) tf.registerKernel(conv2dBackpropFilterConfig);
}
