import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadMnist } from '../../../../src/trainer/data/mnist';
import { CLASSES, Classifier, CLASSIFIER_FILE, CLASSIFIER_WEIGHTS_FILE, classifierDir, toUnitRange } from '../../../../src/trainer/scores/classifier';
import { inceptionScore } from '../../../../src/trainer/scores/inception';
import { MNIST_DIR, REPO, tempDir, useWasm } from '../helpers';

const SHIPPED = path.join(REPO, 'data', 'classifier');

describe('trainer/scores/classifier (the shipped weights)', function () {
  this.timeout(120_000);
  let classifier: Classifier;
  const test = loadMnist(MNIST_DIR, 'test');
  before(async () => {
    await useWasm();
    classifier = Classifier.load(SHIPPED).classifier;
  });
  after(() => classifier.dispose());

  it('is found at data/classifier when running from the sources', () => {
    assert.equal(path.resolve(classifierDir()), SHIPPED);
  });

  const record = JSON.parse(fs.readFileSync(path.join(SHIPPED, CLASSIFIER_FILE), 'utf8'));

  it('ships under 1 MB and records its architecture, test set, date, training time and machine', () => {
    const bytes = fs.statSync(path.join(SHIPPED, CLASSIFIER_WEIGHTS_FILE)).size;
    assert.ok(bytes <= 1024 * 1024, `${bytes} bytes`);
    assert.equal(bytes, record.params * 4);
    assert.equal(record.testImages, 10_000);
    assert.ok(record.trainingSeconds > 0);
    for (const field of ['trainedAt', 'machine', 'backend', 'architecture']) assert.ok(record[field], field);
  });

  it('records a test accuracy of at least 99.2 % on the 10,000 MNIST test images', () => {
    assert.ok(record.testAccuracy >= 0.992, `recorded ${record.testAccuracy}: retrain with \`npm run train-classifier\``);
  });

  it('classifies at least 99 % of 1,000 MNIST test images right', async () => {
    const n = 1000;
    const { probs } = await classifier.predict(toUnitRange(test.pixels.subarray(0, n * 784)));
    let right = 0;
    for (let i = 0; i < n; i++) {
      const row = Array.from(probs.subarray(i * CLASSES, (i + 1) * CLASSES));
      if (row.indexOf(Math.max(...row)) === test.labels[i]) right++;
    }
    assert.ok(right / n >= 0.99, `${right} of ${n}`);
  });

  it('gives the 10,000 MNIST test digits an Inception Score near 10, the score of sure and balanced predictions', async () => {
    const { probs } = await classifier.predict(toUnitRange(test.pixels));
    const score = inceptionScore(probs, CLASSES);
    assert.ok(score >= 9.8 && score < 10, `IS ${score}`);
  });

  it('says which file is missing and how to get the weights back', () => {
    assert.throws(() => Classifier.load(tempDir('no-classifier')), new RegExp(`${CLASSIFIER_FILE}.*npm run train-classifier`));
  });

  it('refuses a weights file of the wrong size, naming it', () => {
    const dir = tempDir('bad-classifier');
    fs.copyFileSync(path.join(SHIPPED, CLASSIFIER_FILE), path.join(dir, CLASSIFIER_FILE));
    fs.writeFileSync(path.join(dir, CLASSIFIER_WEIGHTS_FILE), Buffer.alloc(1000));
    assert.throws(() => Classifier.load(dir), /weights\.bin has 1000 bytes, expected \d+/);
  });
});
