/**
 * A throw-away Kubernetes control plane on loopback: etcd (fresh data dir, no fsync) and kube-apiserver with a static
 * admin token, RBAC, a generated service-account key pair and a self-signed serving certificate. No controllers and no
 * kubelet run, so it exercises exactly what a sync meets first: admission (Pod Security, namespace lifecycle),
 * validation (schemas, CEL rules, strict fields) and defaulting.
 *
 * Stopping waits for both PIDs to exit (a graceful stop takes ~4 s) so the ports are free for the next server.
 */
import { randomBytes, generateKeyPairSync } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { INFRA_PORTS } from '@scalefu/contracts';
import { StackError, say } from '../console';
import { ManagedProcess } from '../managed-process';
import { assertPortFree, waitUntil } from '../ports';
import type { KubernetesBinaries } from './binaries';
import { KubeClient } from './client';

export interface ApiServerOptions {
  /** The built binaries (see `ensureKubernetesBinaries`). */
  readonly binaries: KubernetesBinaries;
  /** Folder for data, certificates, kubeconfig and logs; wiped first. */
  readonly dir: string;
  /** Added to the default ports of the API server and etcd (6443, 2379, 2380); a busy one is swapped. @default 0 */
  readonly portOffset?: number;
  /** Where port fallbacks are reported. @default a warning line on stdout */
  readonly log?: (line: string) => void;
  /** Seconds to wait for `/readyz`. @default 90 */
  readonly readyTimeoutSeconds?: number;
}

export interface ApiServer {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** A kubeconfig for the built kubectl (admin, CA pinned). */
  readonly kubeconfig: string;
  readonly client: KubeClient;
  /** PIDs of etcd and kube-apiserver. */
  readonly pids: readonly number[];
  /** Stop both processes and wait until they are gone. */
  stop(): Promise<void>;
}

export function apiServerPorts(offset = 0, env: NodeJS.ProcessEnv = process.env) {
  const port = (spec: { port: number; env: string }) => Number(env[spec.env] ?? spec.port + offset);
  return {
    apiServer: port(INFRA_PORTS.kubeApiserver),
    etcd: port(INFRA_PORTS.etcd),
    etcdPeer: port(INFRA_PORTS.etcdPeer),
  };
}

/**
 * The port to listen on. An explicitly set variable must be free. Otherwise the derived port is preferred, but nobody
 * needs to reach this server at a fixed address, so a busy one is traded for a port the kernel picks: ports above
 * 32767 are in Linux's ephemeral range, where any outgoing connection (or its TIME_WAIT) can hold them for a while.
 */
async function choosePort(component: string, preferred: number, envVar: string, log: (line: string) => void) {
  if (process.env[envVar]) {
    await assertPortFree(component, preferred, envVar);
    return preferred;
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await isFree(preferred)) return preferred;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const port = await new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
  log(`${component}: port ${preferred} is busy, using ${port} (set ${envVar} to insist on one)`);
  return port;
}

async function isFree(port: number): Promise<boolean> {
  try {
    await assertPortFree('probe', port, 'probe');
    return true;
  } catch {
    return false;
  }
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const preferred = apiServerPorts(options.portOffset ?? 0);
  const log = options.log ?? ((line: string) => say.warn('cluster-check', line));
  const ports = {
    apiServer: await choosePort('kube-apiserver', preferred.apiServer, INFRA_PORTS.kubeApiserver.env, log),
    etcd: await choosePort('etcd', preferred.etcd, INFRA_PORTS.etcd.env, log),
    etcdPeer: await choosePort('etcd peer', preferred.etcdPeer, INFRA_PORTS.etcdPeer.env, log),
  };

  const dir = options.dir;
  await rm(dir, { recursive: true, force: true });
  const certDir = path.join(dir, 'certs');
  await mkdir(certDir, { recursive: true });
  const token = randomBytes(24).toString('hex');
  await writeFile(path.join(dir, 'tokens.csv'), `${token},scalefu-check,scalefu-check,"system:masters"\n`, {
    mode: 0o600,
  });
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  await writeFile(path.join(certDir, 'sa.pub'), publicKey);
  await writeFile(path.join(certDir, 'sa.key'), privateKey, { mode: 0o600 });

  const etcdUrl = `http://127.0.0.1:${ports.etcd}`;
  const peerUrl = `http://127.0.0.1:${ports.etcdPeer}`;
  const processes: ManagedProcess[] = [];
  const stop = async () => {
    // API server first (it holds etcd connections), then etcd; each stop waits for the process to exit.
    for (const p of [...processes].reverse()) await p.stop();
  };
  try {
    const etcd = new ManagedProcess({
      name: 'etcd',
      command: options.binaries.etcd,
      args: [
        '--name=check',
        `--data-dir=${path.join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=check=${peerUrl}`,
        '--unsafe-no-fsync', // throw-away data: durability buys nothing here
        '--log-level=warn',
      ],
      logFile: path.join(dir, 'etcd.log'),
      stopTimeoutSeconds: 10,
    });
    processes.push(etcd);
    const apiServer = new ManagedProcess({
      name: 'kube-apiserver',
      command: options.binaries.kubeApiserver,
      args: [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${ports.apiServer}`,
        `--cert-dir=${certDir}`,
        `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
        '--authorization-mode=RBAC',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${path.join(certDir, 'sa.pub')}`,
        `--service-account-signing-key-file=${path.join(certDir, 'sa.key')}`,
        '--service-cluster-ip-range=10.96.0.0/16',
        // Nothing runs behind the `kubernetes` Service, and one client needs no fairness queues.
        '--endpoint-reconciler-type=none',
        '--enable-priority-and-fairness=false',
        '--profiling=false',
      ],
      logFile: path.join(dir, 'kube-apiserver.log'),
      stopTimeoutSeconds: 20,
    });
    processes.push(apiServer);

    const url = `https://127.0.0.1:${ports.apiServer}`;
    let client: KubeClient | undefined;
    await waitUntil(
      'kube-apiserver',
      `GET ${url}/readyz`,
      async () => {
        const ca = await readFile(path.join(certDir, 'apiserver.crt'), 'utf8');
        client ??= new KubeClient({ url, token, ca });
        const response = await client.request('GET', '/readyz');
        if (response.status !== 200) throw new Error(`readyz ${response.status}: ${response.text.slice(0, 300)}`);
      },
      {
        timeoutMs: (options.readyTimeoutSeconds ?? 90) * 1000,
        alive: () => etcd.isAlive() && apiServer.isAlive(),
        intervalMs: 300,
      },
    ).catch((error: Error) => {
      const dead = processes.find((p) => !p.isAlive());
      const tail = dead ? `\n${dead.options.name} (${dead.describeExit()}):\n${dead.tail(20)}` : '';
      throw new StackError('kube-apiserver', `${error.message}${tail}`);
    });

    const kubeconfig = path.join(dir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: check\n  cluster:\n    server: ${url}\n    certificate-authority: ${path.join(certDir, 'apiserver.crt')}`,
        'users:',
        `- name: admin\n  user:\n    token: ${token}`,
        'contexts:',
        '- name: check\n  context:\n    cluster: check\n    user: admin',
        'current-context: check',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    return { url, kubeconfig, client: client as KubeClient, pids: processes.map((p) => p.pid), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
