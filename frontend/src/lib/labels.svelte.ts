// The plain names of permissions and Page tasks come from Go (health.Label),
// loaded once; reading them in a template re-renders when they arrive.
const state = $state<{ map: Record<string, string> }>({ map: {} })

export function setLabels(map: Record<string, string>): void {
  state.map = map
}

/** label names a permission or task as a Page admin reads it; the raw name is for support lines only. */
export function label(name: string): string {
  return state.map[name] ?? name.toLowerCase().replaceAll('_', ' ')
}
