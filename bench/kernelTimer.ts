// Times every kernel of one backend by wrapping its registered kernel functions: self time, nested kernels excluded.
import * as tf from '@tensorflow/tfjs-core';

export interface KernelTime {
  kernel: string;
  calls: number;
  /** Time inside the kernel minus the time of the kernels it ran itself (the replacement kernels run ops). */
  selfMs: number;
}

export class KernelTimer {
  private readonly times = new Map<string, { calls: number; selfMs: number }>();
  private readonly originals: tf.KernelConfig[] = [];
  /** Time spent in nested kernels, per nesting level, to subtract from the caller. */
  private readonly childMs: number[] = [];
  enabled = false;
  /** Also key each entry by its input shapes, to tell the calls of one kernel apart. */
  byShape = false;

  /** Wraps every kernel registered for `backendName`; the backend must be initialised (setup functions already ran). */
  constructor(backendName: string) {
    for (const config of tf.getKernelsForBackend(backendName)) {
      const { kernelName, kernelFunc } = config;
      this.originals.push(config);
      tf.unregisterKernel(kernelName, backendName);
      tf.registerKernel({
        kernelName, backendName,
        kernelFunc: (args) => {
          if (!this.enabled) return kernelFunc(args);
          this.childMs.push(0);
          const t0 = performance.now();
          try {
            return kernelFunc(args);
          } finally {
            const total = performance.now() - t0;
            const nested = this.childMs.pop()!;
            if (this.childMs.length) this.childMs[this.childMs.length - 1] += total;
            const key = this.byShape ? `${kernelName} ${describe(args)}` : kernelName;
            const entry = this.times.get(key) ?? { calls: 0, selfMs: 0 };
            entry.calls++;
            entry.selfMs += total - nested;
            this.times.set(key, entry);
          }
        },
      });
    }
  }

  reset(): void {
    this.times.clear();
  }

  /** Kernels by self time, slowest first. */
  report(): KernelTime[] {
    return [...this.times].map(([kernel, t]) => ({ kernel, ...t })).sort((a, b) => b.selfMs - a.selfMs);
  }

  /** Puts the original kernel functions back. */
  dispose(): void {
    for (const config of this.originals) {
      tf.unregisterKernel(config.kernelName, config.backendName);
      tf.registerKernel(config);
    }
  }
}

/** The input shapes and the attributes that change a kernel's cost. */
function describe(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap }): string {
  const shapes = Object.entries(args.inputs).filter(([, t]) => t).map(([name, t]) => `${name}[${t!.shape}]`);
  const attrs = Object.entries(args.attrs ?? {})
    .filter(([k]) => ['strides', 'transposeA', 'transposeB', 'axis', 'perm', 'dilations', 'pad'].includes(k))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return [...shapes, ...attrs].join(' ');
}
