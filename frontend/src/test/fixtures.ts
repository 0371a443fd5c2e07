// Views as Go sends them, with sensible defaults; tests override what matters.
import type { ActionView, MetaAppGuide, PageDetail, PageView, ProfileView, Snapshot } from '../lib/api'

const hour = 3600_000
export const ago = (ms: number) => new Date(Date.now() - ms).toISOString()

// The actions Go's health.words gives a few reasons (the full table is Go's).
const reasonActions: Record<string, string[]> = {
  password_changed: ['reconnect'], session_expired: ['reconnect'], token_invalid: ['reconnect'], page_not_granted: ['reconnect'],
  data_access_expired: ['reconnect'], permission_missing: ['reconnect'], expiring_soon: ['reconnect'],
  app_removed: ['reconnect', 'open_facebook'], account_checkpointed: ['open_facebook', 'reconnect'], instagram_unlinked: ['reconnect', 'open_facebook'],
  role_lost: ['ask_admin', 'open_facebook', 'reconnect'], task_missing: ['ask_admin', 'open_facebook', 'check_again'],
  webhooks_unsubscribed: ['resubscribe', 'reconnect'], unreachable: ['check_again'],
}
const labels: Record<string, string> = {
  reconnect: 'Reconnect', resubscribe: 'Resubscribe', ask_admin: 'Ask an admin', open_facebook: 'Open in Facebook',
  check_again: 'Check again', connect: 'Connect',
}

export function actions(reason: string, id = '1'): ActionView[] {
  return (reasonActions[reason] ?? []).map((kind) => ({
    kind, label: labels[kind], command: `pagekeeper ${kind.replace('_', '-')} ${id}`,
    url: kind === 'open_facebook' ? 'https://www.facebook.com/settings/?tab=profile_access' : '',
  }))
}

export function page(p: Partial<PageView> & { id: string }): PageView {
  return {
    actions: actions(p.reason ?? '', p.id),
    name: `Page ${p.id}`, category: 'Bakery', profileId: 'u1', profileName: 'Dana Smith',
    instagramId: '', instagramUsername: '', status: 'valid', reason: '', summary: 'Everything works.', fix: '',
    tasks: ['MANAGE', 'CREATE_CONTENT', 'MODERATE', 'MESSAGING', 'ADVERTISE', 'ANALYZE'],
    permissions: ['pages_show_list', 'pages_manage_posts', 'pages_messaging'], missingPermissions: [], missingTasks: [],
    features: [
      { name: 'publishing', label: 'Publishing', ok: true, missing: '' },
      { name: 'messenger', label: 'Messenger inbox', ok: true, missing: '' },
    ],
    webhooksSubscribed: true, checkedAt: ago(5 * 60_000), rolesCheckedAt: ago(40 * 60_000), webhooksCheckedAt: ago(40 * 60_000), updatedAt: ago(3 * 24 * hour), connectedAt: ago(40 * 24 * hour),
    ...p,
  }
}

export function profile(p: Partial<ProfileView> & { id: string }): ProfileView {
  return {
    name: 'Dana Smith', status: 'valid', reason: '', summary: '', fix: '', tokenExpiresAt: '', dataAccessExpiresAt: '',
    declined: [], pageCount: 1, ...p,
  }
}

/** snapshot counts the Pages itself, as Go does. */
export function snapshot(s: Partial<Snapshot> = {}): Snapshot {
  const pages = s.pages ?? []
  const counts = { total: pages.length, valid: 0, warning: 0, invalid: 0, unknown: 0, disconnected: 0, expiring: 0 }
  for (const p of pages) {
    if (p.status === 'warning' && p.reason === 'expiring_soon') counts.expiring++
    const k = p.status as keyof typeof counts
    if (k in counts && k !== 'total') counts[k]++
    else counts.unknown++
  }
  return {
    demo: false, configured: true, appId: '1234567890', appName: 'Harbor Street Pagekeeper', redirectUri: 'http://localhost:53682/callback',
    profiles: [], pages, counts,
    check: { running: false, done: 0, total: 0, lastStarted: ago(10 * 60_000), lastFinished: ago(9 * 60_000), nextAt: '', error: '' },
    seq: 1,
    ...s,
  }
}

export function detail(p: PageView, d: Partial<PageDetail> = {}): PageDetail {
  const timeline = Array.from({ length: 30 }, (_, i) => ({
    date: new Date(Date.now() - (29 - i) * 24 * hour).toISOString().slice(0, 10),
    status: i < 10 ? '' : 'valid',
  }))
  return { page: p, activity: [], history: [], timeline, ...d }
}

/** many makes n Pages over a few people with every status, for list and benchmark tests. */
export function many(n: number): PageView[] {
  const statuses = ['valid', 'valid', 'valid', 'warning', 'invalid', 'unknown', 'disconnected']
  const people = ['Dana Smith', 'Lee Wong', 'Ana Souza', 'Kofi Mensah', 'Mira Patel']
  return Array.from({ length: n }, (_, i) => page({
    id: String(100000000000000 + i),
    name: `Shop ${i} ${['Bakery', 'Florist', 'Garage', 'Studio', 'Cafe'][i % 5]}`,
    profileId: `u${i % people.length}`, profileName: people[i % people.length],
    status: statuses[i % statuses.length],
    instagramUsername: i % 3 === 0 ? `shop${i}` : '',
    summary: statuses[i % statuses.length] === 'invalid' ? 'The password was changed, so the connection ended.' : 'Everything works.',
  }))
}

/** metaGuide is a short guide in Go's shape (backend/metaapp holds the real one). */
export function metaGuide(appId = ''): MetaAppGuide {
  const id = appId || '{app-id}'
  const step = (s: Partial<MetaAppGuide['steps'][number]> & { id: string; title: string }) => ({
    intro: `About ${s.title}.`, do: [`Do ${s.title}.`], note: '', button: `Open ${s.title}`, url: '', field: '', source: 'https://developers.facebook.com/docs/x', ...s,
  })
  return {
    checkedOn: '2026-11-27', redirectUri: 'http://localhost:53682/callback',
    steps: [
      step({ id: 'create', title: 'Create the app', url: 'https://developers.facebook.com/apps/creation/' }),
      step({ id: 'app-id', title: 'Paste the App ID', field: 'appId', url: 'https://developers.facebook.com/apps/' }),
      step({ id: 'redirect', title: 'Add the redirect address', field: 'redirectUri', url: `https://developers.facebook.com/apps/${id}/business-login/settings/` }),
      step({ id: 'secret', title: 'Paste the App Secret', field: 'appSecret', url: `https://developers.facebook.com/apps/${id}/settings/basic/` }),
    ],
  }
}
