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
    expect(list[0]).toMatchObject({ kind: 'reconnect', tone: 'invalid', summary: 'Dana changed her password.', fix: 'Reconnect Dana.' })
    // The warning's Page is repaired by the same login: it joins the banner.
    expect(list[0].pages.map((p) => p.id)).toEqual(['1', '2', '3'])
    expect(list[0].actions.map((a) => a.kind)).toEqual(['reconnect'])
  })

  it('gives warnings whose fix is a login a banner of their own, worded for now', () => {
    const list = banners([
      page({ id: '1', status: 'warning', reason: 'instagram_unlinked', summary: 'The Instagram account is no longer linked.' }),
      page({ id: '2', status: 'warning', reason: 'session_expired', profileId: 'u2', profileName: 'Sam', summary: "Sam's login has expired." }),
      page({ id: '3', status: 'warning', reason: 'webhooks_unsubscribed', summary: 'No events.' }),
      page({ id: '4', status: 'warning', reason: 'rate_limited' }),
    ], [])
    expect(list.map((b) => [b.kind, b.tone, b.person])).toEqual([
      ['reconnect', 'warning', 'Dana Smith'], ['reconnect', 'warning', 'Sam'], ['resubscribe', 'warning', 'Dana Smith']])
    expect(list[0].actions.map((a) => a.label)).toEqual(['Reconnect', 'Open in Facebook'])
  })

  it('words a banner of several Pages for all of them, not the first one', () => {
    const list = banners([
      page({ id: '1', name: 'A', status: 'warning', reason: 'task_missing', summary: "Dana's role on A lacks Messages." }),
      page({ id: '2', name: 'B', status: 'warning', reason: 'task_missing', summary: "Dana's role on B lacks Insights." }),
    ], [])
    expect(list).toHaveLength(1)
    expect(list[0].summary).toBe('Dana Smith lacks access Pagekeeper needs on 2 Pages.')
    expect(list[0].fix).toContain('click Check again')
  })

  it('keeps admin repairs apart per reason, with Ask an admin first; logins first', () => {
    const list = banners([
      page({ id: '1', status: 'invalid', reason: 'task_missing', summary: 'No Messages task.' }),
      page({ id: '2', status: 'invalid', reason: 'account_checkpointed', summary: 'Facebook locked the account.' }),
      page({ id: '3', status: 'invalid', reason: 'role_lost', summary: 'No role.' }),
    ], [])
    expect(list.map((b) => [b.kind, b.pages[0].reason, b.actions[0].kind])).toEqual([
      ['reconnect', 'account_checkpointed', 'open_facebook'], ['admin', 'task_missing', 'ask_admin'], ['admin', 'role_lost', 'ask_admin']])
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
