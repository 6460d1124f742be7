/**
 * Renders the Kubernetes side: `clusters/<env>/` for every environment file and the Argo CD bootstrap in `argocd/`.
 * Usage: npm run synth:k8s (or npm run synth for everything). Deterministic: no timestamps, stable order.
 */
import { resolve } from 'node:path';
import { buildCluster } from './cluster';
import { renderArgoCd } from './gitops/argocd';
import { PLATFORM_ENVIRONMENTS } from '../environments/index';
import { renderApp, writeRendered } from './render';

const started = performance.now();
const root = resolve(import.meta.dirname, '..', '..');
for (const environment of Object.values(PLATFORM_ENVIRONMENTS)) {
  const env = environment.settings.name;
  const files = renderApp(buildCluster(environment));
  writeRendered(resolve(root, 'clusters', env), files);
  const argo = await renderArgoCd(environment, files);
  writeRendered(resolve(root, 'argocd', env), argo);
  console.log(`synth:k8s ${env}: ${files.length} cluster files, ${argo.length} argocd files`);
}
console.log(`synth:k8s: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
