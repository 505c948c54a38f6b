import type { Reply } from './commands/context';

/** Posts an ephemeral answer to a response_url (what Bolt's `respond` does, for listeners without one). */
export async function respondTo(responseUrl: string, message: Reply): Promise<void> {
  const response = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, ...message }),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`response_url answered HTTP ${response.status}`);
}
