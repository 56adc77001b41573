/**
 * Issue 12 in a real browser (Debian's chromium) against a real Thrds server
 * on the embedded SQLite store, two people in two browser contexts: Ada, the
 * first account and so ADMIN (the moderator here), and Bob, a member. Each
 * change made in one window is seen live in the other: reactions added and
 * taken back, edits in place, deletion with its confirmation and tombstone,
 * a thread locked and unlocked, and a moderator deleting someone else's
 * message. Every state is screenshotted in light and dark for a person to
 * look at (test-artifacts/screenshots/conversations-*.png).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openThread, send, waitLive } from './support/browser.ts';
import { browserScene } from './support/scene.ts';
import { createThread, postMessage, type Account, type WebServer } from './support/webServer.ts';
import { messageAction, messageActionNames } from './support/messageActions.ts';

let server: WebServer;
let ada: Account;
let bob: Account;
const { page: pageAs, snap } = browserScene('conversations', (scene) => ({ server, ada, bob } = scene));

/** Ada and Bob, each in their own browser, in the same thread, both live. */
async function bothIn(threadId: string): Promise<[Page, Page]> {
  const [a, b] = await Promise.all([pageAs(ada), pageAs(bob)]);
  await Promise.all([openThread(a, threadId), openThread(b, threadId)]);
  await Promise.all([waitLive(a), waitLive(b)]);
  return [a, b];
}

/** A confirmed message by its own text (not by a reply quoting it). */
function messageWith(page: Page, text: string) {
  return page.locator('.messages > li.message:not(.pending)').filter({ has: page.locator('.message-body', { hasText: text }) });
}

function messageById(page: Page, id: string) {
  return page.locator(`.messages > li.message[data-message-id="${id}"]`);
}

function reaction(page: Page, messageId: string, emoji: string) {
  return messageById(page, messageId).locator(`.reaction[data-emoji="${emoji}"]`);
}

async function storedMessage(id: string) {
  const data = await server.gql<{ node: { body: string; deletedAt: string | null; editedAt: string | null; reactions: { emoji: string; count: number }[] } | null }>(
    `query ($id: ID!) { node(id: $id) { ... on Message { body deletedAt editedAt reactions { emoji count } } } }`,
    { id },
    ada.token,
  );
  return data.node;
}

describe('conversations in the web app', () => {
  it('the viewers are who the test says: Ada is ADMIN, Bob a MEMBER', async () => {
    const roles = await Promise.all(
      [ada, bob].map((account) => server.gql<{ me: { role: string } }>(`query { me { role } }`, {}, account.token).then((d) => d.me.role)),
    );
    expect(roles).toEqual(['ADMIN', 'MEMBER']);
  });

  it('a reaction picked in one window shows live in the other, toggles with a click, and goes away when both take it back', async () => {
    const threadId = await createThread(server, ada, 'Release day');
    const messageId = await postMessage(server, bob, threadId, 'Shipped the release 🚀');
    const [a, b] = await bothIn(threadId);

    // Ada picks 🎉 from the picker.
    await messageAction(messageById(a, messageId), 'Add a reaction');
    await snap(a, 'reaction-picker');
    await a.getByRole('button', { name: 'React with 🎉' }).click();
    await expect.poll(() => reaction(a, messageId, '🎉').getAttribute('aria-pressed')).toBe('true');

    // Bob sees it live: one, not his, and who it was.
    await reaction(b, messageId, '🎉').waitFor({ timeout: 5_000 });
    expect(await reaction(b, messageId, '🎉').innerText()).toContain('1');
    expect(await reaction(b, messageId, '🎉').getAttribute('aria-pressed')).toBe('false');
    expect(await reaction(b, messageId, '🎉').getAttribute('title')).toBe('Ada reacted with 🎉');

    // Bob joins in with one click; Ada sees two, with her own still pressed.
    await reaction(b, messageId, '🎉').click();
    await expect.poll(() => reaction(b, messageId, '🎉').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => reaction(a, messageId, '🎉').innerText(), { timeout: 5_000 }).toContain('2');
    expect(await reaction(a, messageId, '🎉').getAttribute('aria-pressed')).toBe('true');
    expect(await reaction(a, messageId, '🎉').getAttribute('title')).toBe('You and Bob reacted with 🎉');

    // Bob adds another by keyboard alone: Enter on the actions button opens the menu, an arrow reaches
    // "Add a reaction", Enter opens the choices, an arrow moves, Enter picks.
    await messageById(b, messageId).getByRole('button', { name: 'Message actions' }).focus();
    await b.keyboard.press('Enter');
    await b.getByRole('menu').waitFor();
    await b.keyboard.press('ArrowDown');
    expect(await b.evaluate(() => document.activeElement?.textContent)).toBe('Add a reaction');
    await b.keyboard.press('Enter');
    await b.getByRole('group', { name: 'Choose a reaction' }).waitFor();
    await b.keyboard.press('ArrowRight');
    const second = await b.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    expect(second).toMatch(/^React with /);
    await b.keyboard.press('Enter');
    const keyboardEmoji = (second ?? '').replace('React with ', '');
    await reaction(a, messageId, keyboardEmoji).waitFor({ timeout: 5_000 });
    await snap(a, 'reactions-ada');
    await snap(b, 'reactions-bob');

    // The picker now offers Ada's recent 🎉 first.
    await messageAction(messageById(a, messageId), 'Add a reaction');
    expect(await a.getByRole('group', { name: 'Choose a reaction' }).getByRole('button').first().getAttribute('aria-label')).toBe('React with 🎉');
    await a.keyboard.press('Escape');
    await expect.poll(() => a.getByRole('group', { name: 'Choose a reaction' }).count()).toBe(0);

    // Both take 🎉 back: Bob sees the count fall, then the group leaves both windows.
    await reaction(a, messageId, '🎉').click();
    await expect.poll(() => reaction(b, messageId, '🎉').innerText(), { timeout: 5_000 }).toContain('1');
    expect(await reaction(b, messageId, '🎉').getAttribute('aria-pressed')).toBe('true');
    await reaction(b, messageId, '🎉').click();
    await expect.poll(() => reaction(a, messageId, '🎉').count(), { timeout: 5_000 }).toBe(0);
    await expect.poll(() => reaction(b, messageId, '🎉').count()).toBe(0);
    expect((await storedMessage(messageId))?.reactions).toEqual([{ emoji: keyboardEmoji, count: 1 }]);
  });

  it('↑ in an empty composer edits your last message in place; Enter saves, the other window sees it live, marked edited', async () => {
    const threadId = await createThread(server, ada, 'Typos');
    const [a, b] = await bothIn(threadId);
    await send(a, 'Teh plan is ready');
    await messageWith(b, 'Teh plan is ready').waitFor({ timeout: 5_000 });

    const composer = a.getByRole('textbox', { name: 'Message' });
    await composer.focus();
    await composer.press('ArrowUp');
    const editor = a.getByRole('textbox', { name: 'Edit message' });
    await editor.waitFor();
    expect(await editor.inputValue()).toBe('Teh plan is ready');
    await editor.fill('The plan is ready');
    await snap(a, 'editing');
    await editor.press('Enter');

    await messageWith(b, 'The plan is ready').locator('.message-edited').waitFor({ timeout: 5_000 });
    await messageWith(a, 'The plan is ready').locator('.message-edited').waitFor();
    expect(await messageWith(b, 'The plan is ready').locator('.message-edited').getAttribute('title')).toMatch(/^Edited /);
    expect(await messageWith(b, 'Teh plan').count()).toBe(0);
    // Done editing, the composer has the focus back.
    await expect.poll(() => composer.evaluate((el) => el === document.activeElement)).toBe(true);
    await snap(b, 'edited');

    // Escape cancels and changes nothing; Bob has no Edit on Ada's message.
    await messageAction(messageWith(a, 'The plan is ready'), 'Edit your message');
    await editor.fill('something else entirely');
    await editor.press('Escape');
    await expect.poll(() => editor.count()).toBe(0);
    expect(await messageWith(a, 'The plan is ready').count()).toBe(1);
    await messageWith(b, 'The plan is ready').hover();
    expect(await messageActionNames(messageWith(b, 'The plan is ready'))).not.toContain('Edit your message');

    const stored = await server.gql<{ thread: { messages: { edges: { node: { body: string; revisions: { body: string }[] } }[] } } }>(
      `query ($id: ID!) { thread(id: $id) { messages(last: 5) { edges { node { body revisions { body } } } } } }`,
      { id: threadId },
      ada.token,
    );
    expect(stored.thread.messages.edges.map((e) => e.node.body)).toEqual(['The plan is ready']);
  });

  it('an edit the server refuses shows why and keeps the text being edited', async () => {
    const threadId = await createThread(server, ada, 'Refused edit');
    await postMessage(server, ada, threadId, 'first draft');
    const a = await pageAs(ada);
    await openThread(a, threadId);
    await a.route('**/graphql', async (route) => {
      const payload = route.request().postDataJSON() as { operationName?: string } | null;
      if (payload?.operationName !== 'EditMessage') return route.fallback();
      return route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({ data: null, errors: [{ message: 'Slow down: too many writes.', extensions: { code: 'RATE_LIMITED' } }] }),
      });
    });
    await messageAction(messageWith(a, 'first draft'), 'Edit your message');
    const editor = a.getByRole('textbox', { name: 'Edit message' });
    await editor.fill('second draft');
    await editor.press('Enter');
    await a.getByRole('alert').filter({ hasText: 'Slow down: too many writes.' }).waitFor();
    expect(await editor.inputValue()).toBe('second draft');
    await snap(a, 'edit-refused');
  });

  it('deleting your own message asks first, then leaves a tombstone in both windows that the reply still points at', async () => {
    const threadId = await createThread(server, ada, 'Oops');
    const messageId = await postMessage(server, bob, threadId, 'my password is hunter2');
    await server.gql(
      `mutation ($input: PostMessageInput!) { postMessage(input: $input) { message { id } } }`,
      { input: { threadId, body: 'You may want to delete that.', replyToId: messageId } },
      ada.token,
    );
    const [a, b] = await bothIn(threadId);
    // Bob may delete his own message, not Ada's.
    await messageWith(b, 'You may want to delete that').hover();
    expect((await messageActionNames(messageWith(b, 'You may want to delete that'))).filter((n) => /^Delete/.test(n))).toEqual([]);

    // Cancel keeps it.
    await messageAction(messageById(b, messageId), 'Delete your message');
    const dialog = b.getByRole('dialog', { name: 'Delete this message?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('cannot be undone');
    await snap(b, 'delete-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await messageById(b, messageId).locator('.message-body').innerText()).toBe('my password is hunter2');

    // Confirmed, it goes in both windows: a tombstone in its place, the reply's quote says so.
    await messageAction(messageById(b, messageId), 'Delete your message');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    for (const page of [b, a]) {
      await expect.poll(() => messageById(page, messageId).locator('.message-body').innerText(), { timeout: 5_000 }).toBe('Message deleted');
      await expect.poll(() => messageWith(page, 'You may want to delete that').locator('.reply-quote').innerText()).toContain('message deleted');
      expect(await page.getByText('hunter2').count()).toBe(0);
      expect(await messageById(page, messageId).getByRole('button').count()).toBe(0);
    }
    await snap(a, 'deleted-ada');
    await snap(b, 'deleted-bob');
    expect(await storedMessage(messageId)).toMatchObject({ body: '', reactions: [] });
    expect((await storedMessage(messageId))?.deletedAt).not.toBeNull();

    // After a reload the tombstone comes from history.
    await a.reload();
    await messageById(a, messageId).waitFor();
    expect(await messageById(a, messageId).locator('.message-body').innerText()).toBe('Message deleted');
  });

  it('a moderator locks a thread: the other window’s composer, reactions and edits stop at once, and start again on unlock', async () => {
    const threadId = await createThread(server, ada, 'Heated debate');
    const bobsId = await postMessage(server, bob, threadId, 'Tabs, obviously.');
    const [a, b] = await bothIn(threadId);
    expect(await b.getByRole('button', { name: 'Lock thread' }).count()).toBe(0);
    await messageAction(messageById(a, bobsId), 'Add a reaction');
    await a.getByRole('button', { name: 'React with 👍' }).click();
    await reaction(b, bobsId, '👍').waitFor({ timeout: 5_000 });

    await a.getByRole('button', { name: 'Lock thread' }).click();
    const bobsComposer = b.getByRole('textbox', { name: 'Message' });
    await expect.poll(() => bobsComposer.isDisabled(), { timeout: 5_000 }).toBe(true);
    await b.getByText('A moderator locked this thread').waitFor();
    await b.locator('.thread-header .lock-badge').waitFor();
    expect(await reaction(b, bobsId, '👍').isDisabled()).toBe(true);
    await messageById(b, bobsId).hover();
    expect(await messageActionNames(messageById(b, bobsId))).not.toContain('Edit your message');
    expect(await messageActionNames(messageById(b, bobsId))).not.toContain('Add a reaction');
    expect(await b.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await snap(a, 'locked-ada');
    await snap(b, 'locked-bob');
    expect((await server.gql<{ thread: { locked: boolean } }>(`query ($id: ID!) { thread(id: $id) { locked } }`, { id: threadId })).thread.locked).toBe(true);

    await a.getByRole('button', { name: 'Unlock thread' }).click();
    await expect.poll(() => bobsComposer.isDisabled(), { timeout: 5_000 }).toBe(false);
    expect(await b.locator('.thread-header .lock-badge').count()).toBe(0);
    expect(await reaction(b, bobsId, '👍').isDisabled()).toBe(false);
    await send(b, 'Spaces, then.');
    await messageWith(a, 'Spaces, then.').waitFor({ timeout: 5_000 });
  });

  it('a moderator deletes someone else’s message, with a reason; both windows show the tombstone', async () => {
    const threadId = await createThread(server, bob, 'Bob’s thread');
    const spamId = await postMessage(server, bob, threadId, 'Buy cheap watches at example.com');
    const adasId = await postMessage(server, ada, threadId, 'Welcome, everyone.');
    const [a, b] = await bothIn(threadId);

    // Bob, a member, cannot delete Ada's message; Ada, a moderator, can delete Bob's.
    await messageById(b, adasId).hover();
    expect((await messageActionNames(messageById(b, adasId))).filter((n) => /^Delete/.test(n))).toEqual([]);
    await messageAction(messageById(a, spamId), 'Delete the message by Bob');
    const dialog = a.getByRole('dialog', { name: 'Delete this message?' });
    await dialog.getByLabel('Reason (optional)').fill('Spam');
    await snap(a, 'moderator-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete' }).click();

    for (const page of [a, b]) {
      await expect.poll(() => messageById(page, spamId).locator('.message-body').innerText(), { timeout: 5_000 }).toBe('Message deleted');
    }
    expect(await b.getByText('cheap watches').count()).toBe(0);
    await snap(b, 'moderator-deleted-bob');

    const events = await server.gql<{ events: { __typename: string; actor: { id: string } | null; data: { messageId?: string; reason?: string | null } }[] }>(
      `query { events(types: ["MessageDeleted"], first: 100) { __typename actor { id } data } }`,
      {},
      ada.token,
    );
    const deletion = events.events.find((e) => e.data.messageId === spamId);
    expect(deletion?.actor?.id).toBe(ada.userId);
    expect(deletion?.data.reason).toBe('Spam');
  });
});
