import type { FieldError } from './errors';

/** The shape TypeBox (and ajv) report a schema violation in. */
export interface SchemaViolation {
  readonly keyword: string;
  readonly instancePath: string;
  readonly message?: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

function fieldOf(instancePath: string): string {
  return instancePath.replace(/^\//, '').replaceAll('/', '.') || '(body)';
}

/** Turn schema violations into one readable `{field, message}` per problem, naming missing and unknown fields. */
export function toFieldErrors(violations: Iterable<SchemaViolation>): FieldError[] {
  const result: FieldError[] = [];
  const seen = new Set<string>();
  const push = (field: string, message: string) => {
    const id = `${field}\u0000${message}`;
    if (!seen.has(id)) {
      seen.add(id);
      result.push({ field, message });
    }
  };
  for (const v of violations) {
    const base = fieldOf(v.instancePath);
    const params = v.params ?? {};
    if (v.keyword === 'required') {
      const missing = (params['requiredProperties'] ?? [params['missingProperty']]) as unknown[];
      for (const name of missing.filter(Boolean)) {
        push(base === '(body)' ? String(name) : `${base}.${String(name)}`, 'is required');
      }
    } else if (v.keyword === 'additionalProperties') {
      const extra = (params['additionalProperties'] ?? [params['additionalProperty']]) as unknown[];
      for (const name of extra.filter(Boolean)) {
        push(base === '(body)' ? String(name) : `${base}.${String(name)}`, 'is not an allowed field');
      }
    } else if (v.keyword === 'pattern') {
      // The raw regular expression helps nobody; the field's description in the OpenAPI document states the rule.
      push(base, 'does not have the form this field requires');
    } else if (v.keyword === 'boolean' && v.message === 'schema is false') {
      push(base, 'is not an allowed field');
    } else {
      push(base, v.message ?? `violates ${v.keyword}`);
    }
  }
  return result;
}
