// Plain words: whatever a Page owner reads in the window, outside the one
// support detail line ([data-support]), holds no raw Facebook permission or
// task name, and not the words token, grant or scope. The data below carries
// raw names on purpose, as Go sends them; the window must put them in words.
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Candidate } from './lib/api'
import { fake } from './test/fake'
import { ago, detail, page, profile, snapshot } from './test/fixtures'

vi.mock('./lib/api', async (orig) => (await import('./test/fake')).mockApi(await orig()))

import App from './App.svelte'

beforeEach(() => fake.reset())
afterEach(() => cleanup())

// The words (any case), raw names like pages_show_list, and Facebook's task names (as written).
const words = /\b(tokens?|grant(s|ed|ing)?|scopes?)\b|\b[a-z]+_[a-z_]+\b/gi
const taskNames = /\b(MANAGE|CREATE_CONTENT|MODERATE|MESSAGING|ADVERTISE|ANALYZE)\b/g
const jargon = { test: (t: string) => !!(t.match(words) || t.match(taskNames)) }

/** readable is the window's text as a person reads it: labels and titles too, the support lines left out. */
function readable(): string {
  const body = document.body.cloneNode(true) as HTMLElement
  // The hooks section is the integration for whoever scripts Pagekeeper: its
  // variable names are its interface (and it is another issue's words).
  body.querySelectorAll('[data-support], [aria-labelledby="hooks-title"], script, style').forEach((n) => n.remove())
  const attrs = [...body.querySelectorAll('[title], [aria-label], [placeholder]')].flatMap((n) =>
    ['title', 'aria-label', 'placeholder'].map((a) => n.getAttribute(a) ?? ''))
  return [body.textContent ?? '', ...attrs].join('\n')
}

function expectPlain(where: string) {
  const text = readable()
  const found = [...(text.match(words) ?? []), ...(text.match(taskNames) ?? [])]
  expect(found, `${where}: ${text.replace(/\s+/g, ' ').slice(0, 400)}`).toEqual([])
}

const raw = {
  tasks: ['MANAGE', 'CREATE_CONTENT', 'MODERATE', 'MESSAGING', 'ADVERTISE', 'ANALYZE'],
  permissions: ['pages_show_list', 'pages_manage_posts', 'instagram_basic'],
  missingPermissions: ['pages_messaging', 'read_insights'],
  missingTasks: ['MESSAGING'],
}

describe('plain words', () => {
  it('the support line is the only place for raw names', () => {
    document.body.innerHTML = '<p>Working</p><p data-support>pages_show_list, token</p>'
    expect(jargon.test(readable())).toBe(false)
    document.body.innerHTML = '<p title="pages_show_list">Working</p>'
    expect(jargon.test(readable())).toBe(true) // a raw name in a tooltip counts too
    document.body.innerHTML = ''
  })

  it('the dashboard and a Page with raw permissions, tasks, activity and history', { timeout: 15000 }, async () => {
    const p = page({ id: '77', name: 'Harbor Street Bakery', status: 'warning', reason: 'permission_missing', ...raw,
      summary: "Pagekeeper lacks Facebook permissions it needs for Harbor Street Bakery: “Answer your Pages' messages”.", fix: 'Click Reconnect and log in as Dana Smith.' })
    const q = page({ id: '78', name: 'Harbor Street Bakery Catering', status: 'invalid', reason: 'token_invalid', summary: 'Facebook no longer accepts Pagekeeper\'s access to Harbor Street Bakery Catering.' })
    fake.api.snapshot.mockResolvedValue(snapshot({ pages: [p, q], profiles: [profile({ id: 'u1' })] }))
    fake.api.pageDetail.mockResolvedValue(detail(p, {
      activity: [
        { at: ago(60_000), kind: 'token_renewed', actor: 'Dana Smith', details: "new token from Dana Smith's login", sentence: "Dana Smith's access to Harbor Street Bakery was renewed." },
        { at: ago(120_000), kind: 'status_changed', actor: 'Pagekeeper', details: 'unknown → warning: x', sentence: 'First check: Harbor Street Bakery needs attention.' },
      ],
      history: [{ at: ago(60_000), from: 'valid', to: 'warning', reason: 'permission_missing' }, { at: ago(30_000), from: 'warning', to: 'invalid', reason: 'token_invalid' }],
    }))
    render(App)
    await screen.findByRole('button', { name: 'Harbor Street Bakery' })
    expectPlain('dashboard')
    await fireEvent.click(screen.getByRole('button', { name: 'Harbor Street Bakery' }))
    await screen.findByRole('heading', { level: 1, name: 'Harbor Street Bakery' })
    await screen.findByText("Answer your Pages' messages (not allowed)")
    expect(document.querySelector('[data-support]')).toBeTruthy()
    expectPlain('Page detail')
  })

  it('the wizard: the guided setup, and the Pages to choose with what was not allowed', { timeout: 15000 }, async () => {
    fake.api.snapshot.mockResolvedValue(snapshot({ configured: false, appId: '' }))
    render(App)
    await screen.findByRole('heading', { name: 'Create the app' })
    expectPlain('Meta app setup')
    cleanup()

    fake.api.snapshot.mockResolvedValue(snapshot())
    render(App)
    await fireEvent.click(await screen.findByRole('button', { name: 'Log in with Facebook' }))
    await screen.findByTestId('login-url')
    expectPlain('waiting for the login')
    const c = (id: string, name: string, extra: Partial<Candidate> = {}): Candidate => ({ id, name, category: 'Bakery', instagramUsername: '',
      tasks: raw.tasks, missingPermissions: [], missingTasks: [], alreadyConnected: false, viaPortfolio: false, selected: true,
      watchedById: '', watchedBy: '', watchedTasks: [], watchedStatus: '', takeover: '', ...extra })
    fake.emit('pagekeeper:login-result', { ok: true, mode: 'connect', error: '', cancelled: false, personId: 'u1', personName: 'Dana Smith',
      declined: ['pages_messaging'], applied: null,
      candidates: [c('1', 'Harbor Street Bakery', { missingPermissions: raw.missingPermissions, missingTasks: raw.missingTasks }), c('2', 'Little Harbor Cafe', { alreadyConnected: true })] })
    await screen.findByRole('heading', { name: 'Choose the Pages to watch' })
    await screen.findByText(/Not allowed in this login: “Answer your Pages' messages”/)
    expectPlain('choose Pages')
  })

  it('the settings', { timeout: 15000 }, async () => {
    fake.api.snapshot.mockResolvedValue(snapshot({ pages: [page({ id: '1', ...raw })], profiles: [profile({ id: 'u1' })] }))
    render(App)
    await screen.findByTestId('headline')
    await fireEvent.click(screen.getByRole('button', { name: 'Settings' }))
    await screen.findByTestId('interval')
    expectPlain('settings')
  })
})
