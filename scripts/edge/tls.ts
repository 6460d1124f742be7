import { LOCAL_EDGE_DOMAIN, PUBLIC_HOSTS, publicHostName, type PublicHost } from '@scalefu/contracts';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Files of the local edge's TLS material, all under the stack's data folder (git-ignored, wiped by `--fresh`). */
export interface EdgeTlsFiles {
  /** The local CA's certificate: what a browser, curl or a test trusts. */
  readonly caCert: string;
  readonly caKey: string;
  /** The edge's leaf certificate (every public host name) and key. */
  readonly cert: string;
  readonly key: string;
}

export function edgeTlsFiles(dir: string): EdgeTlsFiles {
  return {
    caCert: path.join(dir, 'scalefu-local-ca.pem'),
    caKey: path.join(dir, 'scalefu-local-ca-key.pem'),
    cert: path.join(dir, 'edge.pem'),
    key: path.join(dir, 'edge-key.pem'),
  };
}

/** Host names the leaf certificate covers: every public host on the local domain (no wildcard: browsers dislike
 * wildcards right under a reserved name). */
export function edgeHostNames(): string[] {
  return (Object.keys(PUBLIC_HOSTS) as PublicHost[]).map((h) => publicHostName(h, LOCAL_EDGE_DOMAIN));
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** True when the leaf exists, covers every host name and is valid for at least another week. */
function leafIsUsable(files: EdgeTlsFiles): boolean {
  if (!existsSync(files.cert) || !existsSync(files.key) || !existsSync(files.caCert)) return false;
  const leaf = new X509Certificate(readFileSync(files.cert));
  const ca = new X509Certificate(readFileSync(files.caCert));
  const weekAhead = Date.now() + 7 * 24 * 3600 * 1000;
  return (
    leaf.verify(ca.publicKey) &&
    new Date(leaf.validTo).getTime() > weekAhead &&
    edgeHostNames().every((name) => leaf.checkHost(name) === name)
  );
}

/**
 * A local CA (created once per data folder, kept so a browser that trusts it keeps trusting it) and a leaf for the
 * edge's host names, signed by it; both with OpenSSL (Debian's), EC P-256. Re-issues the leaf when hosts change.
 */
export async function ensureEdgeTls(dir: string): Promise<EdgeTlsFiles> {
  const files = edgeTlsFiles(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(files.caCert) || !existsSync(files.caKey)) {
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', files.caKey]);
    openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      files.caKey,
      '-sha256',
      '-days',
      '3650',
      '-out',
      files.caCert,
      '-subj',
      '/O=ScaleFu local development/CN=ScaleFu local CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE,pathlen:0',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      // Name-constrained to the local names, so trusting it cannot vouch for any real site.
      '-addext',
      `nameConstraints=critical,permitted;DNS:.${LOCAL_EDGE_DOMAIN},permitted;DNS:${LOCAL_EDGE_DOMAIN}`,
    ]);
  }
  if (leafIsUsable(files)) return files;
  const csr = path.join(dir, 'edge.csr');
  const ext = path.join(dir, 'edge.ext');
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', files.key]);
  openssl(['req', '-new', '-key', files.key, '-out', csr, '-subj', `/CN=${LOCAL_EDGE_DOMAIN}`]);
  await writeFile(
    ext,
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=${edgeHostNames()
        .map((n) => `DNS:${n}`)
        .join(',')}`,
    ].join('\n'),
  );
  // 397 days: the longest validity browsers accept for a leaf.
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    files.caCert,
    '-CAkey',
    files.caKey,
    '-CAcreateserial',
    '-days',
    '397',
    '-sha256',
    '-extfile',
    ext,
    '-out',
    files.cert,
  ]);
  return files;
}
