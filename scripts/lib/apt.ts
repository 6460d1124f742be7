import { $ } from 'zx';
import { StackError, say } from './console';

/** Install Debian packages when running as root; otherwise fail with the exact command to run. */
export async function aptInstall(component: string, packages: readonly string[]): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new StackError(
      component,
      `missing ${packages.join(' ')}. Install with: sudo apt-get install -y ${packages.join(' ')}`,
    );
  }
  say.step(component, `installing ${packages.join(' ')} with apt (first run only)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    $({ nothrow: true, quiet: true, env })`apt-get install -y -q --no-install-recommends ${packages}`;
  if ((await install()).exitCode === 0) return;
  await $({ nothrow: true, quiet: true, env })`apt-get update -q`;
  const retry = await install();
  if (retry.exitCode !== 0)
    throw new StackError(component, `apt-get install ${packages.join(' ')} failed:\n${retry.stderr.slice(-800)}`);
}

export async function commandExists(command: string, versionFlag = '--version'): Promise<boolean> {
  return (await $({ nothrow: true, quiet: true })`${command} ${versionFlag}`).exitCode === 0;
}
