import { PantheonError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { Reply } from './commands/context';
import { textMessage } from '../tools/slack/blocks/kit';
import { TemporalUnavailableError } from './runs/temporal';

/** What to tell a person when their request failed: the cause if it is theirs to fix, else a clear "not you". */
export function errorReply(error: unknown, logger: Logger): Reply {
  if (error instanceof TemporalUnavailableError) {
    return textMessage(
      '⚠️ Pantheon cannot reach Temporal right now, so nothing was started or changed. Please try again in a minute; if it keeps happening, tell whoever runs Pantheon.',
    );
  }
  if (error instanceof PantheonError) return textMessage(`⚠️ ${error.message}`);
  logger.error({ err: error }, 'slack request failed');
  return textMessage(
    '⚠️ Something went wrong on our side and nothing was done. The error is in the bot’s log; please try again.',
  );
}
