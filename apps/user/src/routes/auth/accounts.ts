import { ADMIN_ROLES, AUTH_ROUTES } from '@scalefu/contracts';
import { maskEmail } from '@scalefu/identity';
import { AppError, NotFoundError, inTransaction } from '@scalefu/service-kit';
import { Type } from 'typebox';
import { changeAccount, findAccount, listAccounts, type AdminAccount } from '../../store/admin-accounts';
import { revokeAccountFamilies } from '../../store/refresh-tokens';
import type { AdminApp } from '../shared';
import { AUTH_TAGS, errorResponses, record, type AuthDeps } from './shared';

const Role = Type.Union([Type.Literal(ADMIN_ROLES[0]), Type.Literal(ADMIN_ROLES[1])]);

const Account = Type.Object({
  accountId: Type.String({ format: 'uuid' }),
  email: Type.String({ description: 'masked' }),
  role: Role,
  mfa: Type.Boolean({ description: 'a second factor is active' }),
  disabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const toAccount = (a: AdminAccount) => ({
  accountId: a.accountId,
  email: maskEmail(a.email),
  role: a.role,
  mfa: a.totpActive,
  disabled: a.disabled,
  createdAt: a.createdAt.toISOString(),
  lastLoginAt: a.lastLoginAt?.toISOString() ?? null,
});

/** `GET /api/v1/auth/accounts` (admin): the admin accounts, e-mails masked. */
export function listAccountsRoute(app: AdminApp, deps: AuthDeps): void {
  app.get(
    AUTH_ROUTES.accounts,
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        tags: AUTH_TAGS,
        summary: 'List admin accounts (admin)',
        security: [{ bearer: [] }],
        response: {
          200: Type.Object({ status: Type.Literal('success'), data: Type.Object({ accounts: Type.Array(Account) }) }),
          ...errorResponses(401, 403),
        },
      },
    },
    async () => ({ status: 'success' as const, data: { accounts: (await listAccounts(deps.pool)).map(toAccount) } }),
  );
}

/**
 * `PUT /api/v1/auth/accounts/:accountId/role` (admin, step-up): the account's token version moves, so its tokens stop
 * writing at once and its sessions end.
 */
export function changeRoleRoute(app: AdminApp, deps: AuthDeps): void {
  app.put(
    `${AUTH_ROUTES.accounts}/:accountId/role`,
    {
      config: { auth: { roles: ['admin'], stepUp: true } },
      schema: {
        tags: AUTH_TAGS,
        summary: 'Change the role of an admin account (admin, needs a recent code)',
        security: [{ bearer: [] }],
        params: Type.Object({ accountId: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ role: Role }, { additionalProperties: false }),
        response: {
          200: Type.Object({ status: Type.Literal('success'), data: Account }),
          ...errorResponses(400, 401, 403, 404, 409, 413, 415),
        },
      },
    },
    async (request) => {
      const { accountId } = request.params;
      if (accountId === request.principal?.accountId) {
        throw new AppError('CONFLICT', 'Change your own role through another admin');
      }
      const changed = await inTransaction(deps.pool, async (tx) => {
        const before = await findAccount(tx, accountId, true);
        if (!before) throw new NotFoundError('Account');
        const after = await changeAccount(tx, accountId, { role: request.body.role });
        await revokeAccountFamilies(tx, accountId, 'role_change');
        return { before, after: after! };
      });
      await record(deps, request, {
        action: 'accounts.role_change',
        outcome: 'success',
        actorId: request.principal?.accountId,
        target: accountId,
        details: { from: changed.before.role, to: changed.after.role },
      });
      return { status: 'success' as const, data: toAccount(changed.after) };
    },
  );
}
