// Settings checks in the window's units, matching store.Settings.Validate,
// and the mapping of Go's field problems onto the form's fields.
import type { SettingsView } from './api'

export type Problems = Partial<Record<keyof SettingsView, string>>

// Go names the stored fields; the form edits them in other units.
const goField: Record<string, keyof SettingsView> = {
  checkInterval: 'checkIntervalMinutes',
  reminderInterval: 'reminderHours',
  warnWindow: 'warnDays',
  redirectPort: 'redirectPort',
  appId: 'appId',
}

function whole(n: number): boolean {
  return Number.isInteger(n)
}

/** validate gives a problem per field, in words, or nothing when all is well. */
export function validate(s: SettingsView): Problems {
  const p: Problems = {}
  if (!whole(s.checkIntervalMinutes) || s.checkIntervalMinutes < 1 || s.checkIntervalMinutes > 1440)
    p.checkIntervalMinutes = 'Check every 1 to 1,440 minutes (a day).'
  if (!whole(s.reminderHours) || s.reminderHours < 1 || s.reminderHours > 720)
    p.reminderHours = 'Remind every 1 to 720 hours (30 days).'
  if (!whole(s.warnDays) || s.warnDays < 1 || s.warnDays > 90)
    p.warnDays = 'Warn 1 to 90 days before access to a Page ends.'
  if (!whole(s.redirectPort) || s.redirectPort < 1024 || s.redirectPort > 65535)
    p.redirectPort = 'Use a port from 1024 to 65535.'
  return p
}

/**
 * serverProblems reads Go's "invalid settings: field: problem; ..." into
 * per-field problems; anything else stays a general error.
 */
export function serverProblems(message: string): { fields: Problems; general: string } {
  const fields: Problems = {}
  const m = /invalid settings: (.*)$/s.exec(message)
  if (!m) return { fields, general: message }
  let general = ''
  for (const part of m[1].split('; ')) {
    const i = part.indexOf(': ')
    const f = i > 0 ? goField[part.slice(0, i)] : undefined
    if (f) fields[f] = part.slice(i + 2)
    else general += (general ? '; ' : '') + part
  }
  return { fields, general }
}
