import type { ServiceName } from '@scalefu/contracts';

const BEGIN = '// release-digests:begin';
const END = '// release-digests:end';

/**
 * Replace the release-owned block of an environment file (`platform/environments/<env>.ts`) with the released tag and
 * digests, leaving every other line as it is. Refuses a file without exactly one such block, a bad tag or a malformed
 * digest, so the pipeline never writes a half-edited environment.
 */
export function writeRelease(
  source: string,
  tag: string,
  digests: Readonly<Partial<Record<ServiceName, string>>>,
): string {
  const begin = source.indexOf(BEGIN);
  const end = source.indexOf(END);
  if (begin < 0 || end < begin || source.indexOf(BEGIN, begin + 1) >= 0) {
    throw new Error(`the environment file needs exactly one "${BEGIN}" … "${END}" block`);
  }
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag) || tag === 'latest')
    throw new Error(`"${tag}" is not a pinned tag`);
  for (const [service, digest] of Object.entries(digests)) {
    if (!/^sha256:[0-9a-f]{64}$/.test(digest ?? '')) throw new Error(`digest of ${service} is not sha256:<64 hex>`);
  }
  const lineStart = source.lastIndexOf('\n', begin) + 1;
  const indent = source.slice(lineStart, begin);
  const entries = Object.entries(digests)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, digest]) => `${indent}  ${/^[a-z]+$/.test(service) ? service : `'${service}'`}: '${digest}',`);
  const block = [
    `${BEGIN} (written by scripts/release.ts; do not edit by hand)`,
    `${indent}imageTag: '${tag}',`,
    entries.length ? `${indent}imageDigests: {\n${entries.join('\n')}\n${indent}},` : `${indent}imageDigests: {},`,
    `${indent}`,
  ].join('\n');
  return source.slice(0, begin) + block + source.slice(end);
}
