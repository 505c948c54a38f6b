/**
 * A Web API failure. Slack answers these with HTTP 200 and `{ ok: false, error }`, adding
 * `response_metadata.messages` (`[ERROR] … [json-pointer:/blocks/0]`) for schema problems.
 */
export class SlackApiError extends Error {
  constructor(
    readonly error: string,
    readonly messages: readonly string[] = [],
  ) {
    super(messages.length > 0 ? `${error}: ${messages.join('; ')}` : error);
    this.name = 'SlackApiError';
  }

  toResponse(): Record<string, unknown> {
    if (this.messages.length === 0) return { ok: false, error: this.error };
    return { ok: false, error: this.error, response_metadata: { messages: [...this.messages] } };
  }
}

export function missingArgument(name: string): SlackApiError {
  return new SlackApiError('invalid_arguments', [`[ERROR] missing required field: ${name}`]);
}
