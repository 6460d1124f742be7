import { ProjectService } from '@cdktf/provider-google/lib/project-service/index.js';
import { DataResource, TerraformDataSource, TerraformResource, dependable, type IAspect } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';

/** Google APIs the stack uses; enabling them is part of the stack so a fresh project needs no clicks. */
export const REQUIRED_APIS = [
  'artifactregistry.googleapis.com',
  'certificatemanager.googleapis.com',
  'cloudkms.googleapis.com',
  'cloudresourcemanager.googleapis.com',
  'cloudtrace.googleapis.com',
  'compute.googleapis.com',
  'container.googleapis.com',
  'dns.googleapis.com',
  'iam.googleapis.com',
  'iamcredentials.googleapis.com',
  'logging.googleapis.com',
  'monitoring.googleapis.com',
  'secretmanager.googleapis.com',
  'storage.googleapis.com',
] as const;

export interface ProjectServicesProps {
  /** Project to enable the APIs in. */
  readonly projectId: string;
  /** APIs to enable. @default REQUIRED_APIS */
  readonly apis?: readonly string[];
}

/**
 * Enables the project's APIs and makes every other resource in the stack wait for them, so the first
 * `terraform apply` on an empty project does not race "API not enabled" errors.
 */
export class ProjectServices extends Construct {
  readonly services: readonly ProjectService[];
  /** One `terraform_data` that depends on every API; everything else depends on it (one edge, not 13). */
  readonly ready: DataResource;

  constructor(scope: Construct, id: string, props: ProjectServicesProps) {
    super(scope, id);
    const apis = props.apis ?? REQUIRED_APIS;
    if (apis.length === 0) throw new Error('ProjectServices: at least one API is required');
    this.services = apis.map(
      (api) =>
        new ProjectService(this, api.split('.')[0]!, {
          project: props.projectId,
          service: api,
          // Turning an API off on destroy would break anything else in the project that uses it.
          disableOnDestroy: false,
          disableDependentServices: false,
        }),
    );
    this.ready = new DataResource(this, 'ready', { dependsOn: [...this.services] });
  }

  /** Aspect that makes every other resource and data source of the stack wait until the APIs are on. */
  dependencyAspect(): IAspect {
    const own = new Set<IConstruct>([...this.services, this.ready]);
    // `dependable` renders a bare address; Terraform's JSON depends_on rejects `${...}` interpolations.
    const ready = dependable(this.ready);
    return {
      visit(node: IConstruct) {
        if (own.has(node)) return;
        if (node instanceof TerraformResource || node instanceof TerraformDataSource) {
          const deps = node.dependsOn ?? [];
          if (!deps.includes(ready)) node.dependsOn = [...deps, ready];
        }
      },
    };
  }
}
