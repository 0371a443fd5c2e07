import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Candidate, LoginResult } from '../lib/api'
import { fake } from '../test/fake'
import { ago, page, profile, snapshot } from '../test/fixtures'

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
  it('opens on the guided Meta app setup with "Try the demo" beside it', async () => {
    fake.api.snapshot.mockResolvedValue(snapshot({ configured: false, appId: '' }))
    render(App)
    expect(await screen.findByRole('heading', { name: 'Set up your Meta app' })).toBeTruthy()
    expect(await screen.findByRole('heading', { name: 'Create the app' })).toBeTruthy()
    expect(screen.getByText(/checked on 27 November 2026/)).toBeTruthy()
    await fireEvent.click(screen.getByRole('button', { name: /Open Create the app/ }))
    expect(fake.opened).toEqual(['https://developers.facebook.com/apps/creation/'])
    fake.api.snapshot.mockResolvedValue(snapshot({ demo: true }))
    await fireEvent.click(screen.getByRole('button', { name: 'Try the demo' }))
    expect(fake.api.startDemo).toHaveBeenCalledOnce()
    expect(await screen.findByTestId('demo-badge')).toBeTruthy()
    expect(await screen.findByRole('heading', { name: 'Connect your Facebook Pages' })).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Try the demo' })).toBeNull()
  })

  it('walks the steps: the App ID checked as pasted, the links aimed at the app, one message for a wrong secret, the app\'s name', async () => {
    fake.api.snapshot.mockResolvedValue(snapshot({ configured: false, appId: '' }))
    render(App)
    await screen.findByRole('heading', { name: 'Create the app' })
    await fireEvent.click(screen.getByRole('button', { name: 'Next' }))
    const id = await screen.findByLabelText('App ID')
    const next = screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement
    expect(next.disabled).toBe(true)
    fake.api.checkMetaApp.mockResolvedValueOnce({ appName: '', field: 'appId', problem: 'An App ID is a number made of digits only.' })
    await fireEvent.input(id, { target: { value: 'my-app' } })
    expect((await screen.findByRole('alert')).textContent).toBe('An App ID is a number made of digits only.')
    expect(id.getAttribute('aria-invalid')).toBe('true')
    expect(next.disabled).toBe(true)

    fake.api.checkMetaApp.mockResolvedValueOnce({ appName: '', field: 'appSecret', problem: 'Paste the App Secret.' })
    await fireEvent.input(id, { target: { value: '1234567890' } })
    await waitFor(() => expect(next.disabled).toBe(false))
    expect(screen.queryByRole('alert')).toBeNull()
    await fireEvent.click(next)

    expect(await screen.findByRole('heading', { name: 'Add the redirect address' })).toBeTruthy()
    expect(screen.getByTestId('redirect-uri').textContent).toBe('http://localhost:53682/callback')
    await fireEvent.click(screen.getByRole('button', { name: 'Copy redirect address' }))
    expect(fake.copied).toEqual(['http://localhost:53682/callback'])
    await waitFor(() => expect(fake.api.metaAppGuide).toHaveBeenLastCalledWith('1234567890'))
    await fireEvent.click(screen.getByRole('button', { name: /Open Add the redirect address/ }))
    expect(fake.opened.at(-1)).toBe('https://developers.facebook.com/apps/1234567890/business-login/settings/')
    await fireEvent.click(screen.getByRole('button', { name: 'Next' }))

    const secret = await screen.findByLabelText('App Secret') as HTMLInputElement
    expect(secret.type).toBe('password')
    const save = screen.getByRole('button', { name: 'Save and continue' }) as HTMLButtonElement
    expect(save.disabled).toBe(true)
    fake.api.checkMetaApp.mockResolvedValueOnce({ appName: '', field: 'appSecret', problem: 'Facebook did not accept this App Secret for the app 1234567890.' })
    await fireEvent.input(secret, { target: { value: 'wrong' } })
    const alerts = await screen.findAllByRole('alert')
    expect(alerts.map((a) => a.textContent)).toEqual(['Facebook did not accept this App Secret for the app 1234567890.'])
    expect(save.disabled).toBe(true)

    fake.api.checkMetaApp.mockResolvedValueOnce({ appName: 'Harbor Street Pagekeeper', field: '', problem: '' })
    await fireEvent.input(secret, { target: { value: 'right' } })
    expect((await screen.findByTestId('app-name')).textContent).toBe('Connected to your Meta app “Harbor Street Pagekeeper”.')
    expect(screen.queryByRole('alert')).toBeNull()
    fake.api.snapshot.mockResolvedValue(snapshot())
    await waitFor(() => expect(save.disabled).toBe(false))
    await fireEvent.click(save)
    expect(fake.api.setupMetaApp).toHaveBeenCalledWith('1234567890', 'right')
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
    expect(text).toContain("ends Pagekeeper's access to it")
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

  it('after the browser said connected, says what happens next, with counts', { timeout: 30000 }, async () => {
    render(App)
    await fireEvent.click(await screen.findByRole('button', { name: 'Log in with Facebook' }))
    await screen.findByTestId('login-url')
    fake.emit('pagekeeper:login-progress', { mode: 'connect', step: 'reading', total: 0 })
    expect((await screen.findByTestId('login-progress')).textContent).toBe('Facebook confirmed your login. Reading the Pages you allowed…')
    expect(screen.queryByText(/Waiting for you to finish logging in/)).toBeNull()
    expect(screen.queryByTestId('login-url')).toBeNull()

    const cands = Array.from({ length: 1207 }, (_, i) => candidate({ id: String(i + 1), name: `Page ${i + 1}` }))
    fake.emit('pagekeeper:login-result', result({ candidates: cands }))
    await screen.findByRole('heading', { name: 'Choose the Pages to watch' })
    let finish: (v: Awaited<ReturnType<typeof fake.api.finishConnect>>) => void = () => {}
    fake.api.finishConnect.mockImplementationOnce(() => new Promise((r) => { finish = r }))
    await fireEvent.click(screen.getByRole('button', { name: 'Connect 1,207 Pages' }))
    fake.emit('pagekeeper:login-progress', { mode: 'connect', step: 'saving', total: 1207 })
    expect((await screen.findByTestId('login-progress')).textContent).toBe("Saving Pagekeeper's access to 1,207 Pages…")
    fake.emit('pagekeeper:check-progress', { running: true, done: 0, total: 1207, lastStarted: ago(0), lastFinished: '', nextAt: '', error: '' })
    await waitFor(() => expect(screen.getByTestId('login-progress').textContent).toBe('Checking 0 of 1,207 Pages…'))
    fake.emit('pagekeeper:check-progress', { running: true, done: 600, total: 1207, lastStarted: ago(0), lastFinished: '', nextAt: '', error: '' })
    await waitFor(() => expect(screen.getByTestId('login-progress').textContent).toBe('Checking 600 of 1,207 Pages…'))
    finish({ connected: cands.map((c) => c.name), updated: [], notGranted: [], replaced: [], skipped: [], personName: 'Dana Smith', checksAfter: 1207 })
    expect(await screen.findByTestId('apply-result')).toBeTruthy()
    expect(screen.queryByTestId('login-progress')).toBeNull()
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
    expect(cands[1].textContent).toContain("Not allowed in this login: “Answer your Pages' messages”")
    expect(cands[1].querySelector('[data-support]')!.textContent).toBe('For support: pages_messaging')
    expect(cands[1].textContent).toContain('Missing task: Messages')
    expect(screen.getByText(/You did not allow: “Answer your Pages' messages”/)).toBeTruthy()
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
    expect(within(bakery).getByTestId('watched-by').textContent).toBe('Watched through Dana Smith · Full control, Moderate (community activity)')
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
    const why = 'Facebook listed Old Shop but gave Pagekeeper no access to it, so Pagekeeper cannot watch it and stored nothing for it.'
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

describe('chooser at scale', () => {
  it('searches 5,000 Pages, selects all or none of what it finds, shows them 100 at a time and connects exactly the choice', { timeout: 30000 }, async () => {
    const kinds = ['Bakery', 'Florist', 'Garage', 'Studio', 'Cafe']
    const cands = Array.from({ length: 5000 }, (_, i) => candidate({ id: String(100000000000000 + i), name: `Shop ${i} ${kinds[i % 5]}`,
      category: kinds[i % 5], alreadyConnected: i < 3 }))
    fake.api.finishConnect.mockImplementation(async (ids: string[]) => ({ connected: ids.map(String), updated: [], notGranted: [], replaced: [], skipped: [], personName: 'Dana Smith', checksAfter: 0 }))
    await loggedIn(cands)
    expect(screen.getAllByTestId('candidate')).toHaveLength(100)
    expect(screen.getByTestId('chosen-count').textContent).toBe('5,000 of 5,000 Pages selected')
    expect(screen.getByRole('button', { name: 'Connect 5,000 Pages' })).toBeTruthy()

    await fireEvent.click(screen.getByRole('button', { name: 'Show 100 more of 4,900' }))
    expect(screen.getAllByTestId('candidate')).toHaveLength(200)

    await fireEvent.click(screen.getByRole('button', { name: 'Select none' }))
    expect(screen.getByRole('button', { name: 'Choose a Page' }).hasAttribute('disabled')).toBe(true)
    expect(screen.getByRole('status').textContent).toContain('3 Pages already connected are not ticked')

    const search = screen.getByRole('searchbox', { name: 'Search the Pages' })
    await fireEvent.input(search, { target: { value: 'florist' } })
    expect(screen.getByTestId('chosen-count').textContent).toBe('0 of 5,000 Pages selected · 1,000 found')
    expect(screen.getAllByTestId('candidate')).toHaveLength(100)
    expect(screen.getAllByTestId('candidate').every((c) => c.textContent!.includes('Florist'))).toBe(true)
    await fireEvent.click(screen.getByRole('button', { name: 'Select the 1,000 found' }))
    expect(screen.getByRole('button', { name: 'Connect 1,000 Pages' })).toBeTruthy()

    await fireEvent.input(search, { target: { value: 'shop 4999' } })
    expect(screen.getAllByTestId('candidate')).toHaveLength(1)
    await fireEvent.input(search, { target: { value: '100000000000002' } })
    expect(screen.getAllByTestId('candidate').map((c) => c.textContent)).toEqual([expect.stringContaining('Shop 2 Garage')])
    await fireEvent.click(screen.getByRole('button', { name: 'Select the 1 found' }))
    await fireEvent.input(search, { target: { value: 'no such page' } })
    expect(screen.getByText('No Page matches “no such page”.')).toBeTruthy()

    await fireEvent.click(screen.getByRole('button', { name: 'Connect 1,001 Pages' }))
    const ids = fake.api.finishConnect.mock.calls[0][0] as string[]
    expect(ids).toHaveLength(1001)
    expect(ids).toContain('100000000000002')
    expect(ids.filter((id) => Number(id.slice(-4)) % 5 === 1)).toHaveLength(1000)
  })
})
