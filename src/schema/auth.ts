/** register, login, logout. */
import { login, logout, register } from '../commands/accounts.ts';
import type { Session } from '../commands/accounts.ts';
import { builder } from './builder.ts';
import { User } from './refs.ts';

const AuthPayload = builder.objectRef<Session>('AuthPayload').implement({
  description: 'A new session: send the token as `Authorization: Bearer <token>` (HTTP) or `connectionParams.authorization` (WebSocket).',
  fields: (t) => ({
    token: t.exposeString('token', { description: 'Opaque bearer token, valid for 30 days.' }),
    user: t.field({ type: User, description: 'Who signed in.', resolve: (s) => s.user }),
  }),
});

const RegisterInput = builder.inputType('RegisterInput', {
  description: 'A new account.',
  fields: (t) => ({
    username: t.string({ required: true, description: '3–32 of a-z, 0-9, _.' }),
    password: t.string({ required: true, description: 'At least 8 characters.' }),
    displayName: t.string({ required: true, description: '1–64 characters.' }),
  }),
});

const LoginInput = builder.inputType('LoginInput', {
  description: 'Credentials of an existing account.',
  fields: (t) => ({
    username: t.string({ required: true }),
    password: t.string({ required: true }),
  }),
});

builder.mutationFields((t) => ({
  register: t.field({
    type: AuthPayload,
    description: 'Creates an account and signs in. CONFLICT when the username is taken.',
    args: { input: t.arg({ type: RegisterInput, required: true }) },
    resolve: (_root, { input }, ctx) => register(ctx.services, input, ctx.correlationId),
  }),
  login: t.field({
    type: AuthPayload,
    description: 'Signs in. UNAUTHENTICATED when the username or password is wrong.',
    args: { input: t.arg({ type: LoginInput, required: true }) },
    resolve: (_root, { input }, ctx) => login(ctx.services, input),
  }),
  logout: t.boolean({
    description: 'Revokes the token this request was sent with. False when there was none.',
    resolve: (_root, _args, ctx) => (ctx.token ? logout(ctx.services, ctx.token) : false),
  }),
}));
