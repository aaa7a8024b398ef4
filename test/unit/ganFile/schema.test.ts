import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import { BUILTIN_PRESETS } from '../../../src/ganFile/presets';
import { FILE_FIELDS, LAYER_FIELDS } from '../../../src/ganFile/validate';
import { LAYER_TYPES } from '../../../src/ganFile/types';

const REPO = path.resolve(__dirname, '../../..');
type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; definitions?: Record<string, Schema> };
const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas/gan.schema.json'), 'utf8')) as Schema;
const defs = schema.definitions!;

/**
 * What is wrong with `value` under the subset of JSON Schema the file uses: type, enum, const, properties, required,
 * additionalProperties, items, minimum/maximum (exclusive too), $ref, allOf with if/then, oneOf and anyOf.
 */
function schemaErrors(s: Schema, value: unknown, at: string): string[] {
  if (typeof s.$ref === 'string') return schemaErrors(defs[s.$ref.replace('#/definitions/', '')], value, at);
  const errors: string[] = [];
  const types = s.type === undefined ? undefined : ([] as string[]).concat(s.type as string);
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
  if (types && !types.some((t) => t === kind || (t === 'number' && kind === 'integer'))) return [`${at}: ${kind}, not ${types}`];
  if (s.enum && !(s.enum as unknown[]).includes(value)) errors.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if ('const' in s && s.const !== value) errors.push(`${at}: not ${JSON.stringify(s.const)}`);
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) errors.push(`${at}: below minimum`);
    if (typeof s.maximum === 'number' && value > s.maximum) errors.push(`${at}: above maximum`);
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) errors.push(`${at}: not above exclusiveMinimum`);
    if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) errors.push(`${at}: not below exclusiveMaximum`);
  }
  if (Array.isArray(value) && s.items) value.forEach((v, i) => errors.push(...schemaErrors(s.items as Schema, v, `${at}[${i}]`)));
  if (kind === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of (s.required as string[] | undefined) ?? []) if (!(key in record)) errors.push(`${at}: needs ${key}`);
    for (const [key, v] of Object.entries(record)) {
      const sub = s.properties?.[key];
      if (sub) errors.push(...schemaErrors(sub, v, `${at}.${key}`));
      else if (s.additionalProperties === false) errors.push(`${at}: unexpected ${key}`);
    }
  }
  for (const rule of (s.allOf as Schema[] | undefined) ?? []) {
    if (rule.if && schemaErrors(rule.if as Schema, value, at).length === 0) errors.push(...schemaErrors(rule.then as Schema, value, at));
  }
  for (const [key, exactlyOne] of [['oneOf', true], ['anyOf', false]] as const) {
    const options = s[key] as Schema[] | undefined;
    if (!options) continue;
    const matching = options.filter((o) => schemaErrors(o, value, at).length === 0).length;
    if (matching === 0 || (exactlyOne && matching > 1)) errors.push(`${at}: matches ${matching} of its ${key} options`);
  }
  return errors;
}

describe('schemas/gan.schema.json', () => {
  for (const name of BUILTIN_PRESETS) {
    it(`accepts the shipped preset ${name}`, () => {
      const value = parse(fs.readFileSync(path.join(REPO, 'presets', `${name}.gan.json`), 'utf8'));
      assert.deepEqual(schemaErrors(schema, value, name), []);
    });
  }

  it('rejects what the validator rejects: an unknown layer option, a wrong type, a negative rate', () => {
    const errors = (value: unknown) => schemaErrors(schema, value, 'file');
    assert.notDeepEqual(errors({ generator: [{ type: 'conv2d', filters: 8, kernel: 4, filter: 2 }] }), []);
    assert.notDeepEqual(errors({ latentDim: '100' }), []);
    assert.notDeepEqual(errors({ optimizer: { discriminator: { learningRate: -0.1 } } }), []);
  });

  it('has the same top-level fields as the validator, each with a description', () => {
    assert.deepEqual(Object.keys(schema.properties!).sort(), Object.keys(FILE_FIELDS).sort());
    for (const [key, field] of Object.entries(schema.properties!)) assert.ok(typeof field.description === 'string' && field.description.length > 10, key);
  });

  it('describes every layer type and each of its options as the validator knows them', () => {
    assert.deepEqual((defs.layer.properties as Record<string, Schema>).type.enum, [...LAYER_TYPES]);
    for (const type of LAYER_TYPES) {
      const layer = defs[`layer.${type}`];
      assert.ok(typeof layer.description === 'string', type);
      assert.deepEqual(Object.keys(layer.properties!).sort(), Object.keys(LAYER_FIELDS[type]).sort(), type);
      for (const [key, option] of Object.entries(layer.properties!)) assert.ok(typeof option.description === 'string', `${type}.${key}`);
    }
  });

  it('is contributed for *.gan.json files', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: '*.gan.json', url: './schemas/gan.schema.json' }]);
  });
});
