/** Nest injection tokens of the API's framework-free services. */
export const API_CONFIG = Symbol('API_CONFIG');
export const API_STORE = Symbol('API_STORE');
export const BUDGET_STORE = Symbol('BUDGET_STORE');
export const API_METRICS = Symbol('API_METRICS');
export const UPDATES_HUB = Symbol('UPDATES_HUB');
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
/** `() => Date`: the clock, injectable so tests can pin "now". */
export const CLOCK = Symbol('CLOCK');
/** The failed sign-in limiter shared by GraphQL and the CSV export. */
export const AUTH_GUARD = Symbol('AUTH_GUARD');
/** The per-caller request limiter shared by GraphQL and the CSV export; null when API_RATE_LIMIT_PER_MINUTE is 0. */
export const REQUEST_RATE = Symbol('REQUEST_RATE');
