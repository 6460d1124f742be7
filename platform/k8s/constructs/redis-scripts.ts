import { CLUSTER_PORTS } from '@scalefu/contracts';

const { redis: REDIS_PORT, redisSentinel: SENTINEL_PORT } = CLUSTER_PORTS;

/** Where the Redis and Sentinel pods mount their cert-manager secret (`tls.crt`, `tls.key`, `ca.crt`). */
export const REDIS_TLS_DIR = '/tls';

/** `redis-cli` over TLS, verifying the server against the in-cluster CA (the password comes from REDISCLI_AUTH). */
export const REDIS_CLI_TLS = `redis-cli --tls --cacert ${REDIS_TLS_DIR}/ca.crt`;

/**
 * Config lines shared by Redis and Sentinel: TLS only (`port 0` closes the plaintext port), no client certificates
 * (clients authenticate with the password), and TLS for the links they open themselves (replication; Sentinel's
 * links to Redis and to the other Sentinels).
 */
function tlsConfig(tlsPort: number): string {
  return [
    'port 0',
    `tls-port ${tlsPort}`,
    `tls-cert-file ${REDIS_TLS_DIR}/tls.crt`,
    `tls-key-file ${REDIS_TLS_DIR}/tls.key`,
    `tls-ca-cert-file ${REDIS_TLS_DIR}/ca.crt`,
    'tls-auth-clients no',
    'tls-replication yes',
  ]
    .map((line) => `  echo "${line}"`)
    .join('\n');
}

/**
 * Start-up scripts of the Redis and Sentinel pods (upstream `redis` image, POSIX sh). They ask the Sentinels who the
 * primary is before starting, so a restarted pod-0 rejoins as a replica instead of splitting the brain.
 */
export function redisInitScript(opts: {
  headless: string;
  sentinelHost: string;
  masterSet: string;
  persistence: boolean;
  /** Memory-backed folder the config (with the password) is written to. */
  confDir: string;
}): string {
  return `#!/bin/sh
set -eu
me="$(hostname).${opts.headless}"
master=""
if answer="$(timeout 3 ${REDIS_CLI_TLS} -h ${opts.sentinelHost} -p ${SENTINEL_PORT} sentinel get-master-addr-by-name ${opts.masterSet} 2>/dev/null | head -n1)"; then
  master="$answer"
fi
if [ -z "$master" ]; then
  case "$(hostname)" in *-0) master="$me" ;; *) master="$(hostname | sed 's/-[0-9]*$/-0/').${opts.headless}" ;; esac
fi
{
${tlsConfig(REDIS_PORT)}
  echo "bind * -::*"
  echo "protected-mode no"
  echo "dir /data"
  echo "appendonly ${opts.persistence ? 'yes' : 'no'}"
  echo "save ${opts.persistence ? '900 1' : '""'}"
  echo "requirepass $REDIS_PASSWORD"
  echo "masterauth $REDIS_PASSWORD"
  echo "replica-announce-ip $me"
  if [ "$master" != "$me" ]; then echo "replicaof $master ${REDIS_PORT}"; fi
} > ${opts.confDir}/redis.conf
`;
}

export function sentinelInitScript(opts: {
  redisHeadless: string;
  sentinelHeadless: string;
  sentinelHost: string;
  masterSet: string;
  redisStatefulSet: string;
  quorum: number;
  /** Memory-backed folder the config (with the password) is written to; Sentinel rewrites it there too. */
  confDir: string;
}): string {
  return `#!/bin/sh
set -eu
me="$(hostname).${opts.sentinelHeadless}"
master=""
if answer="$(timeout 3 ${REDIS_CLI_TLS} -h ${opts.sentinelHost} -p ${SENTINEL_PORT} sentinel get-master-addr-by-name ${opts.masterSet} 2>/dev/null | head -n1)"; then
  master="$answer"
fi
[ -n "$master" ] || master="${opts.redisStatefulSet}-0.${opts.redisHeadless}"
{
${tlsConfig(SENTINEL_PORT)}
  echo "dir ${opts.confDir}"
  echo "sentinel resolve-hostnames yes"
  echo "sentinel announce-hostnames yes"
  echo "sentinel announce-ip $me"
  echo "sentinel monitor ${opts.masterSet} $master ${REDIS_PORT} ${opts.quorum}"
  echo "sentinel auth-pass ${opts.masterSet} $REDIS_PASSWORD"
  echo "sentinel down-after-milliseconds ${opts.masterSet} 5000"
  echo "sentinel failover-timeout ${opts.masterSet} 60000"
  echo "sentinel parallel-syncs ${opts.masterSet} 1"
} > ${opts.confDir}/sentinel.conf
`;
}

/**
 * Certificate renewal. cert-manager renews the certificate in the Secret and the kubelet swaps the mounted files, but
 * Redis and Sentinel read them at start only. So each container records the certificate it started with; Redis reloads
 * in place when the mounted one differs (`CONFIG SET` of a TLS file re-reads it, even under the same path), Sentinel
 * (which has no such command) is restarted by its liveness probe.
 */
export const tlsRenewal = {
  /** The container's command: record the certificate, then run `command` as PID 1. */
  start(confDir: string, command: string): string[] {
    return ['sh', '-c', `cp ${REDIS_TLS_DIR}/tls.crt ${confDir}/tls-loaded.crt && exec ${command}`];
  },
  /** True while the mounted certificate is the one the process loaded. */
  unchanged(confDir: string): string {
    return `cmp -s ${REDIS_TLS_DIR}/tls.crt ${confDir}/tls-loaded.crt`;
  },
  /**
   * Reload a renewed certificate into the running Redis. The copy is taken before the reload: if the files change in
   * between, the record is older than what was loaded and the next run reloads once more (never the reverse).
   */
  reloadRedis(confDir: string, port: number): string {
    const set = `tls-cert-file ${REDIS_TLS_DIR}/tls.crt tls-key-file ${REDIS_TLS_DIR}/tls.key tls-ca-cert-file ${REDIS_TLS_DIR}/ca.crt`;
    return (
      `${tlsRenewal.unchanged(confDir)} || { cp ${REDIS_TLS_DIR}/tls.crt ${confDir}/tls-next.crt && ` +
      `${REDIS_CLI_TLS} -h localhost -p ${port} config set ${set} | grep -q OK && ` +
      `mv ${confDir}/tls-next.crt ${confDir}/tls-loaded.crt; }`
    );
  },
};
