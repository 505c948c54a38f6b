import { defaultActivityRetry, defineActivity } from '../../core/workflow/activity-spec';
import { codeExecutionFailure, executeInput, executeOutput } from './models';

/**
 * Activity specs of the code executor (workflow-safe; implementation in activities.ts).
 *
 * Tier 'heavy': a business-logic function is CPU and memory the worker spends itself, in a worker
 * thread of its own, so it waits behind the heavy tier's few slots instead of starving the light
 * tier's I/O. The start-to-close timeout (2 minutes) stays above CODE_EXECUTOR_TIMEOUT_MS (at most
 * 110 s); heartbeats notice a dead worker within 30 s.
 *
 * Not agentCallable itself: agents see each function as its own `business_logic` action (with its
 * schemas) in the Actions Hub, and run it through this activity.
 */
export const codeExecute = defineActivity({
  name: 'code.execute',
  description:
    'Run a registered business-logic function by its fully qualified name in a worker thread (time and memory capped, no environment), its input and output validated by its schemas',
  tier: 'heavy',
  input: executeInput,
  output: executeOutput,
  labels: ['code'],
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    nonRetryableErrorTypes: [
      ...(defaultActivityRetry.nonRetryableErrorTypes ?? []),
      'UnknownLogic',
      ...Object.values(codeExecutionFailure),
    ],
  },
});

export const codeExecutorSpecs = [codeExecute];
