// A tiny structural checker for messages that cross a process or webview boundary.

/** Returns what is wrong with `value` (named by `path`), or undefined when it is valid. */
export type Validator = (value: unknown, path: string) => string | undefined;

export const num: Validator = (v, p) => (typeof v === 'number' && Number.isFinite(v) ? undefined : `${p} must be a finite number`);
/** Safe integers only: past 2^53 − 1 a step or seed can no longer be counted exactly. */
export const nonNegInt: Validator = (v, p) => (Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : `${p} must be a non-negative integer`);
export const str: Validator = (v, p) => (typeof v === 'string' ? undefined : `${p} must be a string`);
export const bool: Validator = (v, p) => (typeof v === 'boolean' ? undefined : `${p} must be a boolean`);
export const bytes: Validator = (v, p) => (v instanceof Uint8Array ? undefined : `${p} must be a Uint8Array`);

/** A finite number from `min` to `max`, both included. */
export const numIn = (min: number, max: number): Validator => (v, p) =>
  num(v, p) ?? ((v as number) >= min && (v as number) <= max ? undefined : `${p} must be between ${min} and ${max}`);

export const oneOf = (...values: readonly string[]): Validator => (v, p) =>
  values.includes(v as string) ? undefined : `${p} must be one of ${values.join(', ')}`;

export const optional = (check: Validator): Validator => (v, p) => (v === undefined ? undefined : check(v, p));

/** A number that may also be null, e.g. a loss that is not known yet. */
export const numOrNull: Validator = (v, p) => (v === null ? undefined : num(v, p));

export const arrayOf = (check: Validator): Validator => (v, p) => {
  if (!Array.isArray(v)) return `${p} must be an array`;
  for (let i = 0; i < v.length; i++) {
    const err = check(v[i], `${p}[${i}]`);
    if (err) return err;
  }
  return undefined;
};

export const object = (fields: Record<string, Validator>): Validator => (v, p) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${p} must be an object`;
  for (const [key, check] of Object.entries(fields)) {
    const err = check((v as Record<string, unknown>)[key], `${p}.${key}`);
    if (err) return err;
  }
  return undefined;
};

/** An object whose every value is a finite number, e.g. named metrics. */
export const numberRecord: Validator = (v, p) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${p} must be an object`;
  for (const [key, value] of Object.entries(v)) {
    const err = num(value, `${p}.${key}`);
    if (err) return err;
  }
  return undefined;
};

/** Builds a validator for a discriminated union keyed by `type`. */
export function union<T extends { type: string }>(variants: Record<T['type'], Record<string, Validator>>) {
  const checks = new Map<string, Validator>(Object.entries<Record<string, Validator>>(variants).map(([k, f]) => [k, object(f)]));
  return (value: unknown): { ok: true; value: T } | { ok: false; error: string } => {
    const type = (value as { type?: unknown } | null)?.type;
    const check = typeof type === 'string' ? checks.get(type) : undefined;
    if (!check) return { ok: false, error: `unknown message type ${JSON.stringify(type)}` };
    const error = check(value, type as string);
    return error ? { ok: false, error } : { ok: true, value: value as T };
  };
}
