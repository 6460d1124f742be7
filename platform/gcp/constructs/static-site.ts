import { ComputeBackendBucket } from '@cdktf/provider-google/lib/compute-backend-bucket/index.js';
import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address/index.js';
import { ComputeGlobalForwardingRule } from '@cdktf/provider-google/lib/compute-global-forwarding-rule/index.js';
import { ComputeManagedSslCertificate } from '@cdktf/provider-google/lib/compute-managed-ssl-certificate/index.js';
import { ComputeSslPolicy } from '@cdktf/provider-google/lib/compute-ssl-policy/index.js';
import { ComputeTargetHttpProxy } from '@cdktf/provider-google/lib/compute-target-http-proxy/index.js';
import { ComputeTargetHttpsProxy } from '@cdktf/provider-google/lib/compute-target-https-proxy/index.js';
import { ComputeUrlMap } from '@cdktf/provider-google/lib/compute-url-map/index.js';
import { ProjectIamCustomRole } from '@cdktf/provider-google/lib/project-iam-custom-role/index.js';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket/index.js';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member/index.js';
import { Construct } from 'constructs';

/** Security headers the CDN adds to every response of the admin web. */
const RESPONSE_HEADERS = [
  'Strict-Transport-Security: max-age=31536000; includeSubDomains',
  'X-Content-Type-Options: nosniff',
  'X-Frame-Options: DENY',
  'Referrer-Policy: strict-origin-when-cross-origin',
];

export interface StaticSiteProps {
  /** Resource name prefix, e.g. `scalefu-dev-web`. */
  readonly prefix: string;
  /** Project id (the public-read custom role lives there). */
  readonly projectId: string;
  /** Bucket holding the static export (from `namesOf(env).buckets`). */
  readonly bucketName: string;
  /** Bucket location. */
  readonly location: string;
  /** Public host name served (the managed certificate covers exactly it). */
  readonly host: string;
  /** Global static IP name (from `gcpOutputsOf(env)`). */
  readonly addressName: string;
  /** Let `terraform destroy` delete a non-empty bucket. @default false */
  readonly forceDestroy?: boolean;
  /** Seconds the CDN keeps an object without Cache-Control. @default 3600 */
  readonly defaultTtlSec?: number;
}

/**
 * The admin web SPA: a GCS bucket behind Cloud CDN and a global external HTTPS load balancer with a
 * Google-managed certificate. Unknown paths serve `/index.html` with 200 so client-side routes deep-link;
 * plain HTTP is redirected to HTTPS.
 */
export class StaticSite extends Construct {
  readonly bucket: StorageBucket;
  readonly backendBucket: ComputeBackendBucket;
  readonly address: ComputeGlobalAddress;
  readonly urlMap: ComputeUrlMap;

  constructor(scope: Construct, id: string, props: StaticSiteProps) {
    super(scope, id);
    validate(props);
    const { prefix } = props;

    this.bucket = new StorageBucket(this, 'bucket', {
      name: props.bucketName,
      location: props.location,
      uniformBucketLevelAccess: true,
      // Public by design (the SPA is public); 'inherited' lets the one allUsers grant below take effect.
      publicAccessPrevention: 'inherited',
      website: { mainPageSuffix: 'index.html', notFoundPage: 'index.html' },
      versioning: { enabled: true },
      lifecycleRule: [
        { action: { type: 'Delete' }, condition: { daysSinceNoncurrentTime: 30, withState: 'ARCHIVED' } },
      ],
      forceDestroy: props.forceDestroy ?? false,
    });
    // objectViewer would also let anyone list the bucket; the site needs only object reads.
    const reader = new ProjectIamCustomRole(this, 'public-object-reader', {
      project: props.projectId,
      roleId: 'scalefuPublicObjectReader',
      title: 'ScaleFu public object reader',
      description: 'Read objects, nothing else (no list): public SPA assets',
      permissions: ['storage.objects.get'],
    });
    new StorageBucketIamMember(this, 'public-read', { bucket: this.bucket.name, role: reader.id, member: 'allUsers' });

    this.backendBucket = new ComputeBackendBucket(this, 'backend', {
      name: `${prefix}-bucket`,
      bucketName: this.bucket.name,
      enableCdn: true,
      compressionMode: 'AUTOMATIC',
      customResponseHeaders: RESPONSE_HEADERS,
      cdnPolicy: {
        // Honours Cache-Control from the upload (index.html: no-cache; hashed assets: immutable).
        cacheMode: 'CACHE_ALL_STATIC',
        defaultTtl: props.defaultTtlSec ?? 3600,
        clientTtl: props.defaultTtlSec ?? 3600,
        maxTtl: 86_400,
        negativeCaching: true,
        serveWhileStale: 86_400,
        requestCoalescing: true,
      },
    });

    this.address = new ComputeGlobalAddress(this, 'ip', {
      name: props.addressName,
      addressType: 'EXTERNAL',
      ipVersion: 'IPV4',
    });
    const certificate = new ComputeManagedSslCertificate(this, 'cert', {
      name: `${prefix}-cert`,
      managed: { domains: [props.host] },
    });
    const tls = new ComputeSslPolicy(this, 'tls', {
      name: `${prefix}-tls`,
      profile: 'MODERN',
      minTlsVersion: 'TLS_1_2',
    });

    this.urlMap = new ComputeUrlMap(this, 'https-map', {
      name: `${prefix}-https`,
      defaultService: this.backendBucket.id,
      // SPA fallback: GCS answers 404 (or 403 without list permission) for a client-side route.
      defaultCustomErrorResponsePolicy: {
        errorService: this.backendBucket.id,
        errorResponseRule: [{ matchResponseCodes: ['403', '404'], path: '/index.html', overrideResponseCode: 200 }],
      },
    });
    const httpsProxy = new ComputeTargetHttpsProxy(this, 'https-proxy', {
      name: `${prefix}-https`,
      urlMap: this.urlMap.id,
      sslCertificates: [certificate.id],
      sslPolicy: tls.id,
    });
    new ComputeGlobalForwardingRule(this, 'https-rule', {
      name: `${prefix}-https`,
      target: httpsProxy.id,
      ipAddress: this.address.id,
      ipProtocol: 'TCP',
      portRange: '443',
      // The current global external Application LB; custom error responses need it (classic lacks them).
      loadBalancingScheme: 'EXTERNAL_MANAGED',
    });

    const redirectMap = new ComputeUrlMap(this, 'http-redirect-map', {
      name: `${prefix}-http-redirect`,
      defaultUrlRedirect: { httpsRedirect: true, stripQuery: false, redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT' },
    });
    const httpProxy = new ComputeTargetHttpProxy(this, 'http-proxy', {
      name: `${prefix}-http`,
      urlMap: redirectMap.id,
    });
    new ComputeGlobalForwardingRule(this, 'http-rule', {
      name: `${prefix}-http`,
      target: httpProxy.id,
      ipAddress: this.address.id,
      ipProtocol: 'TCP',
      portRange: '80',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
    });
  }
}

function validate(props: StaticSiteProps): void {
  if (!/^[a-z0-9][-a-z0-9_.]{1,61}[a-z0-9]$/.test(props.bucketName)) {
    throw new Error(`StaticSite: "${props.bucketName}" is not a valid bucket name`);
  }
  if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/.test(props.host)) {
    throw new Error(`StaticSite: "${props.host}" is not a fully qualified host name`);
  }
  if (!/^[a-z]([-a-z0-9]{0,40}[a-z0-9])?$/.test(props.prefix)) {
    throw new Error(`StaticSite: prefix "${props.prefix}" must be a short lower-case name`);
  }
}
