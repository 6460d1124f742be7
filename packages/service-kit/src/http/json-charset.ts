import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors';

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;
const CHARSET_PARAM = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i;

/** The charset a JSON content type names, lower-case, or undefined when it names none (or is not JSON). */
export function jsonCharsetOf(contentType: string): string | undefined {
  const mediaType = contentType.split(';')[0]!.trim();
  if (!JSON_MEDIA_TYPE.test(mediaType)) return undefined;
  const match = CHARSET_PARAM.exec(contentType);
  if (!match) return undefined;
  return (match[1] ?? match[2] ?? '').toLowerCase();
}

/**
 * `preParsing` hook: JSON is UTF-8 (RFC 8259 §8.1) and fastify's parser decodes every body as UTF-8 whatever the
 * header says, so a body labelled `charset=utf-16` would be silently misread. Refuse it with 415 instead.
 */
export async function refuseNonUtf8Json(request: FastifyRequest): Promise<void> {
  const contentType = request.headers['content-type'];
  if (!contentType) return;
  const charset = jsonCharsetOf(contentType);
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8') return;
  throw new AppError('UNSUPPORTED_MEDIA_TYPE', `JSON bodies must be UTF-8 (got charset "${charset}")`);
}
