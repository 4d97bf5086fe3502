/** The screens reachable from the navigation, in menu order. The hash of the URL selects one. */
export const routes = [
  { id: 'patients', label: 'Patients' },
  { id: 'new-session', label: 'New session' },
  { id: 'devices', label: 'Devices' },
  { id: 'live', label: 'Live' },
  { id: 'review', label: 'Sessions' },
  { id: 'doses', label: 'Doses' },
  { id: 'trends', label: 'Trends' },
  { id: 'report', label: 'Visit report' },
  { id: 'cohort', label: 'Cohort' },
  { id: 'settings', label: 'Settings' },
] as const;

export type RouteId = (typeof routes)[number]['id'];

export function routeFromHash(hash: string): RouteId {
  const id = hash.replace(/^#\/?/, '');
  return routes.find((r) => r.id === id)?.id ?? 'patients';
}
