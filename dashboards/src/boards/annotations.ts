import type { Board } from '../board';

/**
 * Deploy markers: Argo CD's application controller exports `argocd_app_sync_total{name,phase,…}` (a counter per
 * sync); a change in it is a sync. Scraped in the clusters through the ServiceMonitor on `argocd-metrics`.
 */
export const ARGOCD_SYNC_EXPR = 'sum by (name, phase) (changes(argocd_app_sync_total[2m])) > 0';

export function argoCdSyncs(board: Board): Board {
  return board.annotation('Argo CD syncs', ARGOCD_SYNC_EXPR, '{{name}} sync {{phase}}', 'blue');
}
