// Filtering the dashboard's 5,000 Pages: the goal is well under 50 ms per
// keystroke, search text and status filter and grouping included.
// Run: cd frontend && npx vitest bench --run
import { bench, describe } from 'vitest'
import type { Candidate } from '../src/lib/api'
import { filterCandidates, filterPages, pageRows, setChosen } from '../src/lib/filter'
import { many } from '../src/test/fixtures'

const pages = many(5000)
// Warm the per-Page search text once, as the first keystroke does in the app.
filterPages(pages, 'x', 'all')

describe('5,000 Pages', () => {
  bench('search "bakery" + group (what a keystroke costs)', () => {
    pageRows(pages, 'bakery', 'all')
  })
  bench('status "invalid" + group', () => {
    pageRows(pages, '', 'invalid')
  })
  bench('two words, no match', () => {
    pageRows(pages, 'florist zzz', 'all')
  })
  bench('no filter: group and sort all 5,000', () => {
    pageRows(pages, '', 'all')
  })
  bench('first search on a fresh snapshot (search text not cached yet)', () => {
    pageRows(pages.map((p) => ({ ...p })), 'shop 4', 'all')
  })
})

// The chooser after a login that offers 5,000 Pages: a keystroke in its
// search, and Select all of what it found.
const cands: Candidate[] = pages.map((p) => ({ id: p.id, name: p.name, category: p.category, instagramUsername: p.instagramUsername,
  tasks: ['MANAGE'], missingPermissions: [], missingTasks: [], alreadyConnected: false, viaPortfolio: false, selected: true }))
const none: Record<string, boolean> = {}
filterCandidates(cands, 'x')

describe('Chooser, 5,000 Pages', () => {
  bench('chooser: search "florist" (a keystroke)', () => {
    filterCandidates(cands, 'florist')
  })
  bench('chooser: select all found by "shop 4"', () => {
    setChosen(none, filterCandidates(cands, 'shop 4'), true)
  })
  bench('chooser: select all 5,000', () => {
    setChosen(none, cands, true)
  })
})
