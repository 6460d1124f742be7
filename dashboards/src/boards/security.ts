import { METRICS, SERVICES } from '@scalefu/contracts';
import { Board } from '../board';
import { argoCdSyncs } from './annotations';

const http = METRICS.httpRequestDuration.name;

/** Security: admin logins and lockouts, refused requests (401/403) and the public rate limit (429). */
export function security(): Board {
  const board = new Board({
    uid: 'scalefu-security',
    title: 'ScaleFu / Security',
    description: 'Admin authentication, lockouts, 401/403 answers and 429s from the public rate limit',
    tags: ['security'],
  });
  argoCdSyncs(board);
  board
    .section('Admin authentication')
    .panel({
      title: 'Logins by outcome',
      description: 'Admin logins per minute',
      queries: [
        {
          expr: `sum by (outcome) (rate(${METRICS.authEvents.name}{event="login"}[5m])) * 60`,
          legend: '{{outcome}}',
        },
      ],
    })
    .panel({
      title: 'Lockouts and refresh-token reuse',
      description: 'Accounts locked after repeated failures; a reused refresh token revokes its family',
      queries: [
        {
          expr: `sum by (event) (increase(${METRICS.authEvents.name}{event=~"lockout|refresh_reuse"}[15m]))`,
          legend: '{{event}}',
        },
      ],
    })
    .section('Refused requests')
    .panel({
      title: '401 / 403 per service',
      description: 'Requests refused for missing or insufficient credentials (0 when none)',
      queries: [
        {
          expr: `sum by (service, status_code) (rate(${http}_count{status_code=~"401|403"}[5m])) or sum by (service) (rate(${http}_count[5m])) * 0`,
          legend: '{{service}} {{status_code}}',
        },
      ],
      unit: 'reqps',
    })
    .panel({
      title: '429 from the public rate limit',
      description: `Requests the ${SERVICES.onboarder.name} refused per client IP, by route`,
      queries: [{ expr: `sum by (route) (rate(${METRICS.rateLimited.name}[5m]))`, legend: '{{route}}' }],
      unit: 'reqps',
    });
  return board;
}
