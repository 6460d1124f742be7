/** Shared pieces of the user service's query-plan tests (real Postgres of the test stack). */
import { RUNTIME_ENV } from '@scalefu/contracts';
import pg from 'pg';
import { config } from './helpers';

export type PlanNode = Record<string, unknown>;

/** A connection of its own: a temporary table created on it shadows the real one for this session only. */
export async function openPlanSession(): Promise<{ session: pg.PoolClient; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: config[RUNTIME_ENV.databaseUrl], max: 1 });
  const session = await pool.connect();
  return {
    session,
    close: async () => {
      session.release();
      await pool.end();
    },
  };
}

function flatten(node: PlanNode): PlanNode[] {
  const children = (node['Plans'] as PlanNode[] | undefined) ?? [];
  return [node, ...children.flatMap(flatten)];
}

/** Runs `sql` under EXPLAIN (ANALYZE, BUFFERS): every node of its plan, depth first, the root first. */
export async function explainedNodes(session: pg.PoolClient, sql: string, params: unknown[]): Promise<PlanNode[]> {
  const { rows } = await session.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`,
    params,
  );
  return flatten(rows[0]!['QUERY PLAN'][0].Plan);
}

/** The indexes a plan reads, by name. */
export function indexesUsed(nodes: readonly PlanNode[]): string[] {
  return nodes.map((n) => n['Index Name']).filter((name): name is string => typeof name === 'string');
}
