import type { JsonSchema } from './schema-arbitrary';

/** The parts of an OpenAPI (3.0 or 3.1) document the property test reads. */
export interface OpenApiDocument {
  readonly openapi: string;
  readonly security?: readonly Record<string, unknown>[];
  readonly paths: Readonly<Record<string, Readonly<Record<string, OpenApiOperation>>>>;
}

export interface OpenApiParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema: JsonSchema;
}

export interface OpenApiOperation {
  readonly operationId?: string;
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: { readonly required?: boolean; readonly content: Record<string, { schema: JsonSchema }> };
  readonly responses: Readonly<Record<string, { content?: Record<string, { schema: JsonSchema }> }>>;
  readonly security?: readonly Record<string, unknown>[];
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

export interface Operation {
  readonly method: string;
  readonly path: string;
  readonly spec: OpenApiOperation;
  /** Security schemes the operation needs (any one of them); empty when it is open to anyone. */
  readonly schemes: readonly string[];
  /** Why the test cannot exercise it, if so (a scheme the test has no credentials for). */
  readonly skipReason?: string;
}

/** Schemes the property test can satisfy: bearer, with access tokens of admin accounts it signs in (sessions.ts). */
const SUPPORTED_SCHEMES = new Set(['bearer']);

/** Every operation of a document, in document order, with the reason it must be skipped if it must. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const spec = item[method];
      if (!spec) continue;
      const security = spec.security ?? doc.security ?? [];
      const open = security.length === 0 || security.some((s) => Object.keys(s).length === 0);
      const schemes = open ? [] : security.flatMap((s) => Object.keys(s));
      const unsupported = schemes.length > 0 && !schemes.some((s) => SUPPORTED_SCHEMES.has(s));
      operations.push({
        method: method.toUpperCase(),
        path,
        spec,
        schemes,
        ...(unsupported ? { skipReason: `needs ${schemes.join(' or ')}; no credentials for it here` } : {}),
      });
    }
  }
  return operations;
}

/** Methods a path declares (upper case). */
export function declaredMethods(doc: OpenApiDocument, path: string): string[] {
  return HTTP_METHODS.filter((m) => doc.paths[path]?.[m]).map((m) => m.toUpperCase());
}
