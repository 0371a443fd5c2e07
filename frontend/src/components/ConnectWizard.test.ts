import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Candidate, LoginResult } from '../lib/api'
import { fake } from '../test/fake'
import { page, profile, snapshot } from '../test/fixtures'

vi.mock('../lib/api', async (orig) => (await import('../test/fake')).mockApi(await orig()))

import App from '../App.svelte'

beforeEach(() => fake.reset())
afterEach(() => cleanup())

function candidate(c: Partial<Candidate> & { id: string; name: string }): Candidate {
  return { category: 'Bakery', instagramUsername: '', tasks: ['MANAGE'], missingPermissions: [], missingTasks: [],
    alreadyConnected: false, viaPortfolio: false, selected: true,
    watchedById: '', watchedBy: '', watchedTasks: [], watchedStatus: '', takeover: '', ...c }
}

function result(r: Partial<LoginResult>): LoginResult {
  return { ok: true, mode: 'connect', error: '', cancelled: false, personId: 'u1', personName: 'Dana Smith',
    declined: [], candidates: [], applied: null, ...r }
}

async function loggedIn(candidates: Candidate[], extra: Partial<LoginResult> = {}) {
  render(App)
  await fireEvent.click(await screen.findByRole('button', { name: 'Log in with Facebook' }))
  await screen.findByTestId('login-url')
  fake.emit('pagekeeper:login-result', result({ candidates, ...extra }))
  await screen.findByRole('heading', { name: 'Choose the Pages to watch' })
}

describe('first run', () => {
  it('opens on the Meta app step with "Try the demo" beside it', async () => {
    fake.api.snapshot.mockResolvedValue(snapshot({ configured: false, appId: '' }))
    render(App)
    expect(await screen.findByRole('heading', { name: 'Set up your Meta app' })).toBeTruthy()
    expect(screen.getByTestId('redirect-uri').textContent).toBe('http://localhost:53682/callback')
    await fireEvent.click(screen.getByRole('button', { name: 'Copy redirect URI' }))
    expect(fake.copied).toEqual(['http://localhost:53682/callback'])
    fake.api.snapshot.mockResolvedValue(snapshot({ demo: true }))
    await fireEvent.click(screen.getByRole('button', { name: 'Try the demo' }))
    expect(fake.api.startDemo).toHaveBeenCalledOnce()
    expect(await screen.findByTestId('demo-badge')).toBeTruthy()
    expect(await screen.findByRole('heading', { name: 'Connect your Facebook Pages' })).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Try the demo' })).toBeNull()
  })

  it('checks the App ID and secret before asking Go, then shows Go\'s error', async () => {
    fake.api.snapshot.mockResolvedValue(snapshot({ configured: false, appId: '' }))
    render(App)
    await screen.findByRole('heading', { name: 'Set up your Meta app' })
    const id = screen.getByLabelText('App ID')
    const secret = screen.getByLabelText('App Secret') as HTMLInputElement
    expect(secret.type).toBe('password')
    await fireEvent.input(id, { target: { value: 'my-app' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Check and save' }))
    expect(screen.getByText(/An App ID is a number/)).toBeTruthy()
    expect(screen.getByText(/Enter the App Secret/)).toBeTruthy()
    expect(id.getAttribute('aria-invalid')).toBe('true')
    expect(fake.api.setupMetaApp).not.toHaveBeenCalled()

    fake.api.setupMetaApp.mockRejectedValueOnce('Facebook rejected the App Secret for app 1234567890 (error 101)')
    await fireEvent.input(id, { target: { value: '1234567890' } })
    await fireEvent.input(secret, { target: { value: 'wrong' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Check and save' }))
    expect((await screen.findByRole('alert')).textContent).toContain('rejected the App Secret')
    expect(fake.api.setupMetaApp).toHaveBeenCalledWith('1234567890', 'wrong')

    fake.api.snapshot.mockResolvedValue(snapshot())
    await fireEvent.input(secret, { target: { value: 'right' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Check and save' }))
    expect(await screen.findByRole('heading', { name: 'Connect your Facebook Pages' })).toBeTruthy()
  })

  it('opens on the dashboard when Pages are connected', async () => {
    fake.api.snapshot.mockResolvedValue(snapshot({ pages: [page({ id: '1' })], profiles: [profile({ id: 'u1' })] }))
    render(App)
    expect(await screen.findByTestId('headline')).toBeTruthy()
  })
})

describe('connect wizard', () => {
  it('explains the rules before the login', async () => {
    render(App)
    await screen.findByRole('heading', { name: 'Connect your Facebook Pages' })
    const text = document.querySelector('.rules')!.textContent!
    expect(text).toContain('Page admin')
    expect(text).toContain('two-factor authentication')
    expect(text).toContain('Facebook ends the token')
  })

  it('waits for the browser with a copyable link and can cancel', async () => {
    render(App)
    await fireEvent.click(await screen.findByRole('button', { name: 'Log in with Facebook' }))
    expect(fake.api.startConnect).toHaveBeenCalledOnce()
    const link = (await screen.findByTestId('login-url')) as HTMLInputElement
    expect(link.value).toContain('dialog/oauth')
    await fireEvent.click(screen.getByRole('button', { name: 'Copy login link' }))
    expect(fake.copied).toEqual([link.value])
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(fake.api.cancelLogin).toHaveBeenCalledOnce()
    expect(await screen.findByRole('button', { name: 'Log in with Facebook' })).toBeTruthy()
  })

  it('says why a login failed and lets the person start again', async () => {
    fake.api.startConnect.mockRejectedValueOnce('port 53682 is in use by another program')
    render(App)
    await fireEvent.click(await screen.findByRole('button', { name: 'Log in with Facebook' }))
    expect((await screen.findByRole('alert')).textContent).toContain('port 53682 is in use')
    await fireEvent.click(screen.getByRole('button', { name: 'Log in with Facebook' }))
    await screen.findByTestId('login-url')
    fake.emit('pagekeeper:login-result', result({ ok: false, error: 'Dana Smith granted no Pages.' }))
    expect((await screen.findByRole('alert')).textContent).toContain('granted no Pages')
  })

  it('lists the candidates with Instagram, tasks, missing permissions and portfolio labels, preselected as Go says', async () => {
    await loggedIn([
      candidate({ id: '1', name: 'Corner Bakery', instagramUsername: 'cornerbakery', tasks: ['MANAGE', 'MESSAGING'] }),
      candidate({ id: '2', name: 'Harbor Foods', viaPortfolio: true, missingPermissions: ['pages_messaging'], missingTasks: ['MESSAGING'] }),
      candidate({ id: '3', name: 'Old Shop', selected: false }),
    ], { declined: ['pages_messaging'] })
    const cands = screen.getAllByTestId('candidate')
    expect(cands).toHaveLength(3)
    expect(cands[0].textContent).toContain('Instagram: @cornerbakery')
    expect(cands[0].textContent).toContain('Your tasks: Full control, Messages')
    expect(cands[1].textContent).toContain('through a Business Portfolio')
    expect(cands[1].textContent).toContain('Missing permission: pages_messaging')
    expect(cands[1].textContent).toContain('Missing task: Messages')
    expect(screen.getByText(/You declined pages_messaging/)).toBeTruthy()
    const boxes = screen.getAllByRole('checkbox') as HTMLInputElement[]
    expect(boxes.map((b) => b.checked)).toEqual([true, true, false])
    expect(screen.getByRole('button', { name: 'Connect 2 Pages' })).toBeTruthy()
  })

  it('warns when an already connected Page is unticked, and needs at least one Page', async () => {
    await loggedIn([candidate({ id: '1', name: 'Corner Bakery', alreadyConnected: true })])
    const box = screen.getByRole('checkbox') as HTMLInputElement
    await fireEvent.click(box)
    expect(screen.getByText('Leave it ticked to keep its connection up to date.')).toBeTruthy()
    const btn = screen.getByRole('button', { name: 'Choose a Page' })
    expect(btn.hasAttribute('disabled')).toBe(true)
  })

  it('shows who watches each Page, and asks before moving one to fewer tasks, keeping it by default', async () => {
    await loggedIn([
      candidate({ id: '1', name: 'Corner Bakery', tasks: ['MODERATE'], watchedById: 'u1', watchedBy: 'Dana Smith', watchedTasks: ['MANAGE', 'MODERATE'], watchedStatus: 'valid', takeover: 'fewer_tasks', selected: false }),
      candidate({ id: '2', name: 'Harbor Jobs', watchedById: 'u1', watchedBy: 'Dana Smith', watchedTasks: ['ANALYZE'], watchedStatus: 'valid' }),
    ], { personId: 'u2', personName: 'Sam Ortiz' })
    const [bakery] = screen.getAllByTestId('candidate')
    expect(within(bakery).getByTestId('watched-by').textContent).toBe('Watched through Dana Smith · Full control, Moderate')
    expect(within(bakery).getByTestId('takeover').textContent).toContain('Sam Ortiz has fewer tasks on it than Dana Smith')
    const boxes = screen.getAllByRole('checkbox') as HTMLInputElement[]
    expect(boxes.map((b) => b.checked)).toEqual([false, true])
    await fireEvent.click(boxes[0])
    await fireEvent.click(screen.getByRole('button', { name: 'Connect 2 Pages' }))
    expect(fake.api.finishConnect).not.toHaveBeenCalled()
    const ask = screen.getByTestId('confirm-move')
    expect(ask.textContent).toContain('Move 1 Page to Sam Ortiz?')
    const keep = within(ask).getByRole('button', { name: 'Keep the current connection' })
    expect(document.activeElement).toBe(keep)
    await fireEvent.click(keep)
    expect(fake.api.finishConnect).toHaveBeenCalledWith(['2'])
  })

  it('connects the chosen Pages and sums up what changed', async () => {
    fake.api.finishConnect.mockResolvedValue({ connected: ['Corner Bakery'], updated: ['Harbor Foods'], notGranted: [], replaced: [], personName: 'Dana Smith', checksAfter: 2 })
    await loggedIn([candidate({ id: '1', name: 'Corner Bakery' }), candidate({ id: '2', name: 'Harbor Foods' }), candidate({ id: '3', name: 'Old Shop' })])
    await fireEvent.click(screen.getAllByRole('checkbox')[2])
    await fireEvent.click(screen.getByRole('button', { name: 'Connect 2 Pages' }))
    expect(fake.api.finishConnect).toHaveBeenCalledWith(['1', '2'])
    const res = await screen.findByTestId('apply-result')
    expect(res.textContent).toContain('Connected: Corner Bakery')
    expect(res.textContent).toContain('Connection renewed: Harbor Foods')
    expect(res.textContent).toContain('Checked 2 Pages right away.')
    fake.api.snapshot.mockResolvedValue(snapshot({ pages: [page({ id: '1' })] }))
    fake.emit('pagekeeper:snapshot', snapshot({ pages: [page({ id: '1', name: 'Corner Bakery' })], profiles: [profile({ id: 'u1' })] }))
    await fireEvent.click(screen.getByRole('button', { name: 'Open the dashboard' }))
    expect(await screen.findByTestId('headline')).toBeTruthy()
  })

  it('names a Page that came without a token, in the chooser and in the summary', async () => {
    const why = 'Facebook listed Old Shop without an access token for it, so Pagekeeper cannot watch it and stored nothing for it.'
    const skipped = [{ id: '3', name: 'Old Shop', why }]
    fake.api.finishConnect.mockResolvedValue({ connected: ['Corner Bakery'], updated: [], notGranted: [], replaced: [], personName: 'Dana Smith', checksAfter: 1, skipped })
    await loggedIn([candidate({ id: '1', name: 'Corner Bakery' })], { skipped })
    expect(screen.getByTestId('skipped').textContent).toContain(`Old Shop cannot be connected. ${why}`)
    expect(screen.getAllByRole('checkbox')).toHaveLength(1)
    await fireEvent.click(screen.getByRole('button', { name: 'Connect 1 Page' }))
    const res = await screen.findByTestId('apply-result')
    expect(res.textContent).toContain(`Skipped Old Shop: ${why}`)
  })

  it('keeps the choice and shows the error when connecting fails', async () => {
    fake.api.finishConnect.mockRejectedValue('the keychain is locked; unlock it and try again')
    await loggedIn([candidate({ id: '1', name: 'Corner Bakery' })])
    await fireEvent.click(screen.getByRole('button', { name: 'Connect 1 Page' }))
    expect((await screen.findByRole('alert')).textContent).toContain('keychain is locked')
    expect(screen.getAllByTestId('candidate')).toHaveLength(1)
    await waitFor(() => expect(screen.getByRole('button', { name: 'Connect 1 Page' }).hasAttribute('disabled')).toBe(false))
    const steps = within(screen.getByRole('list', { name: 'Steps' }))
    expect(steps.getByText('Choose Pages').closest('li')!.getAttribute('aria-current')).toBe('step')
  })
})

describe('login results elsewhere', () => {
  it('brings the wizard back when Pages arrive to choose while the window shows another view', async () => {
    fake.api.snapshot.mockResolvedValue(snapshot({ pages: [page({ id: '1' })], profiles: [profile({ id: 'u1' })] }))
    render(App)
    await fireEvent.click(await screen.findByRole('button', { name: 'Connect Pages' }))
    await fireEvent.click(await screen.findByRole('button', { name: 'Log in with Facebook' }))
    await screen.findByTestId('login-url')
    await fireEvent.click(screen.getByRole('button', { name: 'Settings' }))
    fake.emit('pagekeeper:login-result', result({ candidates: [candidate({ id: '9', name: 'New Shop' })] }))
    expect(await screen.findByRole('heading', { name: 'Choose the Pages to watch' })).toBeTruthy()
  })
})

describe('a window opened after the login', () => {
  it('picks up the Pages still waiting to be chosen, and the background problems', async () => {
    fake.api.lastLogin.mockResolvedValue(result({ candidates: [candidate({ id: 'p1', name: 'Harbor Street Bakery' })] }))
    fake.api.notices.mockResolvedValue([{ level: 'error', message: 'the system keychain is locked' }])
    render(App)
    await screen.findByRole('heading', { name: 'Choose the Pages to watch' })
    expect(screen.getByText('Harbor Street Bakery')).toBeTruthy()
    expect(await screen.findByText(/keychain is locked/)).toBeTruthy()
  })

  it('does not offer a choice that was already made', async () => {
    fake.api.lastLogin.mockResolvedValue(result({ candidates: [candidate({ id: 'p1', name: 'Harbor Street Bakery' })], applied: { connected: ['Harbor Street Bakery'], updated: [], notGranted: [], replaced: [], personName: 'Dana Smith', checksAfter: 1 } }))
    render(App)
    await screen.findByRole('heading', { name: 'Connect your Facebook Pages' })
    await waitFor(() => expect(fake.api.lastLogin).toHaveBeenCalled())
    expect(screen.queryByRole('heading', { name: 'Choose the Pages to watch' })).toBeNull()
  })
})
