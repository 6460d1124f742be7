/**
 * Entity tags of a user: `W/"<version>"`. The version is bumped by every change, so it identifies the state.
 * If-Match is compared weakly (RFC 9110 wants strong comparison, but our tag is weak by construction and
 * the version is exact, so weak comparison is safe here; see docs/adr/0041).
 */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

function tagsOf(header: string): string[] {
  return header
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

function opaque(tag: string): string {
  return tag.replace(/^W\//, '');
}

/** True when `header` (an If-Match or If-None-Match value) names the given version, or is `*`. */
export function etagMatches(header: string, version: number): boolean {
  const current = opaque(etagOf(version));
  return tagsOf(header).some((tag) => tag === '*' || opaque(tag) === current);
}
