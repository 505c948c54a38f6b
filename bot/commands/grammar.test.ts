import { expect, it } from 'vitest';
import { parseCommand } from './grammar';

it('parses each verb, keeping run arguments verbatim', () => {
  expect(parseCommand('')).toEqual({ verb: 'help', workflow: undefined });
  expect(parseCommand('  help invoice-review ')).toEqual({ verb: 'help', workflow: 'invoice-review' });
  expect(parseCommand('run invoice-review vendor="Acme Corp"  amount=5')).toEqual({
    verb: 'run',
    workflow: 'invoice-review',
    args: 'vendor="Acme Corp"  amount=5',
  });
  expect(parseCommand('RUN x {"a": 1}')).toEqual({ verb: 'run', workflow: 'x', args: '{"a": 1}' });
  expect(parseCommand('run')).toEqual({ verb: 'run', workflow: undefined, args: '' });
  expect(parseCommand('list finance')).toEqual({ verb: 'list', label: 'finance' });
  expect(parseCommand('status')).toEqual({ verb: 'status', runId: undefined });
  expect(parseCommand('cancel abc-1')).toEqual({ verb: 'cancel', runId: 'abc-1' });
  expect(parseCommand('launch it')).toEqual({ verb: 'unknown', word: 'launch' });
});
