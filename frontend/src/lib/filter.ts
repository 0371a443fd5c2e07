// Search, status filter and grouping of the page list. Pure functions over
// the snapshot, so the dashboard, the benchmark and the tests share them.
import type { Candidate, PageView, Status } from './api'
import { statusRank } from './format'

export type StatusFilter = 'all' | Status

export type Row =
  | { kind: 'group'; key: string; profileId: string; name: string; count: number; worst: string }
  | { kind: 'page'; key: string; page: PageView }

// The lowercased text a query is matched against, built once per object: a
// snapshot (or a login) replaces the objects, so stale entries simply vanish.
function haystackOf<T extends object>(fields: (o: T) => string[]): (o: T) => string {
  const cache = new WeakMap<T, string>()
  return (o) => {
    let h = cache.get(o)
    if (h === undefined) {
      h = fields(o).join('\n').toLowerCase()
      cache.set(o, h)
    }
    return h
  }
}

const haystack = haystackOf<PageView>((p) => [p.name, p.id, p.instagramUsername, p.instagramUsername ? '@' + p.instagramUsername : '',
  p.profileName, p.category, p.summary])

function queryWords(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean)
}

// One collator: far cheaper per comparison than String.localeCompare.
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })

function rank(status: string): number {
  return statusRank[status] ?? statusRank.unknown
}

/** comparePages orders broken Pages first, then by person, then by name. */
export function comparePages(a: PageView, b: PageView): number {
  return rank(a.status) - rank(b.status) ||
    collator.compare(a.profileName, b.profileName) ||
    collator.compare(a.name, b.name) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/**
 * filterPages keeps the Pages whose name, ID, Instagram account, person,
 * category or reason contain every word of the query, with the given status.
 */
export function filterPages(pages: readonly PageView[], query: string, status: StatusFilter): PageView[] {
  const words = queryWords(query)
  const out: PageView[] = []
  for (const p of pages) {
    if (status !== 'all' && p.status !== status) continue
    if (words.length > 0) {
      const h = haystack(p)
      if (!words.every((w) => h.includes(w))) continue
    }
    out.push(p)
  }
  return out
}

/**
 * groupRows turns Pages into the rows of the list: a header per person who
 * connected them, the people whose Pages are worst first, and inside each
 * group the broken Pages first.
 */
export function groupRows(pages: readonly PageView[]): Row[] {
  const groups = new Map<string, { name: string; pages: PageView[]; worst: number }>()
  for (const p of pages) {
    let g = groups.get(p.profileId)
    if (!g) {
      g = { name: p.profileName || 'Unknown person', pages: [], worst: Infinity }
      groups.set(p.profileId, g)
    }
    g.pages.push(p)
    g.worst = Math.min(g.worst, rank(p.status))
  }
  const ordered = [...groups.entries()].sort(([, a], [, b]) => a.worst - b.worst || collator.compare(a.name, b.name))
  const rows: Row[] = []
  for (const [profileId, g] of ordered) {
    g.pages.sort(comparePages)
    rows.push({ kind: 'group', key: 'g:' + profileId, profileId, name: g.name, count: g.pages.length, worst: g.pages[0].status })
    for (const p of g.pages) rows.push({ kind: 'page', key: 'p:' + p.id, page: p })
  }
  return rows
}

/** pageRows is what the dashboard renders: filter, then group. */
export function pageRows(pages: readonly PageView[], query: string, status: StatusFilter): Row[] {
  return groupRows(filterPages(pages, query, status))
}

// The chooser's search: a Candidate is matched on its name, ID, category and Instagram account.
const candidateHaystack = haystackOf<Candidate>((c) => [c.name, c.id, c.category, c.instagramUsername ? '@' + c.instagramUsername : ''])

/** filterCandidates keeps the Pages offered after a login that contain every word of the query. */
export function filterCandidates(cands: readonly Candidate[], query: string): Candidate[] {
  const words = queryWords(query)
  if (words.length === 0) return cands.slice()
  return cands.filter((c) => {
    const h = candidateHaystack(c)
    return words.every((w) => h.includes(w))
  })
}

/** setChosen ticks (or unticks) every one of cands in a copy of chosen, for select all / none. */
export function setChosen(chosen: Record<string, boolean>, cands: readonly Candidate[], on: boolean): Record<string, boolean> {
  const next = { ...chosen }
  for (const c of cands) next[c.id] = on
  return next
}
