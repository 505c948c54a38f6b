/**
 * Pure renderers from Slack's JSON to HTML strings, shared by the browser page (bundled with
 * esbuild) and the unit tests. Everything an app or a user wrote is escaped; URLs are allow-listed.
 */
export { decodeSlackEntities, escapeHtml, safeImageUrl, safeUrl } from './escape';
export { PICKER_EMOJI, emojiFor } from './emoji';
export {
  type RenderContext,
  EMPTY_CONTEXT,
  emojiHtml,
  renderMrkdwn,
  renderPlain,
  renderTextObject,
  textOf,
} from './mrkdwn';
export {
  type BlockRenderOptions,
  renderAttachments,
  renderBlock,
  renderBlocks,
  renderButton,
} from './blocks';
export {
  type MessageRenderOptions,
  displayName,
  formatTs,
  initials,
  reactionGlyph,
  renderAvatar,
  renderMessage,
  renderMessageContent,
  renderModal,
} from './message';
