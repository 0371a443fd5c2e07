import { describe, expect, it } from 'vitest'
import { page, profile } from '../test/fixtures'
import { banners } from './banners'
import { aspects, listNames, possessive, relativeTime } from './format'
import { serverProblems, validate } from './settings'

describe('relativeTime', () => {
  const now = Date.parse('2025-06-01T12:00:00Z')
  it('speaks in minutes, hours and days, both ways', () => {
    expect(relativeTime('2025-06-01T11:55:00Z', now)).toBe('5 min. ago')
    expect(relativeTime('2025-06-01T09:00:00Z', now)).toBe('3 hr. ago')
    expect(relativeTime('2025-05-29T12:00:00Z', now)).toBe('3 days ago')
    expect(relativeTime('2025-06-01T12:15:00Z', now)).toBe('in 15 min.')
    expect(relativeTime('2025-06-01T11:59:40Z', now)).toBe('just now')
  })
  it('says "never" for no time or a broken one', () => {
    expect(relativeTime('', now)).toBe('never')
    expect(relativeTime('soon', now, 'unknown')).toBe('unknown')
  })
})

describe('aspects', () => {
  it('says per aspect when it was read, never "just now" for one that was not', () => {
    const now = Date.parse('2025-06-01T12:00:00Z')
    const s = aspects({ checkedAt: '2025-06-01T11:59:50Z', rolesCheckedAt: '2025-06-01T11:20:00Z', webhooksCheckedAt: '' }, now)
    expect(s).toBe('access checked just now · roles and permissions 40 min. ago · webhooks never')
  })
})

describe('words', () => {
  it('makes possessives and lists', () => {
    expect(possessive('Dana')).toBe("Dana's")
    expect(possessive('Chris')).toBe("Chris'")
    expect(listNames(['A'])).toBe('A')
    expect(listNames(['A', 'B', 'C'])).toBe('A, B and C')
    expect(listNames(['A', 'B', 'C', 'D', 'E'])).toBe('A, B, C and 2 more')
  })
})

describe('banners', () => {
  it('makes one reconnect banner per person, worded by the person when their login broke', () => {
    const dana = profile({ id: 'u1', status: 'invalid', reason: 'password_changed', summary: 'Dana changed her password.', fix: 'Reconnect Dana.' })
    const list = banners([
      page({ id: '1', status: 'invalid', reason: 'password_changed', summary: 'Page 1 lost access.' }),
      page({ id: '2', status: 'invalid', reason: 'session_expired', summary: 'Page 2 lost access.' }),
      page({ id: '3', status: 'warning', reason: 'expiring_soon' }),
    ], [dana])
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({ kind: 'reconnect', summary: 'Dana changed her password.', fix: 'Reconnect Dana.', checkAgain: false })
    expect(list[0].pages.map((p) => p.id)).toEqual(['1', '2'])
  })

  it('keeps admin-only and unexplained breakage apart, reconnects first', () => {
    const list = banners([
      page({ id: '1', status: 'invalid', reason: 'task_missing', summary: 'No Messages task.' }),
      page({ id: '2', status: 'invalid', reason: 'account_checkpointed', summary: 'Facebook locked the account.' }),
      page({ id: '3', status: 'invalid', reason: 'role_lost', summary: 'No role.' }),
    ], [])
    expect(list.map((b) => [b.kind, b.checkAgain])).toEqual([['reconnect', true], ['admin', true], ['other', false]])
  })
})

describe('settings checks', () => {
  const ok = { checkIntervalMinutes: 30, notifyInvalid: true, notifyWarning: true, reminderHours: 24, warnDays: 7,
    runInBackground: true, startAtLogin: false, appId: '1', hasAppSecret: true, redirectPort: 53682, redirectUri: '' }
  it('accepts sane values and names each bad one', () => {
    expect(validate(ok)).toEqual({})
    const p = validate({ ...ok, checkIntervalMinutes: 1441, reminderHours: 0, warnDays: 1.5, redirectPort: 80 })
    expect(Object.keys(p).sort()).toEqual(['checkIntervalMinutes', 'redirectPort', 'reminderHours', 'warnDays'])
  })
  it('maps Go field names to the form and keeps the rest general', () => {
    expect(serverProblems('invalid settings: checkInterval: 0s is outside 1m0s to 24h0m0s; graphUrl: not https')).toEqual({
      fields: { checkIntervalMinutes: '0s is outside 1m0s to 24h0m0s' }, general: 'graphUrl: not https',
    })
    expect(serverProblems('the data folder is locked')).toEqual({ fields: {}, general: 'the data folder is locked' })
  })
})
