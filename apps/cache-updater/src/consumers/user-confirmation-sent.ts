import { TOPICS } from '@scalefu/contracts';
import { subscribe } from '@scalefu/service-kit';
import { planConfirmationSent } from '../domain/cache-plan';
import { applyPlan, applyPlans, type ConsumerDeps } from './apply';

export function userConfirmationSentConsumer(deps: ConsumerDeps) {
  return subscribe(
    TOPICS.confirmationSent,
    (event, ctx) => applyPlan(deps, planConfirmationSent(event.data), ctx),
    (items, ctx) =>
      applyPlans(
        deps,
        items.map((i) => planConfirmationSent(i.event.data)),
        ctx,
      ),
  );
}
