import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ScenarioView } from '../lib/api'
import { fake } from '../test/fake'
import { page, profile, snapshot } from '../test/fixtures'

vi.mock('../lib/api', async (orig) => (await import('../test/fake')).mockApi(await orig()))

import App from '../App.svelte'

beforeEach(() => fake.reset())
afterEach(() => cleanup())

const scenarios: ScenarioView[] = [
  { kind: 'password_changed', label: 'Password changed', description: 'All tokens die.', target: 'person' },
  { kind: 'role_removed', label: 'Role removed', description: 'Loses a role on one Page.', target: 'page' },
  { kind: 'outage', label: 'Facebook outage', description: 'Every call fails.', target: 'none' },
]

async function demo() {
  fake.api.snapshot.mockResolvedValue(snapshot({
    demo: true,
    pages: [page({ id: '10', name: 'Corner Bakery' }), page({ id: '11', name: 'Bike Repair', profileId: 'u2', profileName: 'Lee Wong' })],
    profiles: [profile({ id: 'u1', name: 'Dana Smith' }), profile({ id: 'u2', name: 'Lee Wong' })],
  }))
  fake.api.scenarios.mockResolvedValue(scenarios)
  render(App)
  expect(await screen.findByTestId('demo-badge')).toBeTruthy()
  await fireEvent.click(screen.getByRole('button', { name: 'Simulate' }))
  return screen.findByTestId('simulate-panel')
}

describe('demo mode', () => {
  it('shows the DEMO badge and a Simulate panel with every scenario', async () => {
    const panel = await demo()
    await within(panel).findByText('Password changed')
    expect(within(panel).getByText('Role removed')).toBeTruthy()
    expect(within(panel).getByText('Facebook outage')).toBeTruthy()
    const person = within(panel).getByLabelText('Person for Password changed') as HTMLSelectElement
    expect([...person.options].map((o) => o.text)).toEqual(['Dana Smith', 'Lee Wong'])
    const pageSel = within(panel).getByLabelText('Page for Role removed') as HTMLSelectElement
    expect([...pageSel.options].map((o) => o.text)).toEqual(['Corner Bakery', 'Bike Repair'])
  })

  it('simulates on the chosen person, Page, or nothing', async () => {
    const panel = await demo()
    await within(panel).findByText('Password changed')
    await fireEvent.change(within(panel).getByLabelText('Person for Password changed'), { target: { value: 'u2' } })
    await fireEvent.click(within(panel).getByRole('button', { name: 'Simulate Password changed' }))
    expect(fake.api.simulate).toHaveBeenCalledWith('password_changed', 'u2')
    expect(await screen.findByText('Simulated “Password changed” for Lee Wong. Checking now…')).toBeTruthy()
    await fireEvent.click(within(panel).getByRole('button', { name: 'Simulate Role removed' }))
    expect(fake.api.simulate).toHaveBeenLastCalledWith('role_removed', '10')
    await fireEvent.click(within(panel).getByRole('button', { name: 'Simulate Facebook outage' }))
    expect(fake.api.simulate).toHaveBeenLastCalledWith('outage', '')
    await fireEvent.click(within(panel).getByRole('button', { name: 'Reset all simulations' }))
    expect(fake.api.resetSimulation).toHaveBeenCalledOnce()
  })

  it('reports a failed simulation', async () => {
    fake.api.simulate.mockRejectedValue('simulations run only in demo mode')
    const panel = await demo()
    await fireEvent.click(await within(panel).findByRole('button', { name: 'Simulate Facebook outage' }))
    expect((await screen.findByRole('alert')).textContent).toContain('simulations run only in demo mode')
  })

  it('closes the panel', async () => {
    const panel = await demo()
    await fireEvent.click(within(panel).getByRole('button', { name: 'Close' }))
    expect(screen.queryByTestId('simulate-panel')).toBeNull()
  })
})
