/**
 * `npx tsx devtools/local-slack/web/demo.ts [port]`: the local workspace with the demo Bolt app, for
 * working on the page without the whole stack. Try `/pantheon buy a laptop` in #ops.
 */
import { startDemoApp } from './demo-app';
import { startLocalWorkspace } from './start';

const port = Number(process.argv[2] ?? 3100);
const workspace = await startLocalWorkspace({ port });
const demo = await startDemoApp(workspace);
process.stdout.write(
  `\n  Local Slack   ${workspace.url}\n  Web API      ${workspace.apiUrl}\n  SMTP         ${workspace.smtpUrl}\n  Demo app     ${demo.url}\n\n`,
);
const stop = async (): Promise<void> => {
  await demo.stop();
  await workspace.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
