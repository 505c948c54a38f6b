/**
 * `/pantheon` grammar: `run <workflow> [key=value ... | {json}]`, `list [label]`, `help [workflow]`,
 * `status [run-id]`, `cancel <run-id>`. Nothing (or `help`) shows the help.
 */
export type PantheonCommand =
  | { readonly verb: 'run'; readonly workflow?: string; readonly args: string }
  | { readonly verb: 'list'; readonly label?: string }
  | { readonly verb: 'help'; readonly workflow?: string }
  | { readonly verb: 'status'; readonly runId?: string }
  | { readonly verb: 'cancel'; readonly runId?: string }
  | { readonly verb: 'unknown'; readonly word: string };

export const verbs = ['run', 'list', 'help', 'status', 'cancel'] as const;

/** The first word and the rest, untouched (the rest may hold quoted values or JSON). */
function firstWord(text: string): [string, string] {
  const match = /^(\S+)\s*([\s\S]*)$/.exec(text.trim());
  return match ? [match[1]!, match[2]!] : ['', ''];
}

export function parseCommand(text: string): PantheonCommand {
  const [verb, rest] = firstWord(text);
  const [word, tail] = firstWord(rest);
  const optional = word === '' ? undefined : word;
  switch (verb.toLowerCase()) {
    case '':
    case 'help':
      return { verb: 'help', workflow: optional };
    case 'run':
      return { verb: 'run', workflow: optional, args: tail };
    case 'list':
      return { verb: 'list', label: optional };
    case 'status':
      return { verb: 'status', runId: optional };
    case 'cancel':
      return { verb: 'cancel', runId: optional };
    default:
      return { verb: 'unknown', word: verb };
  }
}
