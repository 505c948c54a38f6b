import { SlackApiError } from '../api-error';
import type { MethodTable } from './context';
import { paginate } from './pagination';

export const userMethods: MethodTable = {
  'users.info': (args, { ws }) => ({ user: ws.directory.requireUser(args.required('user')) }),

  'users.list': (args, { ws }) => {
    const { page, nextCursor } = paginate(ws.directory.listUsers(), args, 200);
    return {
      members: page,
      cache_ts: Math.floor(ws.now() / 1000),
      response_metadata: { next_cursor: nextCursor },
    };
  },

  'users.lookupByEmail': (args, { ws }) => {
    const user = ws.directory.userByEmail(args.required('email'));
    if (!user) throw new SlackApiError('users_not_found');
    return { user };
  },

  'usergroups.list': (args, { ws }) => {
    const withUsers = args.bool('include_users');
    const usergroups = ws.directory
      .listUsergroups()
      .map(({ users, ...group }) => (withUsers ? { ...group, users } : group));
    return { usergroups };
  },

  'usergroups.users.list': (args, { ws }) => {
    const group = ws.directory.usergroup(args.required('usergroup'));
    if (!group) throw new SlackApiError('no_such_subteam');
    return { users: [...group.users] };
  },
};
