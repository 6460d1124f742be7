import { IDENTITY_FIELD_ARBITRARIES } from '@scalefu/identity/arbitraries';
import fc from 'fast-check';

/** The JSON Schema subset the ScaleFu documents use (OpenAPI 3.0 and 3.1 flavours). */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly minimum?: number;
  readonly minProperties?: number;
  readonly maximum?: number;
  readonly nullable?: boolean;
  readonly description?: string;
}

/**
 * Fields whose rules go beyond the schema (stated in their descriptions: check digits, number validity, grapheme
 * counts): drawn valid from `@scalefu/identity`'s arbitraries, by field name.
 */
const BY_NAME = IDENTITY_FIELD_ARBITRARIES;

const dateTime = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return dateTime;
  if (schema.format === 'uuid') return fc.uuid();
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 40, Math.max(min, 40));
  const base = fc.string({ unit: 'grapheme', minLength: min, maxLength: max });
  if (!schema.pattern) return base;
  // Drawn from the pattern itself: filtering random strings would almost never hit e.g. `^[0-9]{6}$`.
  const regex = new RegExp(schema.pattern, 'u');
  return fc
    .stringMatching(regex)
    .filter((s) => regex.test(s) && [...s].length >= min && [...s].length <= (schema.maxLength ?? Infinity));
}

/** An arbitrary of values valid against `schema`; `name` is the property it fills (for the identity fields). */
export function arbitraryOf(schema: JsonSchema, name?: string): fc.Arbitrary<unknown> {
  if (name && BY_NAME[name]) return BY_NAME[name];
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return fc.oneof(...options.map((o) => arbitraryOf(o, name)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(arbitraryOf(schema.items ?? {}), { maxLength: 5 });
    case 'object':
    case undefined:
      return objectArbitrary(schema);
    default:
      throw new Error(`no arbitrary for schema type ${String(type)}`);
  }
}

function objectArbitrary(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, property] of Object.entries(properties)) model[key] = arbitraryOf(property, key);
  const requiredKeys = Object.keys(properties).filter((k) => required.has(k));
  const record = fc.record(model, { requiredKeys }) as fc.Arbitrary<Record<string, unknown>>;
  const minProperties = schema.minProperties ?? 0;
  return minProperties > 0 ? record.filter((o) => Object.keys(o).length >= minProperties) : record;
}
