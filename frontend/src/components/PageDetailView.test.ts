import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fake } from '../test/fake'
import { ago, detail, page, profile, snapshot } from '../test/fixtures'

vi.mock('../lib/api', async (orig) => (await import('../test/fake')).mockApi(await orig()))

import App from '../App.svelte'

beforeEach(() => fake.reset())
afterEach(() => cleanup())

async function open(p: ReturnType<typeof page>, d = detail(p)) {
  fake.api.snapshot.mockResolvedValue(snapshot({ pages: [p], profiles: [profile({ id: 'u1' })] }))
  fake.api.pageDetail.mockResolvedValue(d)
  render(App)
  await fireEvent.click(await screen.findByRole('button', { name: p.name }))
  return screen.findByRole('heading', { level: 1, name: p.name })
}

describe('Page detail', () => {
  it('shows the feature matrix, tasks, permissions, timeline and activity', async () => {
    const p = page({
      id: '77', name: 'Corner Bakery', instagramUsername: 'cornerbakery', status: 'warning', reason: 'instagram_unlinked',
      summary: 'The Instagram account is no longer linked.', fix: 'Link it again in the Page settings.',
      features: [
        { name: 'publishing', label: 'Publishing', ok: true, missing: '' },
        { name: 'instagram', label: 'Instagram', ok: false, missing: 'a linked Instagram account' },
      ],
      tasks: ['MANAGE'], missingTasks: ['MESSAGING'], permissions: ['pages_show_list'], missingPermissions: ['pages_messaging'],
    })
    const timeline = detail(p).timeline.map((d, i) => ({ ...d, status: i === 29 ? 'warning' : i > 20 ? 'valid' : '' }))
    await open(p, detail(p, {
      timeline,
      activity: [{ at: ago(60_000), kind: 'status_changed', actor: 'Pagekeeper', details: 'valid → warning', sentence: 'Corner Bakery needs attention (it was working).' },
        { at: ago(86_400_000), kind: 'connected', actor: 'Dana Smith', details: 'connected by Dana Smith', sentence: 'Dana Smith connected Corner Bakery.' }],
      history: [{ at: ago(86_400_000), from: '', to: 'valid', reason: '' }, { at: ago(60_000), from: 'valid', to: 'warning', reason: 'instagram_unlinked' }],
    }))
    expect(screen.getByTestId('detail-page-id').textContent).toBe('77')
    expect(screen.getByText('@cornerbakery')).toBeTruthy()
    expect(screen.getByText('The Instagram account is no longer linked.')).toBeTruthy()
    expect(screen.getByText('Link it again in the Page settings.')).toBeTruthy()
    const features = document.querySelector('table.features')!
    expect(features.querySelector('[data-feature="publishing"]')!.textContent).toContain('✓ Works')
    expect(features.querySelector('[data-feature="instagram"]')!.textContent).toContain('✗ Needs a linked Instagram account')
    expect(screen.getByText('Messages (missing)')).toBeTruthy()
    expect(await screen.findByText("Answer your Pages' messages (not allowed)")).toBeTruthy()
    expect(document.querySelector('[data-support]')!.textContent).toContain('pages_messaging')
    const bands = [...document.querySelectorAll('.band')].map((b) => b.getAttribute('data-status'))
    expect(bands).toHaveLength(30)
    expect(bands[29]).toBe('warning')
    expect(bands[0]).toBe('none')
    expect(screen.getByRole('img', { name: /Status over the last 30 days, needs attention on some days/ })).toBeTruthy()
    const log = within(document.querySelector('table.log') as HTMLElement)
    expect(log.getByText('Corner Bakery needs attention (it was working).')).toBeTruthy()
    expect(log.getByText('Dana Smith connected Corner Bakery.')).toBeTruthy()
    expect(screen.getByTestId('history').textContent).toContain('Working → Needs attention')
  })

  it('offers Reconnect for a broken Page, aimed at that Page', async () => {
    const p = page({ id: '77', name: 'Corner Bakery', status: 'invalid', reason: 'data_access_expired', summary: 'Data access expired.' })
    await open(p)
    await fireEvent.click(screen.getByRole('button', { name: 'Reconnect' }))
    expect(fake.api.startReauthorize).toHaveBeenCalledWith('u1', '77')
  })

  it('offers exactly the actions Go named, each doing its repair', async () => {
    const p = page({ id: '77', name: 'Corner Bakery', status: 'warning', reason: 'webhooks_unsubscribed', summary: 'No events.' })
    await open(p)
    const acts = within(screen.getByTestId('page-actions')).getAllByRole('button')
    expect(acts.map((b) => b.textContent)).toEqual(['Turn events back on', 'Reconnect'])
    await fireEvent.click(acts[0])
    expect(fake.api.resubscribe).toHaveBeenCalledWith('77')
  })

  it('asks an admin with a ready message for a missing task, then checks the Page again', async () => {
    const p = page({ id: '77', name: 'Corner Bakery', status: 'invalid', reason: 'task_missing', summary: 'No Messages task.' })
    await open(p)
    const acts = within(screen.getByTestId('page-actions')).getAllByRole('button')
    expect(acts.map((b) => b.textContent)).toEqual(['Ask an admin', 'Open in Facebook', 'Check again'])
    expect(acts[1].dataset.url).toBe('https://www.facebook.com/settings/?tab=profile_access')
    await fireEvent.click(acts[0])
    const dialog = await screen.findByRole('dialog', { name: /Ask an admin/ })
    expect(((await within(dialog).findByTestId('admin-message')) as HTMLTextAreaElement).value).toContain('Please give Dana Smith access to Page 77.')
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Copy message' }))
    expect(fake.copied).toEqual(['Please give Dana Smith access to Page 77.'])
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Check again' }))
    expect(fake.api.checkPage).toHaveBeenCalledWith('77')
    expect(screen.queryByRole('dialog')).toBeNull()
  })

  it('shows Instagram on a Page that never had one as not set up, not as a fault', async () => {
    const p = page({ id: '78', name: 'Corner Deli', status: 'warning', reason: 'task_missing', features: [
      { name: 'publishing', label: 'Publishing', ok: true, missing: '' },
      { name: 'instagram', label: 'Instagram', ok: false, missing: 'a linked Instagram account' },
    ] })
    await open(p)
    const cell = document.querySelector('[data-feature="instagram"] td')!
    expect(cell.textContent).toContain('Needs a linked Instagram account')
    expect(cell.textContent).not.toContain('✗')
    expect(cell.classList.contains('bad')).toBe(false)
    expect(document.querySelector('details.for-support')!.hasAttribute('open')).toBe(false)
  })

  it('says per aspect when it was read, and Check again checks this Page completely', async () => {
    const p = page({ id: '77', name: 'Corner Bakery', status: 'warning', reason: 'task_missing', summary: 'Dana Smith cannot publish.',
      checkedAt: ago(10_000), rolesCheckedAt: ago(40 * 60_000), webhooksCheckedAt: ago(40 * 60_000) })
    await open(p)
    expect(screen.getByTestId('checked-access').textContent).toContain('just now')
    expect(screen.getByTestId('checked-roles').textContent).toContain('40 min. ago')
    expect(screen.getByTestId('checked-webhooks').textContent).toContain('40 min. ago')
    await fireEvent.click(within(screen.getByTestId('page-actions')).getByRole('button', { name: 'Check again' }))
    expect(fake.api.checkPage).toHaveBeenCalledWith('77')
    expect(fake.api.checkNow).not.toHaveBeenCalled()
  })

  it('disconnects after a confirmation, optionally unsubscribing webhooks, and keeps the history', async () => {
    const p = page({ id: '77', name: 'Corner Bakery' })
    const history = [{ at: ago(86_400_000), from: '', to: 'valid', reason: '' }]
    await open(p, detail(p, { history }))
    await fireEvent.click(screen.getByRole('button', { name: 'Disconnect…' }))
    await fireEvent.click(screen.getByRole('checkbox', { name: /unsubscribe the app/ }))
    const gone = page({ ...p, status: 'disconnected' })
    fake.api.pageDetail.mockResolvedValue(detail(gone, { history: [...history, { at: ago(0), from: 'valid', to: 'disconnected', reason: '' }] }))
    await fireEvent.click(screen.getByRole('button', { name: 'Disconnect' }))
    expect(fake.api.disconnect).toHaveBeenCalledWith('77', true)
    expect(await screen.findByTestId('disconnected-note')).toBeTruthy()
    expect(screen.getByTestId('history').querySelectorAll('li')).toHaveLength(2)
    expect(screen.queryByRole('button', { name: 'Disconnect…' })).toBeNull()
  })

  it('shows why a disconnect failed and keeps the Page', async () => {
    const p = page({ id: '77', name: 'Corner Bakery' })
    fake.api.disconnect.mockRejectedValue('the keychain is locked')
    await open(p)
    await fireEvent.click(screen.getByRole('button', { name: 'Disconnect…' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Disconnect' }))
    expect((await screen.findByRole('alert')).textContent).toContain('the keychain is locked')
    expect(screen.getByRole('button', { name: 'Keep it' })).toBeTruthy()
  })

  it('says so when the Page cannot be loaded, and goes back', async () => {
    const p = page({ id: '77', name: 'Corner Bakery' })
    fake.api.snapshot.mockResolvedValue(snapshot({ pages: [p], profiles: [profile({ id: 'u1' })] }))
    fake.api.pageDetail.mockRejectedValue('this Page is not known to Pagekeeper')
    render(App)
    await fireEvent.click(await screen.findByRole('button', { name: 'Corner Bakery' }))
    expect((await screen.findByRole('alert')).textContent).toContain('not known to Pagekeeper')
    await fireEvent.click(screen.getByRole('button', { name: '← All Pages' }))
    expect(await screen.findByTestId('headline')).toBeTruthy()
  })

  it('reloads when a snapshot changes the Page', async () => {
    const p = page({ id: '77', name: 'Corner Bakery' })
    await open(p)
    expect(fake.api.pageDetail).toHaveBeenCalledTimes(1)
    const broken = page({ ...p, status: 'invalid', reason: 'app_removed', summary: 'The app was removed.', checkedAt: ago(0) })
    fake.api.pageDetail.mockResolvedValue(detail(broken))
    fake.emit('pagekeeper:snapshot', snapshot({ pages: [broken], profiles: [profile({ id: 'u1' })] }))
    expect(await screen.findByText('The app was removed.', { selector: 'strong' })).toBeTruthy()
    expect(fake.api.pageDetail).toHaveBeenCalledTimes(2)
  })
})
