import { SlackApiError, missingArgument } from '../api-error';
import { type Args, isObject } from '../args';
import { validateView } from '../block-kit';
import type { ViewInput } from '../view-store';
import type { MethodTable } from './context';

/** The `view` argument, validated; schema problems are `invalid_arguments` with Slack's messages. */
export function readView(args: Args): ViewInput {
  const view = args.json('view', 'invalid_arguments');
  if (view === undefined) throw missingArgument('view');
  const problems = validateView(view);
  if (problems.length > 0 || !isObject(view)) throw new SlackApiError('invalid_arguments', problems);
  return view;
}

export const viewMethods: MethodTable = {
  'views.open': (args, { ws }) => {
    const trigger = args.string('trigger_id') ?? args.string('interactivity_pointer');
    if (!trigger) throw missingArgument('trigger_id');
    const view = readView(args);
    const { user } = ws.triggers.exchange(trigger);
    return { view: ws.views.open(user, view) };
  },

  'views.push': (args, { ws }) => {
    const trigger = args.string('trigger_id') ?? args.string('interactivity_pointer');
    if (!trigger) throw missingArgument('trigger_id');
    const view = readView(args);
    const { user, viewId } = ws.triggers.exchange(trigger);
    return { view: ws.views.push(user, view, viewId) };
  },

  'views.update': (args, { ws }) => {
    const viewId = args.string('view_id');
    const externalId = args.string('external_id');
    if (!viewId && !externalId) throw missingArgument('view_id');
    const view = readView(args);
    return {
      view: ws.views.update(
        { ...(viewId ? { viewId } : {}), ...(externalId ? { externalId } : {}) },
        view,
        args.string('hash'),
      ),
    };
  },
};
