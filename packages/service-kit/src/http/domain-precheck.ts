import type { FastifyRequest } from 'fastify';
import type { FieldError } from '../errors';

/** Per request: how to get the domain's complaints about the raw body, run only if the schema refuses it. */
const pending = new WeakMap<FastifyRequest, () => readonly FieldError[]>();

/**
 * `preValidation` hook for routes whose body also has domain rules (checksums, number validity): when the schema
 * refuses the body, the 400 names every bad field at once — the schema's findings plus the domain's for fields the
 * schema let through, and the domain's wording where both object (it is more specific than "must match pattern").
 * Costs nothing when the body is schema-valid: the check runs only on the error path.
 */
export function reportDomainErrorsToo(check: (body: unknown) => readonly FieldError[]) {
  return async function rememberBody(request: FastifyRequest): Promise<void> {
    const body = request.body;
    pending.set(request, () => check(body));
  };
}

/** The schema's field errors merged with the domain's (see `reportDomainErrorsToo`); the schema's order first. */
export function withDomainErrors(request: FastifyRequest, schemaErrors: readonly FieldError[]): FieldError[] {
  const domain = pending.get(request)?.() ?? [];
  if (domain.length === 0) return [...schemaErrors];
  const domainByField = new Map(domain.map((e) => [e.field, e]));
  const merged: FieldError[] = [];
  const used = new Set<string>();
  for (const error of schemaErrors) {
    const better = domainByField.get(error.field);
    if (better && !used.has(error.field)) {
      merged.push(better);
      used.add(error.field);
    } else if (!better) {
      merged.push(error);
    }
  }
  for (const error of domain) if (!used.has(error.field)) merged.push(error);
  return merged;
}
