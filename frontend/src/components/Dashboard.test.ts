import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fake } from '../test/fake'
import { many, page, profile, snapshot } from '../test/fixtures'

vi.mock('../lib/api', async (orig) => (await import('../test/fake')).mockApi(await orig()))

import App from '../App.svelte'

beforeEach(() => fake.reset())
afterEach(() => cleanup())

const dana = profile({ id: 'u1', name: 'Dana Smith', pageCount: 2 })
const lee = profile({ id: 'u2', name: 'Lee Wong', pageCount: 1 })

async function show(s: ReturnType<typeof snapshot>) {
  fake.api.snapshot.mockResolvedValue(s)
  render(App)
  return screen.findByTestId('headline')
}

// startDanaRepair shows one of Dana's Pages broken and clicks the banner's Reconnect.
async function startDanaRepair(reason = 'password_changed') {
  await show(snapshot({
    pages: [page({ id: '1', name: 'Corner Bakery', status: 'invalid', reason, summary: 'Password changed.' })],
    profiles: [dana],
  }))
  await fireEvent.click(screen.getByRole('button', { name: "Reconnect Dana Smith's Pages" }))
  return screen.findByRole('dialog')
}

function rowNames(): string[] {
  return screen.getAllByTestId('page-row').map((r) => r.querySelector('.open')!.textContent!)
}

describe('Dashboard', () => {
  it('offers to connect Pages when there are none (configured, not first run after a disconnect-all)', async () => {
    fake.api.snapshot.mockResolvedValue(snapshot({ profiles: [dana] }))
    render(App)
    const empty = await screen.findByTestId('empty')
    expect(empty.textContent).toContain('No Pages yet')
    await fireEvent.click(within(empty).getByRole('button', { name: 'Connect Pages' }))
    expect(await screen.findByRole('heading', { name: 'Connect your Facebook Pages' })).toBeTruthy()
  })

  it('reads "all good" at a glance, with counts and when the last check ran', async () => {
    const h = await show(snapshot({ pages: [page({ id: '1' }), page({ id: '2' })], profiles: [dana] }))
    expect(h.textContent).toBe('All good: all 2 Pages are working')
    expect(screen.getByTestId('count-valid').textContent).toBe('2')
    expect(screen.getByTestId('count-invalid').textContent).toBe('0')
    expect(screen.getByText(/Last check/).textContent).toMatch(/Last check 9 min\. ago/)
    expect(screen.queryByTestId('reauth-banner')).toBeNull()
  })

  it('shows each row with status, name, Page ID (copyable), Instagram, reason and times', async () => {
    await show(snapshot({
      pages: [page({ id: '1001', name: 'Corner Bakery', instagramUsername: 'cornerbakery', status: 'warning', reason: 'expiring_soon', summary: 'Access ends in 5 days.' })],
      profiles: [dana],
    }))
    const row = screen.getByTestId('page-row')
    expect(row.textContent).toContain('Needs attention')
    expect(row.textContent).toContain('Corner Bakery')
    expect(row.textContent).toContain('1001')
    expect(row.textContent).toContain('@cornerbakery')
    expect(row.textContent).toContain('Access ends in 5 days.')
    expect(row.querySelector('time[title]')).toBeTruthy()
    await fireEvent.click(within(row).getByRole('button', { name: 'Copy Page ID' }))
    expect(fake.copied).toEqual(['1001'])
  })

  it('puts broken Pages first and groups Pages by the person who connected them', async () => {
    await show(snapshot({
      pages: [
        page({ id: '1', name: 'Alpha', profileId: 'u1', profileName: 'Dana Smith' }),
        page({ id: '2', name: 'Beta', profileId: 'u2', profileName: 'Lee Wong', status: 'invalid', reason: 'password_changed', summary: 'Lee changed the password.' }),
        page({ id: '3', name: 'Gamma', profileId: 'u1', profileName: 'Dana Smith', status: 'warning', reason: 'expiring_soon' }),
        page({ id: '4', name: 'Delta', profileId: 'u2', profileName: 'Lee Wong' }),
      ],
      profiles: [dana, lee],
    }))
    const groups = screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)
    expect(groups).toEqual(['Lee Wong', 'Dana Smith'])
    expect(rowNames()).toEqual(['Beta', 'Delta', 'Gamma', 'Alpha'])
  })

  it('searches and filters by status, and says when nothing matches', async () => {
    await show(snapshot({
      pages: [
        page({ id: '1', name: 'Corner Bakery', instagramUsername: 'buns' }),
        page({ id: '2', name: 'Flower Shop', status: 'invalid', reason: 'app_removed', summary: 'The app was removed.' }),
        page({ id: '3', name: 'Bike Repair' }),
      ],
      profiles: [dana],
    }))
    const search = screen.getByRole('searchbox', { name: 'Search Pages' })
    await fireEvent.input(search, { target: { value: 'buns' } })
    expect(rowNames()).toEqual(['Corner Bakery'])
    await fireEvent.input(search, { target: { value: '' } })
    await fireEvent.click(screen.getByRole('button', { name: /^Broken/ }))
    expect(rowNames()).toEqual(['Flower Shop'])
    expect(screen.getByRole('button', { name: /^Broken/ }).getAttribute('aria-pressed')).toBe('true')
    await fireEvent.input(search, { target: { value: 'corner' } })
    const none = screen.getByTestId('no-match')
    expect(none.textContent).toContain('No Page matches “corner” among broken Pages')
    await fireEvent.click(within(none).getByRole('button', { name: 'Show all Pages' }))
    expect(rowNames()).toHaveLength(3)
  })

  it('renders only the rows in view for 5,000 Pages', async () => {
    await show(snapshot({ pages: many(5000), profiles: [dana, lee] }))
    const rows = screen.getAllByTestId('page-row')
    expect(rows.length).toBeGreaterThan(5)
    expect(rows.length).toBeLessThan(60)
  })

  it('moves through the list with the arrow keys and opens a Page with Enter', async () => {
    const pages = [page({ id: '1', name: 'Alpha' }), page({ id: '2', name: 'Beta' }), page({ id: '3', name: 'Gamma' })]
    fake.api.pageDetail.mockImplementation(async (id) => ({ page: pages.find((p) => p.id === id)!, activity: [], history: [], timeline: [] }))
    await show(snapshot({ pages, profiles: [dana] }))
    const first = screen.getByRole('button', { name: 'Alpha' })
    expect(first.tabIndex).toBe(0)
    expect(screen.getByRole('button', { name: 'Beta' }).tabIndex).toBe(-1)
    first.focus()
    await fireEvent.keyDown(first, { key: 'ArrowDown' })
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Beta'))
    await fireEvent.keyDown(document.activeElement!, { key: 'End' })
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Gamma'))
    await fireEvent.click(document.activeElement!)
    expect(await screen.findByRole('heading', { level: 1, name: 'Gamma' })).toBeTruthy()
  })

  it('shows check progress as "x of N" and starts a check on "Check now"', async () => {
    await show(snapshot({ pages: [page({ id: '1' })], profiles: [dana] }))
    await fireEvent.click(screen.getByRole('button', { name: 'Check now' }))
    expect(fake.api.checkNow).toHaveBeenCalledOnce()
    fake.emit('pagekeeper:check-progress', { running: true, done: 3, total: 12, lastStarted: '', lastFinished: '', nextAt: '', error: '' })
    const btn = await screen.findByRole('button', { name: 'Checking 3 of 12' })
    expect(btn.hasAttribute('disabled')).toBe(true)
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('3')
  })

  it('tells when a check could not confirm every Page without turning anything red', async () => {
    const s = snapshot({ pages: [page({ id: '1' })], profiles: [dana] })
    s.check.error = 'Facebook answered with an error page (HTTP 500)'
    await show(s)
    expect(screen.getByRole('status').textContent).toContain('could not confirm every Page: Facebook answered with an error page (HTTP 500)')
    expect(screen.queryByTestId('app-problem')).toBeNull()
  })

  it('shows a problem with the Meta app once, above the list, with the setting to change', async () => {
    const s = snapshot({
      pages: [page({ id: '1', name: 'Corner Bakery' }), page({ id: '2', name: 'Harbor Café' }), page({ id: '3', name: 'Eastside' })],
      profiles: [dana],
    })
    s.check.appProblem = {
      issue: 'secret_mismatch',
      summary: 'Facebook no longer accepts the App Secret Pagekeeper holds for your Meta app.',
      fix: 'In the App Dashboard, go to App settings > Basic, click Show next to App Secret and paste it into Settings.',
    }
    await show(s)
    const banners = screen.getAllByTestId('app-problem')
    expect(banners).toHaveLength(1)
    expect(banners[0].textContent).toContain('App settings > Basic')
    expect(banners[0].textContent).toContain('no longer accepts the App Secret')
    expect(screen.queryByText(/could not reach Facebook/)).toBeNull()
    await fireEvent.click(within(banners[0]).getByRole('button', { name: 'Open the App Dashboard' }))
    expect(fake.opened).toEqual(['https://developers.facebook.com/apps/'])
    await fireEvent.click(within(banners[0]).getByRole('button', { name: 'Check now' }))
    expect(fake.api.checkNow).toHaveBeenCalledOnce()
    // The next check comes back clean: the note goes.
    fake.emit('pagekeeper:check-progress', { ...s.check, appProblem: undefined })
    await waitFor(() => expect(screen.queryByTestId('app-problem')).toBeNull())
  })

  it('reports a failed "Check now"', async () => {
    fake.api.checkNow.mockRejectedValue('a check is already running')
    await show(snapshot({ pages: [page({ id: '1' })], profiles: [dana] }))
    await fireEvent.click(screen.getByRole('button', { name: 'Check now' }))
    expect((await screen.findByRole('alert')).textContent).toContain('Could not start a check: a check is already running')
  })
})

describe('repair banners', () => {
  it('names what broke and reconnects the person with one button', async () => {
    await show(snapshot({
      pages: [
        page({ id: '1', name: 'Corner Bakery', status: 'invalid', reason: 'password_changed', summary: 'Dana Smith changed her Facebook password.', fix: 'Reconnect Dana Smith.' }),
        page({ id: '2', name: 'Flower Shop', status: 'invalid', reason: 'password_changed', summary: 'Dana Smith changed her Facebook password.' }),
        page({ id: '3', name: 'Bike Repair' }),
      ],
      profiles: [dana],
    }))
    expect(screen.getByTestId('headline').textContent).toBe('2 Pages need you')
    const banners = screen.getAllByTestId('reauth-banner')
    expect(banners).toHaveLength(1)
    expect(banners[0].textContent).toContain('Dana Smith changed her Facebook password.')
    expect(banners[0].textContent).toContain('2 Pages: Corner Bakery and Flower Shop')
    await fireEvent.click(within(banners[0]).getByRole('button', { name: "Reconnect Dana Smith's Pages" }))
    expect(fake.api.startReauthorize).toHaveBeenCalledWith('u1', '')
    const dialog = await screen.findByRole('dialog', { name: "Reconnect Dana Smith's Pages" })
    expect((within(dialog).getByTestId('login-url') as HTMLInputElement).value).toContain('auth_type=rerequest')
  })

  it('asks for a Page admin and offers "Check again" for a missing task', async () => {
    await show(snapshot({
      pages: [page({ id: '1', name: 'Corner Bakery', status: 'invalid', reason: 'task_missing', summary: 'Dana Smith cannot read the Messenger inbox.', fix: 'Ask a Page admin to give Dana Smith the Messages task, then Check again.' })],
      profiles: [dana],
    }))
    const b = screen.getByTestId('reauth-banner')
    expect(b.textContent).toContain('Ask a Page admin to give Dana Smith the Messages task')
    expect(within(b).queryByRole('button', { name: /Reconnect/ })).toBeNull()
    expect(within(b).getAllByRole('button').map((x) => x.textContent)[0]).toBe('Ask an admin')
    await fireEvent.click(within(b).getByRole('button', { name: 'Check again' }))
    expect(fake.api.checkPage).toHaveBeenCalledWith('1')
  })

  it('speaks of now for warnings that exist now, of later only for what will expire', async () => {
    await show(snapshot({
      pages: [
        page({ id: '1', name: 'Corner Bakery', status: 'warning', reason: 'instagram_unlinked', summary: 'The Instagram account is no longer linked.' }),
        page({ id: '2', name: 'Flower Shop', status: 'warning', reason: 'expiring_soon', summary: 'Access ends on May 2.' }),
      ],
      profiles: [dana],
    }))
    expect(screen.getByTestId('headline').textContent).toBe('1 Page needs attention')
    const b = screen.getByTestId('reauth-banner')
    expect(b.dataset.tone).toBe('warning')
    await fireEvent.click(within(b).getByRole('button', { name: "Reconnect Dana Smith's Pages" }))
    expect(fake.api.startReauthorize).toHaveBeenCalledWith('u1', '')
  })

  it('says "will need you soon" when access only ends later', async () => {
    await show(snapshot({ pages: [page({ id: '2', status: 'warning', reason: 'expiring_soon' })], profiles: [dana] }))
    expect(screen.getByTestId('headline').textContent).toBe('1 Page will need you soon')
  })

  it('asks an admin first for a lost role, and one banner per person', async () => {
    await show(snapshot({
      pages: [
        page({ id: '1', name: 'Corner Bakery', status: 'invalid', reason: 'role_lost', summary: 'Dana Smith is no longer an admin.' }),
        page({ id: '2', name: 'Bike Repair', profileId: 'u2', profileName: 'Lee Wong', status: 'invalid', reason: 'app_removed', summary: 'Lee Wong removed the app.' }),
      ],
      profiles: [dana, lee],
    }))
    const banners = screen.getAllByTestId('reauth-banner')
    expect(banners).toHaveLength(2)
    const danas = banners.find((b) => b.textContent!.includes('Dana'))!
    expect(within(danas).getAllByRole('button').map((x) => x.textContent)).toEqual(['Ask an admin', 'Open in Facebook', "Reconnect Dana Smith's Pages", 'Details'])
    const lees = banners.find((b) => b.textContent!.includes('Lee'))!
    expect(within(lees).queryByRole('button', { name: 'Check again' })).toBeNull()
    await fireEvent.click(within(lees).getByRole('button', { name: 'Open in Facebook' }))
    expect(fake.api.openFacebook).toHaveBeenCalledWith('2')
  })

  it('shows the repair result when Go reports the reauthorization applied', async () => {
    await startDanaRepair()
    fake.emit('pagekeeper:login-result', {
      ok: true, mode: 'reauthorize', error: '', cancelled: false, personId: 'u1', personName: 'Dana Smith', declined: [], candidates: [],
      applied: { connected: [], updated: ['Corner Bakery'], notGranted: [], replaced: [], personName: 'Dana Smith', checksAfter: 1 },
    })
    expect((await screen.findByTestId('reauth-done')).textContent).toContain('Working again: Corner Bakery.')
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }))
    expect(screen.queryByRole('dialog')).toBeNull()
  })

  it('explains a reauthorization by the wrong person and can try again', async () => {
    await startDanaRepair()
    fake.emit('pagekeeper:login-result', {
      ok: false, mode: 'reauthorize', error: 'You logged in as Lee Wong, but these Pages were connected by Dana Smith.', cancelled: false,
      personId: 'u2', personName: 'Lee Wong', declined: [], candidates: [], applied: null,
    })
    const dialog = await screen.findByRole('dialog', { name: "Reconnect Dana Smith's Pages" })
    expect(within(dialog).getByRole('alert').textContent).toContain('You logged in as Lee Wong')
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Try again' }))
    expect(fake.api.startReauthorize).toHaveBeenLastCalledWith('u1', '')
    expect(fake.api.startReauthorize).toHaveBeenCalledTimes(2)
  })

  it('cancels a waiting reauthorization', async () => {
    const dialog = await startDanaRepair('session_expired')
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(fake.api.cancelLogin).toHaveBeenCalledOnce()
    // Go then echoes a cancelled result; the dialog stays closed.
    fake.emit('pagekeeper:login-result', { ok: false, mode: 'reauthorize', error: 'The login was cancelled; nothing was changed.', cancelled: true, personId: '', personName: '', declined: [], candidates: [], applied: null })
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
  })
})

describe('the window', () => {
  it('has a Quit that stops Pagekeeper, background checks included', async () => {
    await show(snapshot({ pages: [page({ id: '1' })], profiles: [dana] }))
    await fireEvent.click(screen.getByRole('button', { name: 'Quit Pagekeeper' }))
    expect(fake.api.quit).toHaveBeenCalledOnce()
  })

  it('shows at most two messages, under the view, and the rest as a count', async () => {
    await show(snapshot({ pages: [page({ id: '1', name: 'Harbor Street Bakery Catering' })], profiles: [dana] }))
    for (const m of ['one', 'two', 'three']) fake.emit('pagekeeper:notice', { level: 'error', message: `Problem ${m}` })
    const strip = await screen.findByTestId('notices')
    await waitFor(() => expect(within(strip).getAllByRole('alert')).toHaveLength(2))
    expect(strip.textContent).toContain('1 earlier message')
    expect(strip.closest('main')).toBeNull()
    expect(screen.getByRole('button', { name: 'Harbor Street Bakery Catering' }).getAttribute('title')).toBe('Harbor Street Bakery Catering')
  })
})
