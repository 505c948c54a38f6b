import { z } from 'zod';
import { positiveInt } from '../core/config-fields';

/**
 * The bot's own settings, in core/config.ts's style; config/index.ts merges the shape into the full list. Each
 * description is the message a user sees when the value is malformed.
 */
const reactionList = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((name) => name.trim().replace(/^:|:$/g, ''))
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[a-z0-9_+'-]+$/)).min(1));

export const botConfigShape = {
  SLACK_FEEDBACK_POSITIVE: reactionList
    .default(['+1', 'thumbsup'])
    .describe(
      'comma-separated reaction names (no colons) that count as positive feedback on a run, e.g. +1,tada',
    ),
  SLACK_FEEDBACK_NEGATIVE: reactionList
    .default(['-1', 'thumbsdown'])
    .describe(
      'comma-separated reaction names (no colons) that count as negative feedback on a run, e.g. -1,disappointed',
    ),
  BOT_TEMPORAL_TIMEOUT_MS: positiveInt
    .default(2000)
    .describe(
      'ms the bot waits for Temporal before telling the user it cannot be reached (keep it under Slack’s 3 s)',
    ),
  SLACK_USERGROUP_CACHE_SECONDS: positiveInt
    .default(60)
    .describe(
      'seconds Slack user group members and user profiles (workspace, guest) are cached for access checks',
    ),
} as const;

export const botConfigSchema = z.object(botConfigShape);
export type BotConfig = z.output<typeof botConfigSchema>;
