import { ChangeFeed } from './change-feed';
import { Directory } from './directory';
import { EphemeralStore } from './ephemeral-store';
import { FileStore } from './file-store';
import { TsSource } from './ids';
import { MessageStore } from './message-store';
import type { WorkspaceSeed } from './seed';
import { Triggers } from './triggers';
import type {
  BotIdentity,
  ConversationRecord,
  EphemeralMessage,
  SlackFile,
  SlackMessage,
  SlackTeam,
  SlackUser,
  SlackUsergroup,
  ViewRecord,
} from './types';
import { ViewStore } from './view-store';

/** The whole workspace as JSON, e.g. to render a UI's first frame before following the change feed. */
export interface WorkspaceSnapshot {
  team: SlackTeam;
  bot: BotIdentity;
  users: SlackUser[];
  conversations: ConversationRecord[];
  usergroups: SlackUsergroup[];
  messages: Record<string, SlackMessage[]>;
  ephemerals: EphemeralMessage[];
  views: ViewRecord[];
  files: SlackFile[];
}

/** The state of the local Slack: every store, sharing one clock and one change feed. */
export class Workspace {
  readonly feed: ChangeFeed;
  readonly directory: Directory;
  readonly messages: MessageStore;
  readonly ephemerals: EphemeralStore;
  readonly views: ViewStore;
  readonly files: FileStore;
  readonly triggers: Triggers;
  private readonly ts: TsSource;

  constructor(
    seed: WorkspaceSeed,
    readonly now: () => number,
    triggerTtlMs: number,
  ) {
    const ts = (this.ts = new TsSource(now));
    this.feed = new ChangeFeed(now);
    this.directory = new Directory(seed, now);
    this.messages = new MessageStore(this.feed, ts, this.directory);
    this.ephemerals = new EphemeralStore(this.feed, ts, this.directory);
    this.views = new ViewStore(this.feed, this.directory, now);
    this.files = new FileStore(this.feed, this.directory, now);
    this.triggers = new Triggers(now, triggerTtlMs);
  }

  /** A fresh Slack timestamp (event_ts, action_ts), ordered with message timestamps. */
  nextTs(): string {
    return this.ts.next();
  }

  get bot(): BotIdentity {
    return this.directory.bot;
  }

  get team(): SlackTeam {
    return this.directory.team;
  }

  snapshot(): WorkspaceSnapshot {
    return structuredClone({
      team: this.team,
      bot: this.bot,
      users: this.directory.listUsers(),
      conversations: this.directory.listConversations(),
      usergroups: this.directory.listUsergroups(),
      messages: this.messages.snapshot(),
      ephemerals: this.ephemerals.list(),
      views: this.views.snapshot(),
      files: this.files.list(),
    });
  }
}
