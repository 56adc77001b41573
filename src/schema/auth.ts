/** register, login, logout, logoutEverywhere, changePassword. */
import { changePassword, login, logout, logoutEverywhere, register } from '../accounts/accounts.ts';
import type { Session } from '../accounts/accounts.ts';
import { LIMITS, range } from '../input/limits.ts';
import { builder } from './builder.ts';
import { User } from './refs.ts';

const AuthPayload = builder.objectRef<Session>('AuthPayload').implement({
  description: 'A new session: send the token as `Authorization: Bearer <token>` (HTTP) or `connectionParams.authorization` (WebSocket).',
  fields: (t) => ({
    token: t.exposeString('token', {
      description:
        'Opaque bearer token. It ends when unused for THRDS_SESSION_IDLE_DAYS (30), THRDS_SESSION_MAX_DAYS (90) after sign-in, when the user holds more than THRDS_SESSIONS_PER_USER (20) sessions (oldest first), or at logout, logoutEverywhere or changePassword.',
    }),
    user: t.field({ type: User, description: 'Who signed in.', resolve: (s) => s.user }),
  }),
});

const RegisterInput = builder.inputType('RegisterInput', {
  description: 'A new account.',
  fields: (t) => ({
    username: t.string({ required: true, description: `${range(LIMITS.username)} of a-z, 0-9, _.` }),
    password: t.string({ required: true, description: `${range(LIMITS.password)} characters.` }),
    displayName: t.string({
      required: true,
      description: `${range(LIMITS.displayName)} characters after trimming, at least one of them visible; no control or bidi override characters. Stored in Unicode NFC.`,
    }),
  }),
});

const LoginInput = builder.inputType('LoginInput', {
  description: 'Credentials of an existing account.',
  fields: (t) => ({
    username: t.string({ required: true, description: 'The account\'s username.' }),
    password: t.string({ required: true, description: `Its password (at most ${LIMITS.password.max.toLocaleString('en-US')} characters).` }),
  }),
});

const ChangePasswordInput = builder.inputType('ChangePasswordInput', {
  description: 'The password now, and the one to replace it.',
  fields: (t) => ({
    currentPassword: t.string({ required: true, description: 'The password now; a wrong one counts as a failed login.' }),
    newPassword: t.string({ required: true, description: `${range(LIMITS.password)} characters.` }),
  }),
});

builder.mutationFields((t) => ({
  register: t.field({
    type: AuthPayload,
    description:
      'Creates an account and signs in. CONFLICT when the username is taken; RATE_LIMITED (with `retryAfter`) after THRDS_RATE_SIGNUPS_PER_ADDRESS sign-ups from one address.',
    args: { input: t.arg({ type: RegisterInput, required: true, description: 'The new account.' }) },
    resolve: (_root, { input }, ctx) => register(ctx.services, input, ctx),
  }),
  login: t.field({
    type: AuthPayload,
    description:
      'Signs in. UNAUTHENTICATED when the username or password is wrong; RATE_LIMITED (with `retryAfter`) after too many failures for the username or from the address, even with the right password.',
    args: { input: t.arg({ type: LoginInput, required: true, description: 'The credentials.' }) },
    resolve: (_root, { input }, ctx) => login(ctx.services, input, ctx),
  }),
  logout: t.boolean({
    description: 'Revokes the token this request was sent with; its open WebSockets close with 4403. False when there was none.',
    resolve: (_root, _args, ctx) => logout(ctx.services, ctx.token),
  }),
  logoutEverywhere: t.int({
    description: 'Ends every session of the signed-in user, this one included, and closes their open WebSockets (4403). Returns how many ended. UNAUTHENTICATED without a valid token.',
    resolve: (_root, _args, ctx) => logoutEverywhere(ctx.services, ctx.token),
  }),
  changePassword: t.boolean({
    description:
      'Replaces the signed-in user\'s password and ends every other session of theirs (this one stays). UNAUTHENTICATED without a valid token or with a wrong current password (counted as a failed login); BAD_USER_INPUT for a new password out of bounds.',
    args: { input: t.arg({ type: ChangePasswordInput, required: true, description: 'The password now and the new one.' }) },
    resolve: (_root, { input }, ctx) => changePassword(ctx.services, ctx.token, input, ctx),
  }),
}));
