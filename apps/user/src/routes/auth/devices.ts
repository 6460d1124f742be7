import { AUTH_ROUTES } from '@scalefu/contracts';
import { NotFoundError } from '@scalefu/service-kit';
import { Type } from 'typebox';
import { listTrustedDevices, revokeTrustedDevice } from '../../store/trusted-devices';
import type { AdminApp } from '../shared';
import { AUTH_TAGS, errorResponses, principalOf, record, type AuthDeps } from './shared';

const DevicesEnvelope = Type.Object({
  status: Type.Literal('success'),
  data: Type.Object({
    devices: Type.Array(
      Type.Object({
        deviceId: Type.String({ format: 'uuid' }),
        label: Type.String({ description: 'the browser that asked to be trusted (User-Agent)' }),
        createdAt: Type.String({ format: 'date-time' }),
        expiresAt: Type.String({ format: 'date-time' }),
      }),
    ),
  }),
});

/** `GET /api/v1/auth/devices`: the caller's trusted devices. */
export function listDevicesRoute(app: AdminApp, deps: AuthDeps): void {
  app.get(
    AUTH_ROUTES.devices,
    {
      schema: {
        tags: AUTH_TAGS,
        summary: 'List my trusted devices',
        security: [{ bearer: [] }],
        response: { 200: DevicesEnvelope, ...errorResponses(401) },
      },
    },
    async (request) => {
      const principal = await principalOf(deps, request);
      const devices = await listTrustedDevices(deps.pool, principal.accountId);
      return {
        status: 'success' as const,
        data: {
          devices: devices.map((d) => ({
            deviceId: d.deviceId,
            label: d.label,
            createdAt: d.createdAt.toISOString(),
            expiresAt: d.expiresAt.toISOString(),
          })),
        },
      };
    },
  );
}

/** `DELETE /api/v1/auth/devices/:deviceId`: the device must enter a code again at its next sign-in. */
export function revokeDeviceRoute(app: AdminApp, deps: AuthDeps): void {
  app.delete(
    `${AUTH_ROUTES.devices}/:deviceId`,
    {
      schema: {
        tags: AUTH_TAGS,
        summary: 'Revoke one of my trusted devices',
        security: [{ bearer: [] }],
        params: Type.Object({ deviceId: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null({ description: 'revoked' }), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const principal = await principalOf(deps, request);
      if (!(await revokeTrustedDevice(deps.pool, principal.accountId, request.params.deviceId))) {
        throw new NotFoundError('Trusted device');
      }
      await record(deps, request, {
        action: 'auth.device_revoke',
        outcome: 'success',
        actorId: principal.accountId,
        target: request.params.deviceId,
      });
      return reply.code(204).send(null);
    },
  );
}
