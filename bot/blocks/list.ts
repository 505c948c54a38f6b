import type { WorkflowDefinition } from '../../core/workflow/workflow-definition';
import { escapeMrkdwn } from '../../tools/slack/blocks/mrkdwn';
import type { Reply } from '../commands/context';
import { context, sections, textMessage } from '../../tools/slack/blocks/kit';

/** `list [label]`: the workflows this person may run, one line each. */
export function workflowList(runnable: readonly WorkflowDefinition[], label?: string): Reply {
  if (runnable.length === 0) {
    return textMessage(
      label
        ? `No workflow you may run has the label \`${escapeMrkdwn(label)}\`.`
        : 'There is no workflow you may run here yet.',
    );
  }
  const lines = runnable.map((w) => {
    const labels = w.labels.length ? `  _${w.labels.map(escapeMrkdwn).join(', ')}_` : '';
    return `• \`${w.name}\` — ${escapeMrkdwn(w.description)}${labels}`;
  });
  const title = label ? `*Workflows labelled \`${escapeMrkdwn(label)}\`*` : '*Workflows you can run*';
  return {
    text: `Workflows you can run: ${runnable.map((w) => w.name).join(', ')}`,
    blocks: [
      ...sections(`${title}\n${lines.join('\n')}`),
      context('`/pantheon help <workflow>` shows its inputs and an example.'),
    ],
  };
}
