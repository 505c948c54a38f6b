import { SlackApiError, missingArgument } from '../api-error';
import { isObject } from '../args';
import { isTs } from '../ids';
import type { SlackFile } from '../types';
import { writableChannel } from './chat';
import type { MethodTable } from './context';

export const fileMethods: MethodTable = {
  'files.getUploadURLExternal': (args, { ws, baseUrl }) => {
    const filename = args.required('filename');
    const length = args.int('length');
    if (length === undefined) throw missingArgument('length');
    const id = ws.files.reserve(
      filename,
      length,
      args.string('alt_txt') ?? args.string('alt_text'),
      args.string('snippet_type'),
    );
    return { upload_url: `${baseUrl}/upload/v1/${id}`, file_id: id };
  },

  'files.completeUploadExternal': (args, { ws, baseUrl }) => {
    const entries = args.json('files', 'invalid_arguments');
    if (!Array.isArray(entries) || entries.length === 0) throw missingArgument('files');
    const channelArg = args.string('channel_id') ?? args.string('channels');
    const channel = channelArg ? writableChannel(ws, channelArg) : undefined;
    const threadTs = args.string('thread_ts');
    if (threadTs && !isTs(threadTs)) throw new SlackApiError('invalid_thread_ts');

    let files: SlackFile[] = entries.map((entry: unknown) => {
      if (!isObject(entry) || typeof entry.id !== 'string')
        throw new SlackApiError('invalid_arguments', ['[ERROR] files[].id is required']);
      return ws.files.complete(
        entry.id,
        typeof entry.title === 'string' ? entry.title : undefined,
        ws.bot.userId,
        baseUrl,
      );
    });
    if (channel) {
      files = files.map((file) => ws.files.markShared(file.id, channel.id) ?? file);
      const blocks = args.json('blocks', 'invalid_blocks_format');
      ws.messages.post(
        channel.id,
        ws.bot.userId,
        { text: args.string('initial_comment') ?? '', ...(Array.isArray(blocks) ? { blocks } : {}) },
        { files, ...(threadTs ? { threadTs } : {}) },
      );
    }
    return { files };
  },

  'files.info': (args, { ws }) => {
    const file = ws.files.info(args.required('file'));
    if (!file) throw new SlackApiError('file_not_found');
    return { file, comments: [], response_metadata: { next_cursor: '' } };
  },
};
