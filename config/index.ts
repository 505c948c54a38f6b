import { z } from 'zod';
import { approvalsConfigShape, requireVoteKeysInProduction } from '../approvals/config';
import { botConfigShape } from '../bot/config';
import { coreConfigShape } from '../core/config';
import { parseEnvironment } from '../core/parse-environment';
import { agentConfigShape } from '../tools/actions/config';
import { codeExecutorConfigShape } from '../tools/code-executor/config';
import { documentsToolConfigShape } from '../tools/documents/config';
import { postgresToolConfigShape } from '../tools/postgres/config';
import { repositoryConfigShape } from '../tools/repository/config';
import { llmConfigShape, requireBothLangfuseKeys } from '../tools/llm/config';

/**
 * Every setting Pantheon reads, listed once: core's and each feature's, which describe their own
 * keys next to their code. Each key's description is the message a user sees when it is missing
 * or malformed, and `.env.example` lists the same keys (a unit test checks). The apps (bot,
 * worker, CLI) parse it where they start; features take only their own part.
 */
export const configShape = {
  ...coreConfigShape,
  ...botConfigShape,
  ...approvalsConfigShape,
  ...llmConfigShape,
  ...agentConfigShape,
  ...postgresToolConfigShape,
  ...repositoryConfigShape,
  ...codeExecutorConfigShape,
  ...documentsToolConfigShape,
} as const;

export const configSchema = z
  .object(configShape)
  .superRefine(requireBothLangfuseKeys)
  .superRefine(requireVoteKeysInProduction);
export type Config = z.output<typeof configSchema>;
export type ConfigKey = keyof typeof configShape;

/** Parse the environment once. Throws one line naming the first bad variable and what it expects. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnvironment(configShape, configSchema, env);
}
