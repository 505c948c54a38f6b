import { extname } from 'node:path';
import { SlackApiError } from './api-error';
import type { ChangeFeed } from './change-feed';
import type { Directory } from './directory';
import { slackId } from './ids';
import type { SlackFile } from './types';

interface Upload {
  id: string;
  filename: string;
  length: number;
  altText?: string;
  snippetType?: string;
  bytes?: Buffer;
  file?: SlackFile;
}

const TYPES: Record<string, [mimetype: string, filetype: string, pretty: string]> = {
  '.txt': ['text/plain', 'text', 'Plain Text'],
  '.md': ['text/markdown', 'markdown', 'Markdown (raw)'],
  '.csv': ['text/csv', 'csv', 'CSV'],
  '.json': ['application/json', 'json', 'JSON'],
  '.yaml': ['application/yaml', 'yaml', 'YAML'],
  '.yml': ['application/yaml', 'yaml', 'YAML'],
  '.html': ['text/html', 'html', 'HTML'],
  '.pdf': ['application/pdf', 'pdf', 'PDF'],
  '.png': ['image/png', 'png', 'PNG'],
  '.jpg': ['image/jpeg', 'jpg', 'JPEG'],
  '.jpeg': ['image/jpeg', 'jpg', 'JPEG'],
  '.gif': ['image/gif', 'gif', 'GIF'],
};

/**
 * The files v2 upload flow: files.getUploadURLExternal reserves an id and URL, the client POSTs the
 * bytes there, files.completeUploadExternal turns the upload into a file (and shares it).
 */
export class FileStore {
  private readonly uploads = new Map<string, Upload>();

  constructor(
    private readonly feed: ChangeFeed,
    private readonly directory: Directory,
    private readonly now: () => number,
  ) {}

  reserve(filename: string, length: number, altText?: string, snippetType?: string): string {
    const id = slackId('F');
    this.uploads.set(id, {
      id,
      filename,
      length,
      ...(altText ? { altText } : {}),
      ...(snippetType ? { snippetType } : {}),
    });
    return id;
  }

  /** The bytes POSTed to the upload URL. False when the URL is unknown or already used. */
  receive(id: string, bytes: Buffer): boolean {
    const upload = this.uploads.get(id);
    if (!upload || upload.file) return false;
    upload.bytes = bytes;
    return true;
  }

  /** Finishes an upload; `baseUrl` serves the bytes back at the file's url_private. */
  complete(id: string, title: string | undefined, user: string, baseUrl: string): SlackFile {
    const upload = this.uploads.get(id);
    if (!upload?.bytes) throw new SlackApiError('file_not_found');
    if (upload.file) return structuredClone(upload.file);
    const [mimetype, filetype, pretty] = TYPES[extname(upload.filename).toLowerCase()] ?? [
      'application/octet-stream',
      'binary',
      'Binary',
    ];
    const nowSec = Math.floor(this.now() / 1000);
    const path = `${id}/${encodeURIComponent(upload.filename)}`;
    upload.file = {
      id,
      created: nowSec,
      timestamp: nowSec,
      name: upload.filename,
      title: title ?? upload.filename,
      mimetype,
      filetype: upload.snippetType ?? filetype,
      pretty_type: pretty,
      user,
      user_team: this.directory.team.id,
      size: upload.bytes.length,
      mode: upload.snippetType ? 'snippet' : 'hosted',
      is_external: false,
      is_public: false,
      ...(upload.altText ? { alt_txt: upload.altText } : {}),
      url_private: `${baseUrl}/files/${path}`,
      url_private_download: `${baseUrl}/files/${path}?download=1`,
      permalink: `https://${this.directory.team.domain}.slack.com/files/${user}/${id}/${encodeURIComponent(upload.filename)}`,
      channels: [],
      groups: [],
      ims: [],
    };
    this.feed.emit({ type: 'file_uploaded', file: upload.file });
    return structuredClone(upload.file);
  }

  /** Records where a completed file was shared, in the list Slack keeps by conversation kind. */
  markShared(id: string, channel: string): SlackFile | undefined {
    const file = this.uploads.get(id)?.file;
    if (!file) return undefined;
    const kind = this.directory.conversation(channel)?.kind;
    const list = kind === 'public' ? file.channels : kind === 'im' ? file.ims : file.groups;
    if (!list.includes(channel)) list.push(channel);
    if (kind === 'public') file.is_public = true;
    return structuredClone(file);
  }

  info(id: string): SlackFile | undefined {
    const file = this.uploads.get(id)?.file;
    return file && structuredClone(file);
  }

  content(id: string): Buffer | undefined {
    return this.uploads.get(id)?.file ? this.uploads.get(id)?.bytes : undefined;
  }

  list(): SlackFile[] {
    return [...this.uploads.values()].flatMap((u) => (u.file ? [structuredClone(u.file)] : []));
  }
}
