import { routeHash, withZone, zoneParam, type Route } from '../core/route';

/** The hash of `route`, keeping the time zone the current URL names. */
function hashOf(route: Route): string {
  return withZone(routeHash(route), zoneParam(location.hash));
}

/** Navigates to `route` (a new history entry; the page re-renders from the URL). */
export function goTo(route: Route): void {
  location.hash = hashOf(route);
}

/** Records a change the page already shows (a toggle) in the URL, without re-rendering. */
export function recordRoute(route: Route): void {
  history.replaceState(null, '', hashOf(route));
}
