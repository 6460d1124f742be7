import { TOPICS } from '@scalefu/contracts';
import { subscribe } from '@scalefu/service-kit';
import { planUserCreated } from '../domain/cache-plan';
import { applyPlan, applyPlans, type ConsumerDeps } from './apply';

export function userCreatedConsumer(deps: ConsumerDeps) {
  return subscribe(
    TOPICS.userCreated,
    (event, ctx) => applyPlan(deps, planUserCreated(event.data), ctx),
    (items, ctx) =>
      applyPlans(
        deps,
        items.map((i) => planUserCreated(i.event.data)),
        ctx,
      ),
  );
}
