// Adam as PyTorch computes it, over a fixed list of variables, with its moments in the open so checkpoints can save them.
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_ADAM } from '../ganFile/resolve';

export interface AdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** The DCGAN paper's settings: lr 2e-4 and β1 = 0.5 (which steadies the adversarial game); PyTorch's β2 and ε. */
export const ADAM: Readonly<AdamSettings> = { learningRate: DEFAULT_ADAM.learningRate, beta1: DEFAULT_ADAM.beta1, beta2: DEFAULT_ADAM.beta2, epsilon: 1e-8 };

export class Adam {
  /** Updates applied so far (PyTorch's `step`), for bias correction. */
  step = 0;
  /** First and second moments, one per variable, in the order of `variables`. */
  readonly m: tf.Variable[];
  readonly v: tf.Variable[];
  /**
   * Updates per variable, for bias correction. Like PyTorch, a variable the loss does not reach (a block a growing
   * network has not activated yet) is skipped and starts counting at its first update. Equal to `step` otherwise.
   */
  readonly updates: number[];

  /** Changeable between steps (a saved `.gan.json` of a running run): the moments carry over. */
  readonly settings: AdamSettings;

  constructor(readonly variables: tf.Variable[], settings: Readonly<AdamSettings> = ADAM) {
    this.settings = { ...settings };
    this.m = variables.map((x) => tf.variable(tf.zerosLike(x), false));
    this.v = variables.map((x) => tf.variable(tf.zerosLike(x), false));
    this.updates = variables.map(() => 0);
  }

  /**
   * One update of `variables` down the gradient of `loss`, applied only when the loss, every gradient and every
   * updated weight are finite (otherwise nothing changes and NonFiniteUpdate is thrown). Returns the loss before the
   * update and each variable's squared gradient norm, in the order of `variables` (0 for one the loss does not reach).
   */
  async minimize(loss: () => tf.Scalar): Promise<{ loss: number; gradSquares: number[] }> {
    const pending = this.prepare(loss);
    return this.finish(pending, await pending.check.data());
  }

  /**
   * `minimize` with a synchronous read-back, for an update made inside another network's gradient tape (the
   * training step's D update, inside G's). Not on a backend that cannot read synchronously (webgpu).
   */
  minimizeSync(loss: () => tf.Scalar): { loss: number; gradSquares: number[] } {
    const pending = this.prepare(loss);
    return this.finish(pending, pending.check.dataSync());
  }

  /** The update of `loss`'s gradients, not yet applied, and `check`: [loss, NaN-if-not-finite, squared norms…]. */
  private prepare(loss: () => tf.Scalar) {
    const { value, grads } = tf.variableGrads(loss, this.variables);
    const { learningRate, beta1, beta2, epsilon } = this.settings;
    const next = tf.tidy(() => this.variables.map((x, i) => {
      const g = grads[x.name];
      if (!g) return undefined;
      const t = this.updates[i] + 1;
      const stepSize = learningRate / (1 - beta1 ** t);
      const secondCorrection = Math.sqrt(1 - beta2 ** t);
      const m = tf.add(tf.mul(this.m[i], beta1), tf.mul(g, 1 - beta1));
      const v = tf.add(tf.mul(this.v[i], beta2), tf.mul(tf.square(g), 1 - beta2));
      const denominator = tf.add(tf.div(tf.sqrt(v), secondCorrection), epsilon);
      return { m, v, x: tf.sub(x, tf.mul(tf.div(m, denominator), stepSize)) };
    }));
    // One read-back: the loss, each gradient's squared norm, and a value that is NaN if any gradient or new weight is
    // not finite (x·0 is NaN exactly for x = ±∞ or NaN; a squared norm can overflow while every entry is finite).
    const check = tf.tidy(() => {
      const squares = this.variables.map((x) => (grads[x.name] ? tf.sum(tf.square(grads[x.name])) : tf.scalar(0)));
      const probes = this.variables.flatMap((x, i) => (next[i] ? [tf.sum(tf.mul(grads[x.name], 0)), tf.sum(tf.mul(next[i]!.x, 0))] : []));
      return tf.stack([value, tf.addN([tf.scalar(0), ...probes]), ...squares]);
    });
    return { value, grads, next, check };
  }

  /** Applies a prepared update when `checked` (its check's values) says it is finite; frees its tensors. */
  private finish({ value, grads, next, check }: ReturnType<Adam['prepare']>, checked: ArrayLike<number>): { loss: number; gradSquares: number[] } {
    check.dispose();
    const [lossValue, probe, ...gradSquares] = Array.from(checked);
    const ok = Number.isFinite(lossValue) && Number.isFinite(probe);
    if (ok) {
      this.step++;
      this.variables.forEach((x, i) => {
        const n = next[i];
        if (!n) return;
        this.updates[i]++;
        this.m[i].assign(n.m);
        this.v[i].assign(n.v);
        x.assign(n.x);
      });
    }
    tf.dispose([value, ...Object.values(grads), ...next.flatMap((n) => (n ? [n.m, n.v, n.x] : []))]);
    if (!ok) throw new NonFiniteUpdate(Number.isFinite(lossValue) ? 'update' : 'loss', lossValue, this.settings);
    return { loss: lossValue, gradSquares: gradSquares.map((s) => (Number.isFinite(s) ? s : MAX_FLOAT32)) };
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}

/** The largest float32: a squared gradient norm that overflowed while every entry was finite. */
const MAX_FLOAT32 = 3.4028234663852886e38;

/** An update that was not applied because its loss, a gradient or an updated weight was NaN or infinite. */
export class NonFiniteUpdate extends Error {
  constructor(
    /** 'loss': the loss itself; 'update': a gradient or a weight after the update. */
    readonly where: 'loss' | 'update',
    readonly loss: number,
    readonly settings: { learningRate: number; beta1: number; beta2: number },
    /** Whose update it was: set by the training step, which knows. */
    public network: 'generator' | 'discriminator' | '' = '',
  ) {
    super(where === 'loss' ? `the loss is ${loss}` : 'a gradient or an updated weight is not finite');
  }
}
