import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fake } from './test/fake'
import { page, profile, snapshot } from './test/fixtures'

vi.mock('./lib/api', async (orig) => (await import('./test/fake')).mockApi(await orig()))

import App from './App.svelte'

beforeEach(() => fake.reset())
afterEach(() => cleanup())

describe('App', () => {
  it('shows the version and data folder the backend reports', async () => {
    fake.api.about.mockResolvedValue({ name: 'Pagekeeper', version: '9.9.9', dataDir: '/tmp/pk' })
    render(App)
    expect(await screen.findByTestId('version')).toHaveProperty('textContent', '9.9.9')
    expect(screen.getByTestId('data-dir').textContent).toBe('/tmp/pk')
  })

  it('shows a loading layout until the first snapshot arrives', async () => {
    let resolve!: (s: ReturnType<typeof snapshot>) => void
    fake.api.snapshot.mockReturnValue(new Promise((r) => (resolve = r)))
    render(App)
    expect(screen.getByLabelText('Loading').getAttribute('aria-busy')).toBe('true')
    resolve(snapshot({ pages: [page({ id: '1' })], profiles: [profile({ id: 'u1' })] }))
    expect(await screen.findByTestId('headline')).toBeTruthy()
    expect(screen.queryByLabelText('Loading')).toBeNull()
  })

  it('says what went wrong when the state cannot be loaded, and retries', async () => {
    fake.api.snapshot.mockRejectedValueOnce('Pagekeeper is already running (the data folder is locked)')
    render(App)
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('already running')
    fake.api.snapshot.mockResolvedValueOnce(snapshot({ pages: [page({ id: '1' })], profiles: [profile({ id: 'u1' })] }))
    await fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }))
    expect(await screen.findByTestId('headline')).toBeTruthy()
  })

  it('subscribes to every event after mounting and unsubscribes on unmount', async () => {
    const { unmount } = render(App)
    await screen.findByRole('navigation')
    for (const e of ['pagekeeper:snapshot', 'pagekeeper:changes', 'pagekeeper:check-progress', 'pagekeeper:login-result', 'pagekeeper:focus-page', 'pagekeeper:notice'] as const) {
      expect(fake.listeners(e), e).toBe(1)
    }
    unmount()
    expect(fake.listeners('pagekeeper:snapshot')).toBe(0)
  })

  it('follows snapshots pushed by Go', async () => {
    fake.api.snapshot.mockResolvedValue(snapshot({ pages: [page({ id: '1', name: 'Corner Bakery' })], profiles: [profile({ id: 'u1' })] }))
    render(App)
    expect((await screen.findByTestId('headline')).textContent).toBe('All good: your Page is working')
    fake.emit('pagekeeper:snapshot', snapshot({
      pages: [page({ id: '1', name: 'Corner Bakery', status: 'invalid', reason: 'password_changed', summary: 'Dana changed her Facebook password.' })],
      profiles: [profile({ id: 'u1' })],
    }))
    await waitFor(() => expect(screen.getByTestId('headline').textContent).toBe('1 Page needs you'))
    expect(screen.getByTestId('reauth-banner').textContent).toContain('Dana changed her Facebook password.')
  })

  it('applies the changes Go sends after a check, and fetches the whole snapshot when they do not fit', async () => {
    const pages = [page({ id: '1', name: 'Corner Bakery' }), page({ id: '2', name: 'Bakery Two' }), page({ id: '3', name: 'Gone' })]
    fake.api.snapshot.mockResolvedValue(snapshot({ pages, profiles: [profile({ id: 'u1' })], seq: 4 }))
    render(App)
    expect((await screen.findByTestId('headline')).textContent).toBe('All good: all 3 Pages are working')
    const broken = page({ id: '2', name: 'Bakery Two', status: 'invalid', reason: 'password_changed', summary: 'Dana changed her Facebook password.' })
    const after = snapshot({ pages: [pages[0], broken], profiles: [profile({ id: 'u1' })], seq: 5 })
    fake.emit('pagekeeper:changes', { base: 4, snapshot: { ...after, pages: [] }, changed: [broken], removed: ['3'], stamps: [{ field: 'checkedAt', at: '2030-01-01T00:00:00Z', ids: ['1'] }] })
    await waitFor(() => expect(screen.getByTestId('headline').textContent).toBe('1 Page needs you'))
    expect(screen.getAllByTestId('page-row').map((r) => r.getAttribute('data-page-id')).sort()).toEqual(['1', '2'])
    expect(fake.api.snapshot).toHaveBeenCalledTimes(1)
    // Changes to a snapshot the window does not have: it asks for the whole one.
    fake.emit('pagekeeper:changes', { base: 9, snapshot: { ...after, pages: [], seq: 10 }, changed: [], removed: [], stamps: [] })
    await waitFor(() => expect(fake.api.snapshot).toHaveBeenCalledTimes(2))
  })

  it('opens the Page a notification click or a second launch asks for', async () => {
    const p = page({ id: '42', name: 'Corner Bakery', status: 'invalid', reason: 'password_changed' })
    fake.api.snapshot.mockResolvedValue(snapshot({ pages: [p], profiles: [profile({ id: 'u1' })] }))
    fake.api.pageDetail.mockResolvedValue({ page: p, activity: [], history: [], timeline: [] })
    render(App)
    await screen.findByTestId('headline')
    fake.emit('pagekeeper:focus-page', '42')
    expect(await screen.findByRole('heading', { level: 1, name: 'Corner Bakery' })).toBeTruthy()
    expect(fake.api.pageDetail).toHaveBeenCalledWith('42')
  })

  it('shows notices from Go and lets them be dismissed', async () => {
    render(App)
    await screen.findByRole('navigation')
    fake.emit('pagekeeper:notice', { level: 'error', message: 'The keychain is locked.' })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('The keychain is locked.')
    await fireEvent.click(within(alert).getByRole('button', { name: 'Dismiss' }))
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('has no DEMO badge outside demo mode', async () => {
    render(App)
    await screen.findByRole('navigation')
    await screen.findByRole('heading', { level: 1 })
    expect(screen.queryByTestId('demo-badge')).toBeNull()
    expect(screen.queryByRole('button', { name: 'Simulate' })).toBeNull()
  })
})
