/**
 * Rewrites the third-party image lock table (`platform/third-party-images.lock.json`) with digests read from the
 * registries, keeping each row's image and tag and recording where and when its digest was read.
 */
import { parseImageLock, type LockedImage, type ThirdPartyImageId } from '../../../platform/k8s/third-party-images';

/** The lock table's text with `digests` written in (rows not in `digests` stay as they are). */
export function withDigests(
  lockText: string,
  digests: Readonly<Partial<Record<ThirdPartyImageId, string>>>,
  readOn: string,
): string {
  const parsed = JSON.parse(lockText) as { '//'?: string; images: Record<ThirdPartyImageId, LockedImage> };
  parseImageLock(lockText);
  for (const [id, digest] of Object.entries(digests) as [ThirdPartyImageId, string][]) {
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`digest of ${id} is not sha256:<64 hex>`);
    const row = parsed.images[id];
    if (!row) throw new Error(`no row ${id} in the lock table`);
    if (row.digest === digest) continue;
    parsed.images[id] = {
      ...row,
      digest,
      source: `${row.image}:${row.tag} in its registry (skopeo inspect --raw), ${readOn}`,
    };
  }
  const text = `${JSON.stringify(parsed, null, 2)}\n`;
  parseImageLock(text);
  return text;
}
