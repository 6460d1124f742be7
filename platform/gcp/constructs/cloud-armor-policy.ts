import { ComputeSecurityPolicy } from '@cdktf/provider-google/lib/compute-security-policy/index.js';
import { Construct } from 'constructs';

/** OWASP CRS 3.3 rule sets Cloud Armor evaluates; picked for a Node.js JSON API (no PHP/Java sets). */
export const DEFAULT_WAF_RULE_SETS = [
  'sqli-v33-stable',
  'xss-v33-stable',
  'lfi-v33-stable',
  'rfi-v33-stable',
  'rce-v33-stable',
  'methodenforcement-v33-stable',
  'scannerdetection-v33-stable',
  'protocolattack-v33-stable',
  'sessionfixation-v33-stable',
  'nodejs-v33-stable',
] as const;

/** Interval lengths Cloud Armor accepts for rate limits. */
const ALLOWED_INTERVALS = [10, 30, 60, 120, 180, 240, 300, 600, 900, 1200, 1800, 2700, 3600];

const MATCH_ALL = { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } };
const DEFAULT_RULE_PRIORITY = 2147483647;

export interface CloudArmorPolicyProps {
  /** Policy name; the GKE Gateway's GCPBackendPolicy refers to it. */
  readonly name: string;
  /** Requests one client IP may send per interval before getting 429. */
  readonly rateLimitCount: number;
  /** Interval of the rate limit in seconds (one of Cloud Armor's allowed values). */
  readonly rateLimitIntervalSec: number;
  /** Preconfigured WAF rule sets to deny on. @default DEFAULT_WAF_RULE_SETS */
  readonly wafRuleSets?: readonly string[];
  /** CRS paranoia level 1-4; 1 has the fewest false positives. @default 1 */
  readonly wafSensitivity?: number;
  /** Log matches without enforcing (tuning a new rule set). @default false */
  readonly preview?: boolean;
}

/**
 * Cloud Armor policy for the API backends: OWASP rules first (a deny wins before anything is let
 * through), then a per-client-IP throttle, then allow. The throttle is keyed on `IP`, the address that
 * connected to Google's front end, because the first X-Forwarded-For entry is whatever the client wrote.
 */
export class CloudArmorPolicy extends Construct {
  readonly policy: ComputeSecurityPolicy;

  constructor(scope: Construct, id: string, props: CloudArmorPolicyProps) {
    super(scope, id);
    const ruleSets = props.wafRuleSets ?? DEFAULT_WAF_RULE_SETS;
    const sensitivity = props.wafSensitivity ?? 1;
    validate(props, ruleSets, sensitivity);
    const preview = props.preview ?? false;

    this.policy = new ComputeSecurityPolicy(this, 'policy', {
      name: props.name,
      type: 'CLOUD_ARMOR',
      description: 'ScaleFu API: OWASP CRS + per-client-IP rate limit',
      // Parse JSON bodies so the WAF inspects fields, not one opaque string (fewer false positives).
      advancedOptionsConfig: { jsonParsing: 'STANDARD', logLevel: 'NORMAL' },
      adaptiveProtectionConfig: { layer7DdosDefenseConfig: { enable: true } },
      rule: [
        ...ruleSets.map((set, i) => ({
          priority: 1000 + i,
          action: 'deny(403)',
          preview,
          description: `OWASP CRS ${set}`,
          match: { expr: { expression: `evaluatePreconfiguredWaf('${set}', {'sensitivity': ${sensitivity}})` } },
        })),
        {
          priority: 2000,
          action: 'throttle',
          preview,
          description: `at most ${props.rateLimitCount} requests per ${props.rateLimitIntervalSec}s per client IP`,
          match: MATCH_ALL,
          rateLimitOptions: {
            enforceOnKey: 'IP',
            conformAction: 'allow',
            exceedAction: 'deny(429)',
            rateLimitThreshold: { count: props.rateLimitCount, intervalSec: props.rateLimitIntervalSec },
          },
        },
        { priority: DEFAULT_RULE_PRIORITY, action: 'allow', description: 'default: allow', match: MATCH_ALL },
      ],
    });
  }

  /** Name the Kubernetes side puts in `GCPBackendPolicy.spec.default.securityPolicy`. */
  get policyName(): string {
    return this.policy.name;
  }
}

function validate(props: CloudArmorPolicyProps, ruleSets: readonly string[], sensitivity: number): void {
  if (!/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(props.name)) {
    throw new Error(`CloudArmorPolicy: "${props.name}" is not a valid policy name`);
  }
  if (!Number.isInteger(props.rateLimitCount) || props.rateLimitCount < 1) {
    throw new Error(`CloudArmorPolicy: rateLimitCount ${props.rateLimitCount} must be a positive integer`);
  }
  if (!ALLOWED_INTERVALS.includes(props.rateLimitIntervalSec)) {
    throw new Error(
      `CloudArmorPolicy: rateLimitIntervalSec ${props.rateLimitIntervalSec} must be one of ${ALLOWED_INTERVALS.join(', ')}`,
    );
  }
  if (ruleSets.length === 0) throw new Error('CloudArmorPolicy: at least one WAF rule set is required');
  if (ruleSets.length >= 1000) throw new Error('CloudArmorPolicy: too many WAF rule sets for priorities 1000-1999');
  if (![1, 2, 3, 4].includes(sensitivity))
    throw new Error(`CloudArmorPolicy: wafSensitivity ${sensitivity} must be 1-4`);
}
