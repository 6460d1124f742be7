import { TOPICS } from '@scalefu/contracts';
import { subscribe } from '@scalefu/service-kit';
import { planUserDeleted } from '../domain/cache-plan';
import { applyPlan, applyPlans, type ConsumerDeps } from './apply';

export function userDeletedConsumer(deps: ConsumerDeps) {
  return subscribe(
    TOPICS.userDeleted,
    (event, ctx) => applyPlan(deps, planUserDeleted(event.data), ctx),
    (items, ctx) =>
      applyPlans(
        deps,
        items.map((i) => planUserDeleted(i.event.data)),
        ctx,
      ),
  );
}
