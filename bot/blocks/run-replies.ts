import type { KnownBlock } from '@slack/types';
import { fieldType, schemaFields } from '../../core/input/schema-fields';
import type { WorkflowDefinition } from '../../core/workflow/workflow-definition';
import type { StartedRun } from '../../core/runs';
import { escapeMrkdwn, limits } from '../../tools/slack/blocks/mrkdwn';
import type { Reply } from '../commands/context';
import { openRunFormActionId } from '../actions/ids';
import { exampleLine, inputLines } from './help';
import { actions, button, context, sections } from '../../tools/slack/blocks/kit';

/** The run started (or this very request had started it already). */
export function startedReply(definition: WorkflowDefinition, run: StartedRun): Reply {
  const id = `\`${escapeMrkdwn(run.workflowId)}\``;
  const text = run.started
    ? `🚀 Started *${escapeMrkdwn(definition.name)}* as ${id}. Its progress and result will appear in a thread in this channel.`
    : `👌 This request had already started *${escapeMrkdwn(definition.name)}* as ${id}; nothing new was started.`;
  return {
    text: text.replace(/[*`]/g, ''),
    blocks: [
      ...sections(text),
      context(`<${run.url}|Open in Temporal> · \`/pantheon status ${escapeMrkdwn(run.workflowId)}\``),
    ],
  };
}

/** `amount: Invalid input: …` → the field and the message. */
function splitProblem(problem: string): { field: string; message: string } {
  const match = /^("?[^":]+"?):\s*([\s\S]*)$/.exec(problem);
  return match
    ? { field: match[1]!.replace(/"/g, ''), message: match[2]! }
    : { field: '(input)', message: problem };
}

/** Each bad field, what is wrong with it and what it expects; then all inputs and an example. */
/** `key=@file` in Slack: a file on someone's computer, which only the CLI can upload. */
export function fileArgumentReply(definition: WorkflowDefinition, key: string): Reply {
  const text = `⚠️ *${escapeMrkdwn(definition.name)}* was not started: \`${escapeMrkdwn(key)}=@…\` uploads a file from your computer, which only the terminal can do: \`pantheon run ${escapeMrkdwn(definition.name)} ${escapeMrkdwn(key)}=@./your-file\`. Files shared in Slack are not read yet.`;
  return { text, blocks: sections(text) };
}

export function invalidInputReply(definition: WorkflowDefinition, problems: readonly string[]): Reply {
  const fields = schemaFields(definition.input);
  const lines = problems.map((problem) => {
    const { field, message } = splitProblem(problem);
    const known = fields.find((f) => f.name === field.split('.')[0]);
    const expects = known ? ` · _expects ${escapeMrkdwn(fieldType(known))}_` : '';
    return `• \`${escapeMrkdwn(field)}\` — ${escapeMrkdwn(message)}${expects}`;
  });
  const blocks: KnownBlock[] = [
    ...sections(
      `⚠️ *${escapeMrkdwn(definition.name)}* was not started: its input has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}.\n${lines.join('\n')}`,
    ),
    ...sections(`*Inputs*\n${inputLines(definition)}`),
    ...sections(`*Example*\n\`${escapeMrkdwn(exampleLine(definition))}\``),
  ];
  return {
    text: `${definition.name} was not started: ${problems.join('; ')}`.slice(0, limits.sectionText),
    blocks,
  };
}

/** What the fill-in button carries: enough to open the form later (a button value holds ≤ 2,000 chars). */
export interface OpenRunForm {
  readonly workflow: string;
  readonly channel: string;
  readonly threadTs?: string;
  readonly prefill: Record<string, unknown>;
}

/** For a mention, which has no trigger to open a form with: a button that does. */
export function fillInReply(
  definition: WorkflowDefinition,
  missing: readonly string[],
  form: OpenRunForm,
): Reply {
  let value = JSON.stringify(form);
  if (value.length > limits.buttonValue) value = JSON.stringify({ ...form, prefill: {} });
  const text = `*${escapeMrkdwn(definition.name)}* needs ${missing.map((m) => `\`${escapeMrkdwn(m)}\``).join(', ')}.`;
  return {
    text: text.replace(/[*`]/g, ''),
    blocks: [
      ...sections(text),
      actions([
        button({ actionId: openRunFormActionId, text: 'Fill in the inputs', style: 'primary', value }),
      ]),
    ],
  };
}

/** `run` with no workflow. */
export function runUsageReply(runnable: readonly WorkflowDefinition[]): Reply {
  const names = runnable.map((w) => `\`${w.name}\``).join(', ') || '_none_';
  const example = runnable[0] ? exampleLine(runnable[0]) : '/pantheon run <workflow> key=value';
  return {
    text: 'Which workflow? /pantheon run <workflow> key=value …',
    blocks: [
      ...sections(`Which workflow? \`/pantheon run &lt;workflow&gt; key=value …\`\nYou can run: ${names}`),
      context(`For example \`${escapeMrkdwn(example)}\``),
    ],
  };
}
