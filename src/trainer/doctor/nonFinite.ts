// non-finite: a loss, gradient or updated weight was NaN or infinite, so the update was not applied and the run halts.
import { NonFiniteUpdate } from '../adam';
import { Diagnosis, RunSettings } from './detector';
import { remedy } from './remedies';

/**
 * Not a check of the history: the training step raises it (Adam applies no update with a non-finite value), so it is
 * never missed and never guessed. A β of 1 makes Adam divide by zero; a learning rate far too large makes the weights,
 * then the logits, overflow float32.
 */
export function diagnoseNonFinite(e: NonFiniteUpdate, settings: RunSettings): Diagnosis {
  const { learningRate, beta1, beta2 } = e.settings;
  const whose = e.network === 'generator' ? 'G' : 'D';
  const what = e.where === 'loss' ? `${whose}'s loss is ${e.loss}` : `${whose}'s update has NaN or infinite values (a gradient or a new weight)`;
  const badBeta = beta1 >= 1 || beta2 >= 1;
  return {
    severity: 'error',
    summary: `${what}: the update was not applied and training stopped; the last checkpoint is intact.${badBeta ? ` Adam's β1 ${beta1} and β2 ${beta2} must be below 1.` : ''}`,
    evidence: { learningRate, beta1, beta2, loss: Number.isFinite(e.loss) ? e.loss : 0, lossFinite: Number.isFinite(e.loss) ? 1 : 0 },
    remedies: badBeta ? [remedy.dcganAdam()] : [remedy.lowerRates(settings), remedy.dcganAdam()],
  };
}
