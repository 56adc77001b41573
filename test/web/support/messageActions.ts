/**
 * A message's actions in the browser suites: since issue 16 they sit in a
 * menu behind one "Message actions" button per message (MessageActions.tsx).
 */
import type { Locator } from 'playwright-core';

/** Opens the menu of `message` and picks the item called `name`. */
export async function messageAction(message: Locator, name: string | RegExp): Promise<void> {
  await message.hover();
  await message.getByRole('button', { name: 'Message actions' }).click();
  await message.getByRole('menuitem', { name }).click();
}

/** The names of the items the menu of `message` offers (it is closed again with Escape). */
export async function messageActionNames(message: Locator): Promise<string[]> {
  await message.hover();
  await message.getByRole('button', { name: 'Message actions' }).click();
  const menu = message.getByRole('menu');
  await menu.waitFor();
  const names = await menu.getByRole('menuitem').evaluateAll((items) => items.map((item) => item.getAttribute('aria-label') ?? item.textContent ?? ''));
  await message.page().keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });
  return names;
}
