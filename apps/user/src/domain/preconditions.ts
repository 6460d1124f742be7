import { AppError, PreconditionFailedError } from '@scalefu/service-kit';
import { etagMatches } from './etag';

/**
 * Optimistic concurrency for writes: `If-Match` must name the current version. Required for PUT/PATCH (a blind
 * overwrite is refused with 428), optional for DELETE; a stale tag is 412 either way.
 */
export function assertIfMatch(header: string | undefined, version: number, required: boolean): void {
  if (header === undefined || header.trim() === '') {
    if (required) {
      throw new AppError('PRECONDITION_REQUIRED', 'If-Match is required: send the ETag of the user you read');
    }
    return;
  }
  if (!etagMatches(header, version)) throw new PreconditionFailedError();
}
