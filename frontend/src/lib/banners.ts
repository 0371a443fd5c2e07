// Which repair prompts the dashboard shows: one per person and kind of fix,
// so ten Pages broken by one changed password make one banner, not ten.
// Warnings get banners too (an expired login, data access or an Instagram
// link that needs a new login): their Page tokens still work, but not for long
// or not for everything.
import type { ActionView, PageView, ProfileView } from './api'

export interface Banner {
  key: string
  profileId: string
  person: string
  /** the main action: reconnect (a new login of the person), admin (a Page admin must act), resubscribe, or other */
  kind: 'reconnect' | 'admin' | 'resubscribe' | 'other'
  /** invalid when one of its Pages is broken, else warning */
  tone: 'invalid' | 'warning'
  pages: PageView[]
  summary: string
  fix: string
  /** the buttons, main one first: Go's actions for the reason */
  actions: ActionView[]
}

export function bannerKind(actions: readonly ActionView[]): Banner['kind'] {
  switch (actions[0]?.kind) {
    case 'ask_admin': return 'admin'
    case 'resubscribe': return 'resubscribe'
  }
  return actions.some((a) => a.kind === 'reconnect') ? 'reconnect' : 'other'
}

export function banners(pages: readonly PageView[], profiles: readonly ProfileView[]): Banner[] {
  const byKey = new Map<string, Banner>()
  const people = new Map(profiles.map((p) => [p.id, p]))
  for (const p of pages) {
    if (p.status !== 'invalid' && p.status !== 'warning') continue
    const actions = p.actions ?? []
    if (actions.length === 0) continue
    const kind = bannerKind(actions)
    // One login repairs every reconnect reason of a person; the others are per reason.
    const key = `${kind}:${p.profileId}:${kind === 'reconnect' ? '' : p.reason}`
    let b = byKey.get(key)
    if (!b) {
      b = { key, profileId: p.profileId, person: p.profileName || people.get(p.profileId)?.name || '', kind, tone: 'warning', pages: [], summary: p.summary, fix: p.fix, actions }
      byKey.set(key, b)
    }
    b.pages.push(p)
    if (p.status === 'invalid' && b.tone !== 'invalid') {
      // The broken Pages speak first: their words and buttons lead the banner.
      b.tone = 'invalid'
      Object.assign(b, { summary: p.summary, fix: p.fix, actions })
    }
  }
  for (const b of byKey.values()) {
    const prof = people.get(b.profileId)
    // When the person's own login broke, Go's words for the person say it best.
    if (b.kind === 'reconnect' && b.tone === 'invalid' && prof?.status === 'invalid' && prof.summary) {
      b.summary = prof.summary
      if (prof.fix) b.fix = prof.fix
    } else if (new Set(b.pages.map((p) => p.summary)).size > 1) {
      // Each Page's words name that Page: a banner for several says it for all.
      Object.assign(b, groupWords(b))
    }
  }
  const order = { reconnect: 0, admin: 1, resubscribe: 2, other: 3 }
  const tone = { invalid: 0, warning: 1 }
  return [...byKey.values()].sort((a, b) => tone[a.tone] - tone[b.tone] || order[a.kind] - order[b.kind] || a.person.localeCompare(b.person))
}

/** groupWords are a banner's words when its Pages' own words differ. */
function groupWords(b: Banner): Pick<Banner, 'summary' | 'fix' | 'actions'> {
  const who = b.person || 'the person who connected them'
  const n = b.pages.length
  switch (b.kind) {
    case 'admin': {
      const then = b.actions.some((a) => a.kind === 'check_again') ? 'Check again' : 'Reconnect'
      return {
        summary: `${who} lacks access Pagekeeper needs on ${n} Pages.`,
        fix: `Click Ask an admin for ready messages to the admins of these Pages; once they have, click ${then}.`,
        actions: b.actions,
      }
    }
    case 'resubscribe':
      return { summary: `${n} Pages no longer send their events to Pagekeeper's app.`, fix: 'Click Turn events back on to have Facebook send their events to Pagekeeper\'s app again.', actions: b.actions.filter((a) => a.kind === 'resubscribe') }
    case 'reconnect':
      return { summary: `${n} Pages connected by ${who} need a new login.`, fix: `Click Reconnect and log in as ${who}.`, actions: b.actions.filter((a) => a.kind === 'reconnect') }
  }
  return { summary: `${n} Pages connected by ${who} need attention.`, fix: '', actions: b.actions.filter((a) => a.kind === 'check_again') }
}
