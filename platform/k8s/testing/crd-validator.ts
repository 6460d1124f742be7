/**
 * Validates rendered documents offline: custom resources against the `openAPIV3Schema` of the served version in
 * ../shared/crds (strict: unknown fields are errors, as with `kubectl apply --validate=strict`), core kinds with
 * kubernetes-models. CEL rules (`x-kubernetes-validations`) are not evaluated here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, LimitRange, Namespace, ResourceQuota, Service, ServiceAccount } from 'kubernetes-models/v1';

/** Repo root, and the shared folder CI clones beside it (`$SCALEFU_CRDS_DIR` when it lives elsewhere). */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const CRD_DIR = process.env['SCALEFU_CRDS_DIR'] ?? resolve(REPO_ROOT, '..', 'shared', 'crds');

type Json = Record<string, unknown>;

const CORE_KINDS: Readonly<Record<string, new (data: never) => { validate(): void }>> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/ResourceQuota': ResourceQuota,
  'v1/LimitRange': LimitRange,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

/**
 * Close every object schema that lists its properties, unless it asks to keep unknown fields. Subschemas under
 * oneOf/anyOf/allOf/not only add value checks in structural schemas, so they stay open.
 */
function strict(schema: unknown, close = true): unknown {
  if (Array.isArray(schema)) return schema.map((s) => strict(s, close));
  if (!schema || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema as Json)) {
    const combinator = k === 'oneOf' || k === 'anyOf' || k === 'allOf' || k === 'not';
    out[k] = k === 'enum' || k === 'default' || k === 'example' ? v : strict(v, close && !combinator);
  }
  if (
    close &&
    out.properties &&
    out.additionalProperties === undefined &&
    !out['x-kubernetes-preserve-unknown-fields']
  ) {
    out.additionalProperties = false;
  }
  return out;
}

/** CRD patterns are Go RE2: translate the inline `(?i)` flag, which JavaScript spells as a flag. */
function goRegExp(pattern: string, flags: string): RegExp {
  const insensitive = pattern.includes('(?i)');
  return new RegExp(pattern.replaceAll('(?i)', ''), insensitive ? `${flags}i` : flags);
}
goRegExp.code = 'goRegExp';

export class ManifestValidator {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(crdDir = CRD_DIR) {
    const ajv = new Ajv({ strict: false, allErrors: true, code: { regExp: goRegExp } });
    const addFormats = addFormatsModule as unknown as (a: Ajv) => void;
    addFormats(ajv);
    for (const folder of readdirSync(crdDir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const file of readdirSync(join(crdDir, folder.name)).filter((f) => f.endsWith('.yaml'))) {
        for (const doc of parseAllDocuments(readFileSync(join(crdDir, folder.name, file), 'utf8'))) {
          const crd = doc.toJS() as Json | null;
          if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
          const spec = crd.spec as { group: string; names: { kind: string }; versions: Json[] };
          for (const version of spec.versions) {
            if (!version.served) continue;
            const schema = (version.schema as { openAPIV3Schema: unknown }).openAPIV3Schema;
            this.validators.set(
              `${spec.group}/${String(version.name)}/${spec.names.kind}`,
              ajv.compile(strict(schema) as Json),
            );
          }
        }
      }
    }
  }

  /** Number of served CRD versions loaded. */
  public get size(): number {
    return this.validators.size;
  }

  /** Errors of one document (empty when valid). */
  public errors(doc: Json): string[] {
    const key = `${String(doc.apiVersion)}/${String(doc.kind)}`;
    const core = CORE_KINDS[key];
    if (core) {
      try {
        new core(doc as never).validate();
        return [];
      } catch (error) {
        return [String((error as Error).message)];
      }
    }
    const validate = this.validators.get(key);
    if (!validate)
      return [`no schema for ${key}: neither a known core kind nor a served CRD version in ../shared/crds`];
    if (validate(doc)) return [];
    return (validate.errors ?? []).map(
      (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
    );
  }
}
