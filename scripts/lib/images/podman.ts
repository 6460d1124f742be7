import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { IMAGE_USER } from '@scalefu/contracts';
import type { ManagedProcess } from '../managed-process';
import type { ProcessSupervisor } from '../process-supervisor';

const run = promisify(execFile);

/**
 * podman as it works on these machines: vfs storage (shared with buildah), runc (crun refuses the hybrid cgroup
 * layout here), and explicit ulimits (the defaults exceed what an unprivileged sandbox may set).
 */
const PODMAN = ['--storage-driver', 'vfs', '--runtime', 'runc'];
const ULIMITS = ['--ulimit', 'nofile=20000:20000', '--ulimit', 'nproc=4096:4096'];

export interface ContainerOptions {
  readonly name: string;
  readonly image: string;
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
}

/**
 * Run an image as the clusters do — its own uid/gid, read-only root filesystem, all capabilities dropped, no new
 * privileges, a small writable /tmp — on the host network so it reaches the local stack on loopback. In the
 * foreground under the supervisor, so a stop of the stack stops the container too (podman proxies the signal).
 */
export function runContainer(supervisor: ProcessSupervisor, options: ContainerOptions): ManagedProcess {
  return supervisor.spawn({
    name: options.name,
    command: 'podman',
    args: [
      ...PODMAN,
      'run',
      '--rm',
      '--replace',
      '--name',
      options.name,
      '--network',
      'host',
      '--read-only',
      '--tmpfs',
      '/tmp:rw,size=16m,mode=1777',
      '--user',
      `${IMAGE_USER.uid}:${IMAGE_USER.gid}`,
      '--cap-drop',
      'ALL',
      '--security-opt',
      'no-new-privileges',
      ...ULIMITS,
      ...Object.entries(options.env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
      options.image,
    ],
    logFile: options.logFile,
    stopTimeoutSeconds: 20,
  });
}

/** Remove a container by name whatever its state (a run that was SIGKILLed leaves it behind). */
export async function removeContainer(name: string): Promise<void> {
  await run('podman', [...PODMAN, 'rm', '--force', '--ignore', name]).catch(() => undefined);
}
