/**
 * The browser front end of the local Slack workspace: the page and its API (mounted by
 * LocalSlackServer as `slack.web`), and `startLocalWorkspace` (local Slack + mail inbox).
 */
export { LocalSlackWeb, composeUserText } from './ui-server';
export { type LocalWorkspace, type LocalWorkspaceOptions, startLocalWorkspace } from './start';
