/**
 * kube-apiserver, kubectl and etcd at one Kubernetes version, built from the Go module proxy (no release tarballs
 * reach this network) and cached per machine by scripts/lib/go-tool.ts.
 *
 * k8s.io/kubernetes is not meant to be required as a module: its go.mod points the 31 `k8s.io/*` staging modules at
 * `./staging/src/...`. The build module replaces each of them with the published staging module of the same release
 * (`v0.<minor>.<patch>`), read from that go.mod so the list never drifts. The version variables are set by -X so
 * `kubectl version` and `/version` tell the truth instead of `v0.0.0-master`.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { VERSIONS } from '@scalefu/contracts';
import { ensureGoTool, findGo, type EnsureOptions, type GoToolSpec } from '../go-tool';

export interface KubernetesBinaries {
  readonly kubeApiserver: string;
  readonly kubectl: string;
  readonly etcd: string;
}

/** `v1.34.4` → `v0.34.4`: the tag the staging modules carry for a Kubernetes release. */
export function stagingVersion(kubernetesVersion: string): string {
  const match = /^v1\.(\d+)\.(\d+)$/.exec(kubernetesVersion);
  if (!match) throw new Error(`Kubernetes version "${kubernetesVersion}" is not of the form v1.<minor>.<patch>`);
  return `v0.${match[1]}.${match[2]}`;
}

/** The staging module paths kubernetes' go.mod replaces with `./staging/src/<path>`. */
export function stagingModules(goMod: string): string[] {
  return [...goMod.matchAll(/^\s*(k8s\.io\/[\w.-]+)\s+=>\s+\.\/staging\/src\/\1\s*$/gm)].map((m) => m[1] as string);
}

async function downloadedGoMod(module: string, version: string): Promise<string> {
  const go = findGo();
  const json = await new Promise<string>((resolve, reject) => {
    let out = '';
    const child = spawn(go, ['mod', 'download', '-json', `${module}@${version}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`go mod download: ${out.trim()}`))));
  });
  return readFile((JSON.parse(json) as { GoMod: string }).GoMod, 'utf8');
}

/** The build spec of the three binaries for one Kubernetes version. */
export function kubernetesToolSpec(kubernetesVersion: string, etcdVersion: string = VERSIONS.etcd): GoToolSpec {
  const [major, minor] = kubernetesVersion.replace(/^v/, '').split('.');
  const versionFlags = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap((pkg) => [
    `-X ${pkg}.gitVersion=${kubernetesVersion}`,
    `-X ${pkg}.gitMajor=${major}`,
    `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`,
  ]);
  const staging = stagingVersion(kubernetesVersion);
  return {
    name: 'kubernetes',
    version: kubernetesVersion,
    require: { 'k8s.io/kubernetes': kubernetesVersion, 'go.etcd.io/etcd/server/v3': etcdVersion },
    replace: async () => {
      const modules = stagingModules(await downloadedGoMod('k8s.io/kubernetes', kubernetesVersion));
      if (modules.length < 20) throw new Error(`only ${modules.length} staging modules found in kubernetes' go.mod`);
      return Object.fromEntries(modules.map((m) => [m, `${m} ${staging}`]));
    },
    binaries: [
      { output: 'kubectl', package: 'k8s.io/kubernetes/cmd/kubectl', ldflags: versionFlags },
      { output: 'etcd', package: 'go.etcd.io/etcd/server/v3' },
      { output: 'kube-apiserver', package: 'k8s.io/kubernetes/cmd/kube-apiserver', ldflags: versionFlags },
    ],
  };
}

/** Paths of the cached binaries, built first if this machine has none for that version (~4 min on 2 idle cores). */
export async function ensureKubernetesBinaries(
  kubernetesVersion: string,
  options: EnsureOptions = {},
): Promise<KubernetesBinaries> {
  const paths = await ensureGoTool(kubernetesToolSpec(kubernetesVersion), options);
  return {
    kubeApiserver: paths['kube-apiserver'] as string,
    kubectl: paths['kubectl'] as string,
    etcd: paths['etcd'] as string,
  };
}
