/** Every ScaleFu dashboard and alert rule, for the render script, the cluster ConfigMaps and the tests. */
import type { Board } from './board';
import { business } from './boards/business';
import { kafkaPipeline } from './boards/kafka';
import { loadTestOverlay } from './boards/load-test';
import { redPerService } from './boards/red';
import { security } from './boards/security';
import { sloOverview } from './boards/slo-overview';
import { dataStores } from './boards/stores';

export { DATASOURCE, type Board } from './board';
export { CLUSTER_ONLY_METRICS } from './cluster-only';
export * from './rules';
export * from './slos';

/** The dashboards, in the order Grafana lists them. */
export function dashboards(): Board[] {
  return [sloOverview(), redPerService(), kafkaPipeline(), dataStores(), business(), security(), loadTestOverlay()];
}

/** Rendered dashboard JSON (stable key order from the SDK), one entry per dashboard uid. */
export function renderDashboards(): { uid: string; json: string }[] {
  return dashboards().map((board) => ({ uid: board.props.uid, json: `${JSON.stringify(board.build(), null, 2)}\n` }));
}
