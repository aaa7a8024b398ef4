// A session trained one step with a Prober on it, opened before a describe block's tests and closed after them.
import { RunConfig } from '../../../../src/protocol/trainer';
import { Prober } from '../../../../src/trainer/probes/prober';
import { TrainingSession } from '../../../../src/trainer/session';
import { MNIST_DIR, useWasm } from '../helpers';

export interface LiveProber {
  session: TrainingSession;
  prober: Prober;
}

/** Call inside a describe block: the returned object holds the session and prober once its `before` hook has run. */
export function useLiveProber(config: () => RunConfig): LiveProber {
  const live = {} as LiveProber;
  before(async () => {
    process.env.GANSCOPE_DATA_DIR = MNIST_DIR;
    live.session = TrainingSession.open(config(), await useWasm());
    await live.session.trainOneStep();
    live.prober = new Prober(live.session);
  });
  after(() => {
    live.prober.dispose();
    live.session.close();
  });
  return live;
}
