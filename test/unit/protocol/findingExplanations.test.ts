import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXPLANATIONS } from '../../../src/protocol/findingExplanations';
import { FINDING_KINDS } from '../../../src/protocol/findings';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));
const stepIds: string[] = manifest.contributes.walkthroughs.find((w: { id: string }) => w.id === 'welcome').steps.map((s: { id: string }) => s.id);

describe('Finding explanations', () => {
  it('explain every kind of finding', () => {
    assert.deepEqual(Object.keys(EXPLANATIONS).sort(), [...FINDING_KINDS].sort());
  });

  it('link each kind to a step the walkthrough has', () => {
    for (const [kind, { step }] of Object.entries(EXPLANATIONS)) assert.ok(stepIds.includes(step), `${kind} links to "${step}", which is not a walkthrough step`);
  });
});
