import { METRICS } from '@scalefu/contracts';
import { Board } from '../board';
import { argoCdSyncs } from './annotations';

/** Business: registrations per minute by outcome, duplicates by field, confirmations. */
export function business(): Board {
  const board = new Board({
    uid: 'scalefu-business',
    title: 'ScaleFu / Business',
    description: 'Registrations, duplicates and confirmations per minute',
    tags: ['business'],
  });
  argoCdSyncs(board);
  board
    .section('Registrations')
    .panel({
      title: 'Registrations per minute by outcome',
      description: 'accepted, invalid, duplicate, rate_limited, unavailable, error',
      queries: [{ expr: `sum by (outcome) (rate(${METRICS.registrations.name}[5m])) * 60`, legend: '{{outcome}}' }],
      unit: 'short',
    })
    .panel({
      title: 'Confirmations per minute',
      description: 'Registrations that reached CONFIRMED',
      queries: [{ expr: `sum(rate(${METRICS.endToEnd.name}_count[5m])) * 60`, legend: 'confirmed' }],
    })
    .section('Duplicates')
    .panel({
      title: 'Duplicates per minute by field and stage',
      description: 'redis = refused at the door (409); database = caught by Postgres after passing Redis',
      queries: [
        { expr: `sum by (field, stage) (rate(${METRICS.duplicates.name}[5m])) * 60`, legend: '{{field}} ({{stage}})' },
      ],
    })
    .panel({
      title: 'Accepted registrations today',
      description: 'Accepted in the last 24 h',
      queries: [{ expr: `sum(increase(${METRICS.registrations.name}{outcome="accepted"}[1d]))`, legend: 'accepted' }],
      kind: 'stat',
    });
  return board;
}
