import type { KnownBlock, ModalView } from '@slack/types';
import type { Caller } from '../access/caller';
import type { CommandDeps } from '../deps';
import type { SlackRequest } from '../runs/ids';

/** A reply only the caller sees. */
export interface Reply {
  readonly text: string;
  readonly blocks?: KnownBlock[];
}

/** What a subcommand gets, whether it came from `/pantheon` or an @mention. */
export interface CommandContext {
  readonly deps: CommandDeps;
  readonly caller: Caller;
  readonly request: SlackRequest;
  reply(message: Reply): Promise<void>;
  /** Opens a modal; only slash commands and clicks carry the trigger_id this needs. */
  readonly openModal?: (view: ModalView) => Promise<void>;
  /** Where the modal's submission should answer (a command's response_url). */
  readonly responseUrl?: string;
}
