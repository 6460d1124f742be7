import { AUTH_ROUTES, errorResponses } from '@scalefu/contracts';
import { Type } from 'typebox';
import type { AdminApp } from '../shared';
import { AUTH_TAGS, type AuthDeps } from './shared';

const Jwks = Type.Object({
  keys: Type.Array(
    Type.Object({
      kty: Type.Literal('OKP'),
      crv: Type.Literal('Ed25519'),
      x: Type.String(),
      kid: Type.String(),
      alg: Type.String(),
      use: Type.Literal('sig'),
    }),
    { description: 'the current signing key first, then the previous one (tokens it signed are still valid)' },
  ),
});

/** `GET /.well-known/jwks.json`: public keys for every service's JWT plugin; cached briefly so rotation spreads fast. */
export function jwksRoute(app: AdminApp, deps: AuthDeps): void {
  app.get(
    AUTH_ROUTES.jwks,
    {
      schema: {
        tags: AUTH_TAGS,
        security: [],
        summary: 'Public keys of access tokens (JWKS)',
        response: { 200: Jwks, ...errorResponses() },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return deps.tokens.jwks;
    },
  );
}
