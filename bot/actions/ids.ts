/** action_ids of the bot's own buttons, shared by the blocks that render them and the listeners. */
export const openRunFormActionId = 'pantheon.open_run_form';
