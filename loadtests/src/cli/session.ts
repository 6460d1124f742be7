import { say } from '../../../scripts/lib/console';
import { vegetaBinary } from '../../../scripts/lib/vegeta';
import type { RunTarget } from '../run';
import { checkTargetUrl, startLoadStack } from '../target-stack';
import type { Stack } from '../../../scripts/lib/stack/stack';

/** A target to run scenarios against, and how to release it (stop the stack this command started). */
export interface LoadSession {
  readonly target: RunTarget;
  readonly vegeta: string;
  close(): Promise<void>;
}

/**
 * Either the URL given with --target (nothing started; E2E, loss and CPU then cannot be measured) or a fresh local
 * stack with the raised rate limit. Ctrl-C stops the stack at any moment.
 */
export async function openSession(args: {
  target?: string | undefined;
  adminTarget?: string | undefined;
  stack: string;
  portOffset: number;
}): Promise<LoadSession> {
  const vegeta = await vegetaBinary({ log: (line) => say.step('vegeta', line) });
  if (args.target) {
    const base = checkTargetUrl(args.target, true);
    return {
      vegeta,
      target: {
        baseUrl: base.toString().replace(/\/$/, ''),
        note: 'the --target given; this run started no stack and set no rate limit',
        ...(args.adminTarget ? { adminUrl: checkTargetUrl(args.adminTarget, true).toString() } : {}),
      },
      close: async () => undefined,
    };
  }
  let stack: Stack | undefined;
  const stop = async (code: number) => {
    stack?.supervisor.close();
    await stack?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(130));
  process.on('SIGTERM', () => void stop(143));
  const started = await startLoadStack({ name: args.stack, portOffset: args.portOffset }, (s) => (stack = s));
  say.step('load', `stack "${args.stack}" ready; public rate limit raised to ${started.target.rateLimitPerMinute}/min`);
  return { vegeta, target: started.target, close: () => started.stack.stop() };
}
