// Words and times as the owner reads them. Reasons come as stable codes and
// their explanations (summary, fix) and buttons (actions) come from Go; this
// file only decides labels and colours.
import type { Status } from './api'

export const statusLabel: Record<Status, string> = {
  valid: 'Working',
  warning: 'Needs attention',
  invalid: 'Broken',
  unknown: 'Not checked',
  disconnected: 'Disconnected',
}

/** Broken first: the order of the dashboard and its groups. */
export const statusRank: Record<string, number> = { invalid: 0, warning: 1, unknown: 2, valid: 3, disconnected: 4 }

export function asStatus(s: string): Status {
  return s in statusLabel ? (s as Status) : 'unknown'
}

/** possessive makes "Dana's", and "Chris'" stays readable too. */
export function possessive(name: string): string {
  if (!name) return "this person's"
  return name.endsWith('s') ? `${name}'` : `${name}'s`
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600], ['month', 30 * 24 * 3600], ['week', 7 * 24 * 3600],
  ['day', 24 * 3600], ['hour', 3600], ['minute', 60],
]

// One formatter for every label: building one per call costs more than the formatting.
const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' })

/**
 * relativeTime says "5 min ago" or "in 2 hours"; "" (never or unknown) gives
 * the fallback. now is a parameter so tests do not depend on the clock.
 */
export function relativeTime(iso: string, now: number = Date.now(), fallback = 'never'): string {
  if (!iso) return fallback
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return fallback
  const secs = Math.round((t - now) / 1000)
  if (Math.abs(secs) < 45) return 'just now'
  for (const [unit, size] of units) {
    if (Math.abs(secs) >= size) {
      const n = Math.round(secs / size)
      return rtf.format(n, unit)
    }
  }
  return rtf.format(Math.round(secs / 60) || (secs < 0 ? -1 : 1), 'minute')
}

/**
 * aspects says when each aspect of a Page was last read from Facebook: a
 * periodic check probes the access more often than it reads the rest, so
 * one "checked" time would claim more than was checked.
 */
export function aspects(p: { checkedAt: string; rolesCheckedAt: string; webhooksCheckedAt: string }, now: number = Date.now()): string {
  return `access checked ${relativeTime(p.checkedAt, now)} · roles and permissions ${relativeTime(p.rolesCheckedAt, now)} · webhooks ${relativeTime(p.webhooksCheckedAt, now)}`
}

// Made on first use, then kept: toLocaleString with options builds a new
// formatter on every call (about a millisecond in WebKit, three per row).
let dtf: Intl.DateTimeFormat | undefined

/** absoluteTime is the full local time for a title attribute. */
export function absoluteTime(iso: string): string {
  if (!iso) return ''
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return ''
  dtf ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' })
  return dtf.format(t)
}

/** plural gives "1 Page" or "3 Pages". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

/** grouped writes a count as the owner reads it: 1,000 rather than 1000. */
export function grouped(n: number): string {
  return n.toLocaleString('en-US')
}

/** groupedPlural is plural with the count grouped: "1,000 Pages". */
export function groupedPlural(n: number, one: string, many = `${one}s`): string {
  return plural(n, one, many).replace(/^\d+/, grouped(n))
}

/** listNames gives "A", "A and B", or "A, B and 3 more". */
export function listNames(names: string[], max = 3): string {
  if (names.length === 0) return ''
  if (names.length === 1) return names[0]
  if (names.length <= max) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`
}

// Page tasks and permissions as the person reads them; the words are Go's.
export { label as taskLabel, label as permissionLabel } from './labels.svelte'
