import { IMAGE_USER } from '@scalefu/contracts';
import { execFileSync } from 'node:child_process';
import { readdirSync, realpathSync } from 'node:fs';
import { chmod, cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PINNED_NODE, pinnedNode } from '../node-runtime';

/** Where the runtime goes in the image. */
export const NODE_IN_IMAGE = '/usr/local/bin/node';
/** Debian's CA bundle (package ca-certificates), which the services trust through NODE_EXTRA_CA_CERTS. */
export const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** A Debian package a file of the image came from, for the SBOM. */
export interface DebianPackage {
  readonly name: string;
  readonly version: string;
  readonly files: readonly string[];
}

export interface RootFs {
  readonly dir: string;
  readonly debianPackages: readonly DebianPackage[];
}

/** The shared libraries the pinned node binary links against, as the dynamic loader resolves them here. */
export function sharedLibraries(binary = PINNED_NODE): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  const libs: string[] = [];
  for (const line of out.split('\n')) {
    const resolved = /=>\s+(\/\S+)/.exec(line)?.[1] ?? /^\s*(\/\S+)\s+\(/.exec(line)?.[1];
    if (resolved) libs.push(resolved);
  }
  if (!libs.some((l) => l.includes('libc.so'))) throw new Error(`ldd found no libc for ${binary}:\n${out}`);
  return libs;
}

/** Which Debian package owns a file, tried under its own path and under the merged-/usr one. */
function owningPackage(file: string): { name: string; version: string } {
  const candidates = [
    file,
    realpathSync(file),
    file.replace(/^\/lib/, '/usr/lib'),
    file.replace(/^\/usr\/lib/, '/lib'),
  ];
  for (const candidate of candidates) {
    try {
      const owner = execFileSync('dpkg-query', ['-S', candidate], { encoding: 'utf8', stdio: 'pipe' });
      const name = owner.split(':')[0]!.trim();
      const version = execFileSync('dpkg-query', ['-W', '-f=${Version}', name], { encoding: 'utf8' }).trim();
      return { name, version };
    } catch {
      /* try the next spelling */
    }
  }
  throw new Error(`no Debian package owns ${file}: install it with apt-get before building images`);
}

/**
 * The image's whole filesystem, without a shell or a package manager: the pinned Node.js binary, exactly the
 * shared libraries it links against and Debian's CA bundle, an /etc/passwd naming the unprivileged user, an empty
 * /tmp (a volume in the clusters: the root filesystem is read-only) and the bundled app.
 */
export async function buildRootFs(appDir: string, outDir: string): Promise<RootFs> {
  const dir = path.join(outDir, 'rootfs');
  await mkdir(path.join(dir, 'usr', 'local', 'bin'), { recursive: true });
  await cp(pinnedNode(), path.join(dir, NODE_IN_IMAGE), { dereference: true });
  const byPackage = new Map<string, DebianPackage>();
  const addFile = (pkg: { name: string; version: string }, file: string) => {
    const entry = byPackage.get(pkg.name) ?? { ...pkg, files: [] };
    byPackage.set(pkg.name, { ...entry, files: [...entry.files, file] });
  };
  // Native add-ons in the bundle (argon2's binding) link against libraries node itself does not (librt).
  const addons = readdirSync(appDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.node'));
  const libraries = new Set([...sharedLibraries(), ...addons.flatMap((f) => sharedLibraries(path.join(appDir, f)))]);
  for (const lib of [...libraries].sort()) {
    await mkdir(path.join(dir, path.dirname(lib)), { recursive: true });
    await cp(lib, path.join(dir, lib), { dereference: true });
    addFile(owningPackage(lib), lib);
  }
  await mkdir(path.join(dir, path.dirname(CA_BUNDLE)), { recursive: true });
  await cp(CA_BUNDLE, path.join(dir, CA_BUNDLE), { dereference: true });
  addFile(owningPackage('/usr/sbin/update-ca-certificates'), CA_BUNDLE);

  await mkdir(path.join(dir, 'etc'), { recursive: true });
  const { uid, gid, name } = IMAGE_USER;
  await writeFile(
    path.join(dir, 'etc', 'passwd'),
    `root:x:0:0::/:/nonexistent\n${name}:x:${uid}:${gid}::/app:/nonexistent\n`,
  );
  await writeFile(path.join(dir, 'etc', 'group'), `root:x:0:\n${name}:x:${gid}:\n`);
  await mkdir(path.join(dir, 'tmp'), { recursive: true });
  await chmod(path.join(dir, 'tmp'), 0o1777);
  await cp(appDir, path.join(dir, 'app'), { recursive: true });
  return { dir, debianPackages: [...byPackage.values()] };
}
