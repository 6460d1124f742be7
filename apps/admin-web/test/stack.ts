/**
 * The real local test stack for the browser tests: all four services as processes (short access tokens so expiry
 * tests run in seconds) behind the local HTTPS edge, which serves `apps/admin-web/out` in production's host layout.
 */
import { INFRA_PORTS, RUNTIME_ENV, SERVICE_NAMES, localEdgeOrigin } from '@scalefu/contracts';
import { ProcessSupervisor } from '../../../scripts/lib/process-supervisor';
import { stackDirs } from '../../../scripts/lib/paths';
import { startEdgeComponent, type RunningEdgeComponent } from '../../../scripts/lib/stack/edge';
import { Pipeline, serviceUrl } from '../../../test/e2e/pipeline';

const offset = Number(process.env['SCALEFU_PORT_OFFSET'] ?? 10000);
export const HTTPS_PORT = INFRA_PORTS.edgeHttps.port + offset;
export const WEB = localEdgeOrigin('web', HTTPS_PORT);

export interface WebStack {
  readonly pipeline: Pipeline;
  readonly edge: RunningEdgeComponent;
  stop(): Promise<void>;
}

export async function startWebStack(userEnv: Record<string, string> = {}): Promise<WebStack> {
  const pipeline = new Pipeline();
  const env = { [RUNTIME_ENV.corsAllowedOrigins]: WEB, [RUNTIME_ENV.publicBaseUrl]: WEB };
  for (const name of SERVICE_NAMES) await pipeline.start(name, name === 'user' ? { ...env, ...userEnv } : env);
  const dirs = stackDirs(process.env['SCALEFU_TEST_STACK_NAME'] ?? 'test');
  const edge = await startEdgeComponent(
    { dirs, supervisor: new ProcessSupervisor(dirs.root) },
    {
      httpsPort: HTTPS_PORT,
      httpPort: INFRA_PORTS.edgeHttp.port + offset,
      upstreams: { onboarder: serviceUrl('onboarder'), user: serviceUrl('user') },
    },
  );
  return {
    pipeline,
    edge,
    async stop() {
      await edge.stop();
      await pipeline.stopAll();
    },
  };
}
