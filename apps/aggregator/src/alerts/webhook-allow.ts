import { RESTRICTED_CLASSES, type RestrictedClass } from './address-class';

/** The setting that opens restricted address classes to webhooks (empty: public addresses only). */
export const WEBHOOK_ALLOW_SETTING = 'CCPULSE_WEBHOOK_ALLOW';

/**
 * Parses `CCPULSE_WEBHOOK_ALLOW` (`loopback,private,…`). Throws a message naming the unknown
 * class and the known ones, so a typo stops the app at start instead of silently allowing less.
 */
export function parseWebhookAllow(raw: string | undefined): ReadonlySet<RestrictedClass> {
  const out = new Set<RestrictedClass>();
  for (const part of (raw ?? '').split(',')) {
    const name = part.trim().toLowerCase();
    if (!name) continue;
    if (!(RESTRICTED_CLASSES as readonly string[]).includes(name)) {
      throw new Error(`unknown address class '${part.trim()}' (known: ${RESTRICTED_CLASSES.join(', ')})`);
    }
    out.add(name as RestrictedClass);
  }
  return out;
}
