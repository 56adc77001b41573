/**
 * Hands focus from the sign-in form to the new-thread box. The form is gone
 * once the app mounts, so the sign-in leaves a note here and the box takes
 * it on mount; a reload (already signed in) leaves none, and focus stays
 * where the browser puts it.
 */
let pending = false;

export function focusAfterSignIn(): void {
  pending = true;
}

/** True once after a sign-in or registration. */
export function takeSignInFocus(): boolean {
  const was = pending;
  pending = false;
  return was;
}
