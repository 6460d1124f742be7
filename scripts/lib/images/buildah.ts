import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** No Docker daemon and no registry here: vfs storage and chroot isolation work unprivileged-ish and anywhere. */
const STORAGE = ['--storage-driver', 'vfs'];
const ENV = { ...process.env, BUILDAH_ISOLATION: 'chroot' };

async function buildah(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('buildah', [...STORAGE, ...args], { env: ENV, maxBuffer: 64 * 1024 * 1024 });
    return stdout.trim();
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`buildah ${args[0]} failed: ${(e.stderr ?? e.message).trim()}`);
  }
}

export interface ImageConfig {
  /** Local name, e.g. `localhost/scalefu-onboarder:0.1.0`. */
  readonly reference: string;
  readonly rootfs: string;
  readonly user: string;
  readonly entrypoint: readonly string[];
  readonly workingDir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly exposedPort?: number;
  /** SOURCE_DATE_EPOCH: the image's created time and every file's mtime, so one commit gives one digest. */
  readonly sourceDateEpoch: number;
}

export interface BuiltImage {
  readonly reference: string;
  /** Manifest digest of the OCI archive (what a registry stores it under). */
  readonly digest: string;
  /** Config plus compressed layers, as pulled. */
  readonly compressedBytes: number;
  readonly archive: string;
}

/** `FROM scratch` + one layer holding `rootfs`, configured, committed reproducibly and written as an OCI archive. */
export async function buildImage(config: ImageConfig, archive: string, digestFile: string): Promise<BuiltImage> {
  const container = await buildah('from', '--quiet', '--pull=never', 'scratch');
  try {
    await buildah('copy', '--quiet', container, `${config.rootfs}/`, '/');
    const settings = [
      '--user',
      config.user,
      '--workingdir',
      config.workingDir,
      '--entrypoint',
      JSON.stringify(config.entrypoint),
      '--cmd',
      '[]',
      ...Object.entries(config.env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
      ...Object.entries(config.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
      ...(config.exposedPort ? ['--port', `${config.exposedPort}/tcp`] : []),
      '--os',
      'linux',
      '--arch',
      'amd64',
    ];
    await buildah('config', ...settings, container);
    await buildah(
      'commit',
      '--quiet',
      '--format',
      'oci',
      '--timestamp',
      String(config.sourceDateEpoch),
      '--rm',
      container,
      config.reference,
    );
  } catch (error) {
    await buildah('rm', container).catch(() => undefined);
    throw error;
  }
  await buildah('push', '--quiet', '--digestfile', digestFile, config.reference, `oci-archive:${archive}`);
  const digest = (await readFile(digestFile, 'utf8')).trim();
  const { stdout } = await run('skopeo', ['inspect', '--raw', `oci-archive:${archive}`]);
  const manifest = JSON.parse(stdout) as { config: { size: number }; layers: { size: number }[] };
  const compressedBytes = manifest.config.size + manifest.layers.reduce((sum, l) => sum + l.size, 0);
  return { reference: config.reference, digest, compressedBytes, archive };
}

/** Whether buildah and skopeo are installed (Debian packages). */
export async function buildToolsPresent(): Promise<string[]> {
  const missing: string[] = [];
  for (const tool of ['buildah', 'skopeo']) {
    await run(tool, ['--version']).catch(() => missing.push(tool));
  }
  return missing;
}

/** vfs keeps a full copy per image: drop the ones a rebuild under the same name left without a name. */
export async function pruneDanglingImages(): Promise<void> {
  await buildah('rmi', '--prune').catch(() => undefined);
}
