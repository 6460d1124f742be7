/**
 * Purpose: the bench's yardstick: a bare fastify server whose POST /api/v1/register validates the same body schema
 *          as the onboarder and answers 201 with a constant body, doing nothing else. register rps ÷ this server's rps
 *          is what the register path costs over the framework's floor.
 * Prerequisites: started by scripts/bench.ts on the pinned Node with tsx.
 * Usage: PORT=<port> node --import tsx scripts/lib/bench/noop-server.ts
 */
import { PUBLIC_ROUTE_TEMPLATES, RegisterRequestBody } from '@scalefu/contracts';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const answer = { status: 'success', message: 'Registration successful', data: { userID: '0' } };
app.post(PUBLIC_ROUTE_TEMPLATES.register, { schema: { body: RegisterRequestBody } }, async (_request, reply) =>
  reply.code(201).send(answer),
);
app.get('/healthz', async () => ({ status: 'ok' }));
await app.listen({ host: '127.0.0.1', port: Number(process.env['PORT']) });
