import { DnsManagedZone } from '@cdktf/provider-google/lib/dns-managed-zone/index.js';
import { DnsRecordSet } from '@cdktf/provider-google/lib/dns-record-set/index.js';
import { Construct } from 'constructs';

export interface DnsProps {
  /** Managed zone name (from `gcpOutputsOf(env)`). */
  readonly zoneName: string;
  /** Zone apex, without the trailing dot. */
  readonly domain: string;
  /** A records: host (inside `domain`) to IPv4 address (usually a token of a static IP). */
  readonly aRecords: Readonly<Record<string, string>>;
  /** CAs allowed to issue for the zone (CAA). @default ['pki.goog', 'letsencrypt.org'] */
  readonly caaIssuers?: readonly string[];
  /** Record TTL in seconds. @default 300 */
  readonly ttl?: number;
}

/**
 * Public Cloud DNS zone with DNSSEC, the hosts' A records, and a CAA record limiting certificates to
 * Google-managed (load balancer) and Let's Encrypt (cert-manager) issuance. Delegation from the parent
 * zone (NS records at the registrar) is out of band; the stack outputs the name servers.
 */
export class Dns extends Construct {
  readonly zone: DnsManagedZone;

  constructor(scope: Construct, id: string, props: DnsProps) {
    super(scope, id);
    const ttl = props.ttl ?? 300;
    const hosts = Object.keys(props.aRecords);
    if (hosts.length === 0) throw new Error('Dns: no records given');
    for (const host of hosts) {
      if (host !== props.domain && !host.endsWith(`.${props.domain}`)) {
        throw new Error(`Dns: host ${host} is not inside zone ${props.domain}`);
      }
    }
    this.zone = new DnsManagedZone(this, 'zone', {
      name: props.zoneName,
      dnsName: `${props.domain}.`,
      description: `ScaleFu public zone ${props.domain}`,
      visibility: 'public',
      dnssecConfig: { state: 'on' },
    });
    for (const [host, ip] of Object.entries(props.aRecords)) {
      new DnsRecordSet(this, `a-${host}`, {
        managedZone: this.zone.name,
        name: `${host}.`,
        type: 'A',
        ttl,
        rrdatas: [ip],
      });
    }
    new DnsRecordSet(this, 'caa', {
      managedZone: this.zone.name,
      name: `${props.domain}.`,
      type: 'CAA',
      ttl: 3600,
      rrdatas: (props.caaIssuers ?? ['pki.goog', 'letsencrypt.org']).map((ca) => `0 issue "${ca}"`),
    });
  }
}
