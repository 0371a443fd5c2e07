import { describe, expect, it } from 'vitest'
import { many, page } from '../test/fixtures'
import { comparePages, filterPages, groupRows, pageRows } from './filter'

describe('filterPages', () => {
  const pages = [
    page({ id: '100', name: 'Corner Bakery', instagramUsername: 'cornerbuns', profileName: 'Dana Smith' }),
    page({ id: '200', name: 'Flower Shop', category: 'Florist', status: 'invalid', summary: 'The app was removed.', profileName: 'Lee Wong' }),
    page({ id: '300', name: 'Bike Repair', category: 'Garage', status: 'warning' }),
  ]

  it('matches name, ID, Instagram (with or without @), person, category and reason, ignoring case', () => {
    const names = (q: string) => filterPages(pages, q, 'all').map((p) => p.name)
    expect(names('corner')).toEqual(['Corner Bakery'])
    expect(names('200')).toEqual(['Flower Shop'])
    expect(names('@cornerbuns')).toEqual(['Corner Bakery'])
    expect(names('LEE')).toEqual(['Flower Shop'])
    expect(names('garage')).toEqual(['Bike Repair'])
    expect(names('removed')).toEqual(['Flower Shop'])
  })

  it('needs every word to match', () => {
    expect(filterPages(pages, 'flower lee', 'all')).toHaveLength(1)
    expect(filterPages(pages, 'flower dana', 'all')).toHaveLength(0)
  })

  it('filters by status and treats blank queries as none', () => {
    expect(filterPages(pages, '  ', 'warning').map((p) => p.id)).toEqual(['300'])
    expect(filterPages(pages, '', 'all')).toHaveLength(3)
  })
})

describe('groupRows', () => {
  it('puts the people with broken Pages first and broken Pages first within', () => {
    const rows = groupRows([
      page({ id: '1', name: 'A', profileId: 'u1', profileName: 'Ann' }),
      page({ id: '2', name: 'B', profileId: 'u2', profileName: 'Bob', status: 'disconnected' }),
      page({ id: '3', name: 'C', profileId: 'u2', profileName: 'Bob', status: 'invalid' }),
      page({ id: '4', name: 'D', profileId: 'u1', profileName: 'Ann', status: 'unknown' }),
    ])
    expect(rows.map((r) => (r.kind === 'group' ? `[${r.name} ${r.count}]` : r.page.name))).toEqual(['[Bob 2]', 'C', 'B', '[Ann 2]', 'D', 'A'])
  })

  it('orders names naturally (Shop 2 before Shop 10)', () => {
    const a = page({ id: '1', name: 'Shop 10' }), b = page({ id: '2', name: 'Shop 2' })
    expect(comparePages(b, a)).toBeLessThan(0)
  })

  it('keeps every one of 5,000 Pages exactly once', () => {
    const pages = many(5000)
    const rows = pageRows(pages, '', 'all')
    const ids = rows.flatMap((r) => (r.kind === 'page' ? [r.page.id] : []))
    expect(new Set(ids).size).toBe(5000)
    expect(rows.filter((r) => r.kind === 'group')).toHaveLength(5)
    expect(pageRows(pages, '', 'invalid').every((r) => r.kind === 'group' || r.page.status === 'invalid')).toBe(true)
  })
})
