import type { KnownBlock } from '@slack/types';
import { schemaFields } from '../../core/input/schema-fields';
import type { ToolListing } from '../../config/tools';
import type { WorkflowDefinition } from '../../core/workflow/workflow-definition';
import { escapeMrkdwn } from '../../tools/slack/blocks/mrkdwn';
import type { Reply } from '../commands/context';
import { exampleArgs, fieldLine } from './fields';
import { context, header, sections } from '../../tools/slack/blocks/kit';

/** `/pantheon run invoice-review vendor=acme amount=1200` */
export function exampleLine(definition: WorkflowDefinition): string {
  const args = definition.example ?? exampleArgs(schemaFields(definition.input));
  return `/pantheon run ${definition.name}${args ? ` ${args}` : ''}`;
}

/** Inputs of a workflow, one line each. */
export function inputLines(definition: WorkflowDefinition): string {
  const fields = schemaFields(definition.input);
  return fields.length ? fields.map(fieldLine).join('\n') : '_No inputs._';
}

/** `help <workflow>`: description, inputs with types/defaults/required, an example. */
export function workflowHelp(definition: WorkflowDefinition): Reply {
  const signals = Object.keys(definition.signalSchemas);
  const facts = [
    definition.labels.length ? `Labels: ${definition.labels.map(escapeMrkdwn).join(', ')}` : undefined,
    signals.length ? `Signals: ${signals.map((s) => `\`${escapeMrkdwn(s)}\``).join(', ')}` : undefined,
  ].filter(Boolean);
  const blocks: KnownBlock[] = [
    header(definition.name),
    ...sections(escapeMrkdwn(definition.description)),
    ...sections(`*Inputs*\n${inputLines(definition)}`),
    ...sections(`*Example*\n\`${escapeMrkdwn(exampleLine(definition))}\``),
    ...(facts.length ? [context(facts.join(' · '))] : []),
  ];
  return { text: `${definition.name}: ${definition.description}`, blocks };
}

const commands = [
  ['run <workflow> key=value …', 'start a run; missing inputs open a form'],
  ['list [label]', 'the workflows you may run'],
  ['help <workflow>', "a workflow's inputs and an example"],
  ['help tools', 'the tools workflows and agents do their work with'],
  ['status [run-id]', 'a run, or your recent runs'],
  ['cancel <run-id>', 'stop a run'],
] as const;

/** `help`: the commands and what this person may run. */
export function overviewHelp(runnable: readonly WorkflowDefinition[]): Reply {
  const lines = commands
    .map(([usage, what]) => `• \`/pantheon ${escapeMrkdwn(usage)}\` — ${what}`)
    .join('\n');
  const names = runnable.length ? runnable.map((w) => `\`${w.name}\``).join(', ') : '_none yet_';
  return {
    text: 'Pantheon runs workflows and reports their progress in a thread.',
    blocks: [
      ...sections(`*Pantheon* runs workflows and reports their progress in a thread.\n${lines}`),
      ...sections(`*You can run:* ${names}`),
      context('You can also mention @pantheon: `@pantheon run &lt;workflow&gt; …` answers in the thread.'),
    ],
  };
}

/** `help tools`: each tool with its activities, their tier, and what changes the world. */
export function toolsHelp(listings: readonly ToolListing[]): Reply {
  const line = (spec: ToolListing['activities'][number]) =>
    `• \`${escapeMrkdwn(spec.name)}\` _${spec.tier}${spec.sideEffecting ? ', changes things' : ''}${spec.agentCallable ? ', agents may call it' : ''}_ — ${escapeMrkdwn(spec.description)}`;
  return {
    text: `Tools: ${listings.map((l) => l.tool).join(', ')}`,
    blocks: [
      header('Tools'),
      ...listings.flatMap((listing) =>
        sections(`*${escapeMrkdwn(listing.tool)}*\n${listing.activities.map(line).join('\n')}`),
      ),
      context(
        'Workflows run these as activities on the tier named; `/pantheon help <workflow>` shows a workflow’s inputs.',
      ),
    ],
  };
}
