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
  /** Why the test cannot exercise it, if so (e.g. it needs a bearer token). */
  readonly skipReason?: string;
}

/** Every operation of a document, in document order, with the reason it must be skipped if it must. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const spec = item[method];
      if (!spec) continue;
      const security = spec.security ?? doc.security ?? [];
      const needsAuth = security.length > 0 && !security.some((s) => Object.keys(s).length === 0);
      operations.push({
        method: method.toUpperCase(),
        path,
        spec,
        ...(needsAuth
          ? { skipReason: `needs ${security.map((s) => Object.keys(s).join('+')).join(' or ')}; no token source here` }
          : {}),
      });
    }
  }
  return operations;
}

/** Methods a path declares (upper case). */
export function declaredMethods(doc: OpenApiDocument, path: string): string[] {
  return HTTP_METHODS.filter((m) => doc.paths[path]?.[m]).map((m) => m.toUpperCase());
}
