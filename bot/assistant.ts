import type { KnownBlock } from '@slack/types';
import type { Config } from '../config';
import type { WorkflowDefinition } from '../core/workflow/workflow-definition';
import type { StartedRun } from '../core/runs';
import { section } from '../tools/slack/blocks/kit';
import { agentRequestMaxChars } from '../workflows/agent';

/** A mention that is not a `run`: what the person wrote and where to answer. */
export interface AssistantRequest {
  readonly text: string;
  readonly user: string;
  readonly channel: string;
  readonly threadTs: string;
  /** The workflows this person may run here. */
  readonly workflows: readonly WorkflowDefinition[];
}

export interface AssistantTools {
  /** Answers in the mention's thread. */
  readonly reply: (message: { text: string; blocks?: KnownBlock[] }) => Promise<void>;
  /** Starts a run for this mention (idempotent per event) that reports in the mention's thread. */
  readonly start: (workflow: string, input: unknown) => Promise<StartedRun>;
}

/** The hook the AI agent will replace: it gets every mention that is not a `run` command. */
export type Assistant = (request: AssistantRequest, tools: AssistantTools) => Promise<void>;

/** For now: a friendly answer listing what Pantheon can do for this person. */
export const helpfulAssistant: Assistant = async ({ user, workflows }, { reply }) => {
  const runnable = workflows.length
    ? workflows.map((w) => `• \`${w.name}\` — ${w.description}`).join('\n')
    : '_There is no workflow you may run here yet._';
  const example = workflows[0]
    ? `@pantheon run ${workflows[0].name}${workflows[0].example ? ` ${workflows[0].example}` : ''}`
    : '@pantheon run <workflow> key=value';
  const text =
    `Hi <@${user}>! I run workflows and report their progress in a thread. Here is what you can run:\n${runnable}\n\n` +
    `Start one with \`${example}\` here, or \`/pantheon run <workflow>\` anywhere (missing inputs open a form). ` +
    '`/pantheon help <workflow>` shows its inputs; `/pantheon status` your recent runs.';
  await reply({ text, blocks: [section(text)] });
};

/** With a model provider configured, a mention becomes a run of the `agent` workflow in its thread. */
export const agentAssistant: Assistant = async ({ text, user, workflows }, { start, reply }) => {
  if (!workflows.some((w) => w.name === 'agent')) {
    await reply({ text: `Sorry <@${user}>, you may not run the agent here.` });
    return;
  }
  if (text.length > agentRequestMaxChars) {
    await reply({
      text: `Sorry <@${user}>, your message is ${text.length} characters; the agent takes at most ${agentRequestMaxChars}. Shorten it and mention me again.`,
    });
    return;
  }
  await start('agent', { request: text, user: `slack:${user}` });
};

/** The agent when an LLM provider is configured; otherwise the helpful list, and what to set. */
export function assistantFor(
  config: Pick<Config, 'OPENAI_API_KEY' | 'ANTHROPIC_API_KEY' | 'OPENAI_COMPATIBLE_BASE_URL'>,
): Assistant {
  if (config.OPENAI_API_KEY || config.ANTHROPIC_API_KEY || config.OPENAI_COMPATIBLE_BASE_URL)
    return agentAssistant;
  return async (request, tools) => {
    await helpfulAssistant(request, tools);
    await tools.reply({
      text: 'To ask me anything in plain words, an operator sets OPENAI_API_KEY, ANTHROPIC_API_KEY or OPENAI_COMPATIBLE_BASE_URL for Pantheon.',
    });
  };
}
