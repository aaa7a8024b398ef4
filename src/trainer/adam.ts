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

  /** One update of `variables` down the gradient of `loss`; returns the loss before the update. */
  minimize(loss: () => tf.Scalar): tf.Scalar {
    const { value, grads } = tf.variableGrads(loss, this.variables);
    this.step++;
    const { learningRate, beta1, beta2, epsilon } = this.settings;
    tf.tidy(() => {
      this.variables.forEach((x, i) => {
        const g = grads[x.name];
        if (!g) return;
        const t = ++this.updates[i];
        const stepSize = learningRate / (1 - beta1 ** t);
        const secondCorrection = Math.sqrt(1 - beta2 ** t);
        this.m[i].assign(tf.add(tf.mul(this.m[i], beta1), tf.mul(g, 1 - beta1)));
        this.v[i].assign(tf.add(tf.mul(this.v[i], beta2), tf.mul(tf.square(g), 1 - beta2)));
        const denominator = tf.add(tf.div(tf.sqrt(this.v[i]), secondCorrection), epsilon);
        x.assign(tf.sub(x, tf.mul(tf.div(this.m[i], denominator), stepSize)));
      });
    });
    tf.dispose(grads);
    return value;
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}
