// package.json's `ganscope.*` settings say what src/protocol/runOptions.ts defines: the same settings, defaults and choices.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_OPTIONS, RunOption } from '../../../src/protocol/runOptions';

interface SettingSchema {
  default?: unknown;
  enum?: unknown[];
  enumDescriptions?: string[];
  /** A setting whose choices are suggestions (the preset: a name or a .gan.json path) lists them in one branch. */
  anyOf?: SettingSchema[];
}

/** The branch of a setting's schema that lists its choices. */
const choices = (schema: SettingSchema | undefined): SettingSchema | undefined => schema?.anyOf?.find((s) => s.enum) ?? schema;

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
const declared: Record<string, SettingSchema> = pkg.contributes.configuration.properties;
const options: RunOption<unknown>[] = Object.values(RUN_OPTIONS);
const settings = new Map<string, RunOption<unknown>>(options.flatMap((o) => (o.setting ? [[`ganscope.${o.setting}`, o] as const] : [])));

describe('package.json configuration', () => {
  it('declares every setting the run options define', () => {
    assert.deepEqual([...settings.keys()].filter((name) => !(name in declared)), []);
  });

  it('declares no ganscope setting the run options do not define', () => {
    assert.deepEqual(Object.keys(declared).filter((name) => name.startsWith('ganscope.') && !settings.has(name)), []);
  });

  for (const [name, option] of settings) {
    it(`gives ${name} the run option's default and choices`, () => {
      // package.json says null where the run option leaves the value to the preset.
      assert.deepEqual(declared[name]?.default, option.default ?? null);
      assert.deepEqual(choices(declared[name])?.enum, option.values);
    });
  }

  it('describes every choice of every setting', () => {
    for (const [name, setting] of Object.entries(declared)) {
      const schema = choices(setting)!;
      if (schema.enum) assert.equal(schema.enumDescriptions?.length, schema.enum.length, name);
    }
  });
});
