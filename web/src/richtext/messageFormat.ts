/** How a message's body is to be shown: `Message.format` as the app reads it. */
export type MessageFormat = 'MARKDOWN' | 'PLAIN';

/**
 * The format of a decoded message. One without a `format` (decoded from a
 * result that did not select it) is PLAIN: shown as typed, as every message
 * was before markdown.
 */
export function formatOf(message: { readonly id: string; readonly format?: string | null }): MessageFormat {
  return message.format === 'MARKDOWN' ? 'MARKDOWN' : 'PLAIN';
}
