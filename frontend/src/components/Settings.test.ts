import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fake } from '../test/fake'
import { page, profile, snapshot } from '../test/fixtures'

vi.mock('../lib/api', async (orig) => (await import('../test/fake')).mockApi(await orig()))

import App from '../App.svelte'

beforeEach(() => {
  fake.reset()
  fake.api.snapshot.mockResolvedValue(snapshot({ pages: [page({ id: '1' })], profiles: [profile({ id: 'u1' })] }))
})
afterEach(() => cleanup())

async function openSettings() {
  render(App)
  await screen.findByTestId('headline')
  await fireEvent.click(screen.getByRole('button', { name: 'Settings' }))
  return (await screen.findByTestId('interval')) as HTMLInputElement
}

describe('Settings', () => {
  it('shows the stored settings, the App ID and never a secret', async () => {
    const interval = await openSettings()
    expect(interval.value).toBe('30')
    expect((screen.getByRole('checkbox', { name: 'Notify me when a Page breaks' }) as HTMLInputElement).checked).toBe(true)
    expect((screen.getByRole('checkbox', { name: 'Start Pagekeeper when I log in' }) as HTMLInputElement).checked).toBe(false)
    expect(screen.getByTestId('app-id').textContent).toBe('1234567890')
    expect(screen.getByText('Stored in your keychain. It is never shown.')).toBeTruthy()
    const secret = screen.getByLabelText(/Replace the App Secret/) as HTMLInputElement
    expect(secret.type).toBe('password')
    expect(secret.value).toBe('')
  })

  it('saves what was changed', async () => {
    const interval = await openSettings()
    await fireEvent.input(interval, { target: { value: '45' } })
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Start Pagekeeper when I log in' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText('Saved.')).toBeTruthy()
    expect(fake.api.saveSettings).toHaveBeenCalledWith(expect.objectContaining({ checkIntervalMinutes: 45, startAtLogin: true, reminderHours: 24 }))
  })

  it('marks a value out of range and does not save it', async () => {
    const interval = await openSettings()
    await fireEvent.input(interval, { target: { value: '0' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(screen.getByText('Check every 1 to 1,440 minutes (a day).')).toBeTruthy()
    expect(interval.getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByRole('alert').textContent).toContain('fix the marked fields')
    expect(fake.api.saveSettings).not.toHaveBeenCalled()
  })

  it('puts the problems Go finds on their fields', async () => {
    fake.api.saveSettings.mockRejectedValue('invalid settings: redirectPort: 80 is outside 1024-65535; apiVersion: "x" is not a Graph API version such as v25.0')
    await openSettings()
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText('80 is outside 1024-65535')).toBeTruthy()
    expect(screen.getByLabelText(/Login port/).getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByRole('alert').textContent).toContain('Not saved: apiVersion: "x" is not a Graph API version')
    expect(screen.queryByText('Saved.')).toBeNull()
  })

  it('replaces the App Secret and reports a rejected one', async () => {
    await openSettings()
    const secret = screen.getByLabelText(/Replace the App Secret/)
    fake.api.replaceAppSecret.mockRejectedValueOnce('Facebook rejected this App Secret')
    await fireEvent.input(secret, { target: { value: 'nope' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Replace secret' }))
    expect((await screen.findByRole('alert')).textContent).toContain('Facebook rejected this App Secret')
    await fireEvent.input(secret, { target: { value: 'good-secret' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Replace secret' }))
    expect(await screen.findByText(/accepted the new App Secret/)).toBeTruthy()
    expect(fake.api.replaceAppSecret).toHaveBeenLastCalledWith('good-secret')
    expect((secret as HTMLInputElement).value).toBe('')
  })

  it('exports the page list and says where it went', async () => {
    fake.api.exportPages.mockResolvedValueOnce('/home/dana/pagekeeper-pages.csv').mockResolvedValueOnce('')
    await openSettings()
    await fireEvent.click(screen.getByRole('button', { name: 'Export as CSV…' }))
    expect(await screen.findByText('Saved to /home/dana/pagekeeper-pages.csv')).toBeTruthy()
    await fireEvent.click(screen.getByRole('button', { name: 'Export as JSON…' }))
    expect(fake.api.exportPages).toHaveBeenLastCalledWith('json')
    // A cancelled save dialog is no news.
    await vi.waitFor(() => expect(screen.queryByText(/Saved to/)).toBeNull())
  })

  it('lists the people who connected Pages, reconnects or removes one after a confirmation', async () => {
    fake.api.snapshot.mockResolvedValue(snapshot({
      pages: [page({ id: '1' })],
      profiles: [profile({ id: 'u1', name: 'Dana Smith', pageCount: 3, status: 'invalid', summary: 'Dana changed her password.' })],
    }))
    await openSettings()
    const person = screen.getByTestId('person')
    expect(person.textContent).toContain('3 Pages')
    expect(person.textContent).toContain('Dana changed her password.')
    await fireEvent.click(within(person).getByRole('button', { name: 'Reconnect' }))
    expect(fake.api.startReauthorize).toHaveBeenCalledWith('u1', '')
    await fireEvent.keyDown(await screen.findByRole('dialog'), { key: 'Escape' })
    fake.api.removePlan.mockResolvedValueOnce({ personId: 'u1', person: 'Dana Smith', moved: [{ pageId: '1', pageName: 'Page 1', toId: 'u2', to: 'Sam Ortiz' }], unwatched: ['Corner Shop'] })
    await fireEvent.click(within(person).getByRole('button', { name: 'Remove Dana Smith…' }))
    // Before anything is done, the plan: what moves to whom, what nobody watches any more.
    expect((await within(person).findByTestId('moves')).textContent).toBe('Page 1 → Sam Ortiz')
    expect(within(person).getByTestId('unwatched').textContent).toBe('Corner Shop')
    expect(fake.api.removeProfile).not.toHaveBeenCalled()
    fake.api.removeProfile.mockRejectedValueOnce('the keychain is locked')
    await fireEvent.click(within(person).getByRole('button', { name: 'Remove Dana Smith' }))
    expect((await screen.findByRole('alert')).textContent).toContain('the keychain is locked')
    fake.api.removeProfile.mockResolvedValueOnce({ personId: 'u1', person: 'Dana Smith', moved: [{ pageId: '1', pageName: 'Page 1', toId: 'u2', to: 'Sam Ortiz' }], unwatched: ['Corner Shop'] })
    await fireEvent.click(within(person).getByRole('button', { name: 'Remove Dana Smith' }))
    expect(fake.api.removeProfile).toHaveBeenLastCalledWith('u1')
    expect((await screen.findByText(/Pagekeeper forgot Dana Smith/)).textContent).toContain('Page 1 (Sam Ortiz)')
  })

  it('says so when the settings cannot be read', async () => {
    fake.api.getSettings.mockRejectedValueOnce('the data folder is locked')
    render(App)
    await screen.findByTestId('headline')
    await fireEvent.click(screen.getByRole('button', { name: 'Settings' }))
    expect((await screen.findByRole('alert')).textContent).toContain('Could not read the settings: the data folder is locked')
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByTestId('interval')).toBeTruthy()
  })
})
