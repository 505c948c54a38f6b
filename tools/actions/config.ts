import { z } from 'zod';
import { positiveInt } from '../../core/config-fields';

/**
 * Limits of the `agent` workflow, as a zod shape merged into `configShape` (config/index.ts). The
 * worker hands them to each agent run through the `actions.agentSettings` activity (workflows
 * cannot read config), so a run's input can lower them but never raise them.
 */

export const agentConfigShape = {
  AGENT_MAX_TOKENS: positiveInt
    .default(200_000)
    .describe(
      'default LLM token budget of an agent run (input + output, children included); a run may ask for less',
    ),
  AGENT_MAX_COST_USD: z.coerce
    .number()
    .positive()
    .default(1)
    .describe('default LLM budget of an agent run in USD; a run may ask for less'),
  AGENT_MAX_TOOL_CALLS_PER_REPLY: positiveInt
    .max(20)
    .default(5)
    .describe('most tool calls an agent runs from one model reply; the rest are refused with a tool message'),
  AGENT_CONTEXT_CHARS: positiveInt
    .min(4_000)
    .default(40_000)
    .describe(
      'most characters of conversation sent with each agent model call: the system prompt, the request and the latest steps',
    ),
  AGENT_CONTINUE_AS_NEW_EVENTS: positiveInt
    .min(20)
    .default(2_000)
    .describe(
      'history events after which an agent run continues as a new run (sooner when Temporal suggests it)',
    ),
} as const;
export type AgentConfig = z.output<z.ZodObject<typeof agentConfigShape>>;
