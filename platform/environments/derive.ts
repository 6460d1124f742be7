import type { DeepPartial, Environment, EnvironmentBase, EnvironmentDelta } from './types';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; arrays and scalars in `delta` replace the base's whole. */
export function mergeDeep<T>(base: T, delta: DeepPartial<T> | undefined): T {
  if (delta === undefined) return base;
  if (!isRecord(base) || !isRecord(delta)) return delta as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(delta)) {
    if (value === undefined) continue;
    out[key] = key in base ? mergeDeep(base[key as keyof T], value as DeepPartial<T[keyof T]>) : value;
  }
  return out as T;
}

/** An environment: the base with the delta of its file laid over it. */
export function deriveEnvironment(base: EnvironmentBase, delta: EnvironmentDelta): Environment {
  return {
    settings: { ...mergeDeep(base.settings, delta.settings), ...delta.settings } as Environment['settings'],
    kubernetes: mergeDeep<Environment['kubernetes']>(base.kubernetes, delta.kubernetes),
    gcp: mergeDeep<Environment['gcp']>(base.gcp, delta.gcp),
  };
}
