import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fake } from '../test/fake'
import { page, profile, snapshot } from '../test/fixtures'

vi.mock('../lib/api', async (orig) => (await import('../test/fake')).mockApi(await orig()))

import App from '../App.svelte'

beforeEach(() => fake.reset())
afterEach(() => cleanup())

async function openDialog() {
  fake.api.snapshot.mockResolvedValue(snapshot({
    pages: [page({ id: '1', name: 'Corner Bakery', status: 'invalid', reason: 'password_changed', summary: 'Password changed.' })],
    profiles: [profile({ id: 'u1', name: 'Dana Smith', pageCount: 1 })],
  }))
  render(App)
  await screen.findByTestId('headline')
  const opener = screen.getAllByRole('button', { name: "Reconnect Dana Smith's Pages" })[0]
  opener.focus()
  await fireEvent.click(opener)
  const dialog = await screen.findByRole('dialog', { name: "Reconnect Dana Smith's Pages" })
  await within(dialog).findByTestId('login-url')
  return { dialog, opener }
}

const tab = (shiftKey = false) => fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Tab', shiftKey })

describe('the reconnect dialog', () => {
  it('keeps the keyboard inside: Tab wraps from the last control to the first and back', async () => {
    const { dialog } = await openDialog()
    const controls = [...dialog.querySelectorAll<HTMLElement>('button, input')]
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true))
    controls.at(-1)!.focus()
    await tab()
    expect(document.activeElement).toBe(controls[0])
    await tab(true)
    expect(document.activeElement).toBe(controls.at(-1))
    // Focus that lands behind the dialog is brought back in.
    screen.getByRole('button', { name: 'Settings' }).focus()
    expect(dialog.contains(document.activeElement)).toBe(true)
  })

  it('closes on Escape wherever the focus is, cancels the login and gives the focus back', async () => {
    const { dialog, opener } = await openDialog()
    ;(document.activeElement as HTMLElement).blur()
    await fireEvent.keyDown(document.body, { key: 'Escape' })
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(fake.api.cancelLogin).toHaveBeenCalledOnce()
    expect(dialog.isConnected).toBe(false)
    expect(document.activeElement).toBe(opener)
  })
})
