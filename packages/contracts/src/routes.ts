/**
 * Route templates of the public API (ARCHITECTURE §3) as the kit labels them in `route`: the onboarder serves them,
 * the availability SLO and the security dashboard select on them.
 */
export const PUBLIC_ROUTES = {
  register: '/api/v1/register',
  registrationStatus: '/api/v1/registrations/:userID',
} as const;
