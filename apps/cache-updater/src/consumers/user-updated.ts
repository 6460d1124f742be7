import { TOPICS } from '@scalefu/contracts';
import { subscribe } from '@scalefu/service-kit';
import { planUserUpdated } from '../domain/cache-plan';
import { applyPlan, applyPlans, type ConsumerDeps } from './apply';

export function userUpdatedConsumer(deps: ConsumerDeps) {
  return subscribe(
    TOPICS.userUpdated,
    (event, ctx) => applyPlan(deps, planUserUpdated(event.data), ctx),
    (items, ctx) =>
      applyPlans(
        deps,
        items.map((i) => planUserUpdated(i.event.data)),
        ctx,
      ),
  );
}
