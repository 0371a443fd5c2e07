// Which repair prompts the dashboard shows: one per person and kind of fix,
// so ten Pages broken by one changed password make one banner, not ten.
import type { PageView, ProfileView } from './api'
import { needsPageAdmin, needsReconnect } from './format'

export interface Banner {
  key: string
  profileId: string
  person: string
  /** reconnect: a new login of the person fixes it; admin: a Page admin must act; other: explain only */
  kind: 'reconnect' | 'admin' | 'other'
  pages: PageView[]
  summary: string
  fix: string
  /** role_lost and task_missing also want a "Check again" once an admin acted */
  checkAgain: boolean
}

export function banners(pages: readonly PageView[], profiles: readonly ProfileView[]): Banner[] {
  const byKey = new Map<string, Banner>()
  const people = new Map(profiles.map((p) => [p.id, p]))
  for (const p of pages) {
    if (p.status !== 'invalid') continue
    const kind = needsReconnect(p.reason) ? 'reconnect' : needsPageAdmin(p.reason) ? 'admin' : 'other'
    const key = `${kind}:${p.profileId}:${kind === 'reconnect' ? '' : p.reason}`
    let b = byKey.get(key)
    if (!b) {
      const prof = people.get(p.profileId)
      // When the person's own login broke, Go's words for the person say it best.
      const personBroke = kind === 'reconnect' && prof?.status === 'invalid' && prof.summary
      b = {
        key, profileId: p.profileId, person: p.profileName || prof?.name || '', kind, pages: [],
        summary: personBroke ? prof.summary : p.summary,
        fix: personBroke && prof.fix ? prof.fix : p.fix,
        checkAgain: kind !== 'other' && needsPageAdmin(p.reason),
      }
      byKey.set(key, b)
    }
    b.pages.push(p)
    if (needsPageAdmin(p.reason)) b.checkAgain = true
  }
  const order = { reconnect: 0, admin: 1, other: 2 }
  return [...byKey.values()].sort((a, b) => order[a.kind] - order[b.kind] || a.person.localeCompare(b.person))
}
