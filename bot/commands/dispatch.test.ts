import { describe, expect, it } from 'vitest';
import { commandKit } from '../testing/fakes';
import { dispatch } from './dispatch';
import { parseCommand } from './grammar';

const everyVerb = [
  'run invoice-review vendor=acme amount=5',
  'list',
  'help',
  'help invoice-review',
  'status',
  'status x-1',
  'cancel x-1',
  'launch',
];

describe('dispatch', () => {
  it('an unknown verb names the commands', async () => {
    const kit = commandKit();
    await kit.send('launch invoice-review');
    expect(kit.lastShown()).toBe('`launch` is not a command. Try `run`, `list`, `help`, `status`, `cancel`.');
    expect(kit.runs.calls).toEqual([]);
  });

  it('a workflow name typed as the verb: how to start it', async () => {
    const kit = commandKit();
    await kit.send('invoice-review vendor=acme');
    expect(kit.lastShown()).toBe(
      '`invoice-review` is not a command. Try `run`, `list`, `help`, `status`, `cancel`. To start it: `/pantheon run invoice-review …`',
    );
    expect(kit.runs.calls).toEqual([]);
  });

  it('what was typed is escaped, never a mention or a link', async () => {
    const kit = commandKit();
    await kit.send('<!channel>');
    expect(kit.lastShown()).toMatch(/^`&lt;!channel&gt;` is not a command\./);
  });

  it.each(everyVerb)('a guest hears why not and nothing else: %s', async (text) => {
    const kit = commandKit({ user: 'U_GUEST' });
    await kit.send(text);
    expect(kit.replies).toHaveLength(1);
    expect(kit.lastShown()).toBe(
      '🔒 Guest accounts cannot use Pantheon here (whoever runs it can set `slack.allowGuests` in the policy file).',
    );
    expect(kit.runs.calls).toEqual([]);
    expect(kit.modals).toEqual([]);
  });

  it.each(everyVerb)(
    'someone from another organisation hears why not, before Slack is even asked: %s',
    async (text) => {
      const kit = commandKit({ user: 'U_OUTSIDER', team: 'T_OTHER' });
      await kit.send(text);
      expect(kit.replies).toHaveLength(1);
      expect(kit.lastShown()).toMatch(
        /^🔒 Pantheon is only for members of this workspace; people from other organisations \(Slack Connect\)/,
      );
      expect(kit.slack.lookedUp).toEqual([]);
      expect(kit.runs.calls).toEqual([]);
    },
  );

  it('guests get in where the policy allows them', async () => {
    const kit = commandKit({
      user: 'U_GUEST',
      policy: { slack: { allowGuests: true }, workflows: { 'invoice-review': { run: { everyone: true } } } },
    });
    await kit.send('run invoice-review vendor=acme amount=5');
    expect(kit.runs.starts).toHaveLength(1);
  });

  it('a workspace the policy lists under slack.teams gets in', async () => {
    const kit = commandKit({
      user: 'U_OUTSIDER',
      team: 'T_OTHER',
      policy: { slack: { teams: ['T_OTHER'] } },
    });
    await kit.send('help');
    expect(kit.lastShown()).toContain('*You can run:* _none yet_');
  });

  it('when Slack cannot say who is asking, the answer is no (and the bot logs why)', async () => {
    const kit = commandKit({ user: 'U_NOBODY' });
    await kit.send('run invoice-review vendor=acme amount=5');
    expect(kit.lastShown()).toBe(
      '🔒 Pantheon could not check who you are with Slack just now; try again in a minute.',
    );
    expect(kit.runs.calls).toEqual([]);
    expect(kit.logs).toContainEqual(expect.objectContaining({ level: 40, user: 'U_NOBODY' }));
  });

  it('when even the failure cannot be told, it is logged and dispatch still resolves', async () => {
    const kit = commandKit();
    const ctx = {
      ...kit.ctx,
      reply: async () => {
        throw new Error('response_url expired');
      },
    };
    await expect(dispatch(ctx, parseCommand('list'))).resolves.toBeUndefined();
    expect(kit.logs).toContainEqual(
      expect.objectContaining({
        level: 50,
        msg: 'could not tell the user about a failure',
        err: expect.objectContaining({ message: 'response_url expired' }),
      }),
    );
  });
});
