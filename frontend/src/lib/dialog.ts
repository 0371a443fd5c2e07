// A modal dialog keeps the keyboard inside: Tab and Shift+Tab wrap around
// its own controls, Escape closes it wherever the focus is, and the focus
// returns where it was when it closes.
const focusable = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

export function modal(node: HTMLElement, onclose: () => void) {
  let close = onclose
  const before = document.activeElement as HTMLElement | null
  const items = () => [...node.querySelectorAll<HTMLElement>(focusable)].filter((el) => !el.closest('[hidden]'))
  queueMicrotask(() => (items()[0] ?? node).focus())

  function onkeydown(e: KeyboardEvent) {
    if (e.key === 'Escape') {
      e.preventDefault()
      close()
      return
    }
    if (e.key !== 'Tab') return
    const list = items()
    if (list.length === 0) {
      e.preventDefault()
      node.focus()
      return
    }
    const first = list[0], last = list[list.length - 1]
    const active = document.activeElement as HTMLElement | null
    const inside = !!active && node.contains(active)
    if (e.shiftKey && (!inside || active === first || active === node)) {
      e.preventDefault()
      last.focus()
    } else if (!e.shiftKey && (!inside || active === last)) {
      e.preventDefault()
      first.focus()
    }
  }
  // Focus that lands outside (a click on the page behind) comes back in.
  function onfocusin(e: FocusEvent) {
    if (!node.contains(e.target as Node)) (items()[0] ?? node).focus()
  }
  document.addEventListener('keydown', onkeydown, true)
  document.addEventListener('focusin', onfocusin)
  return {
    update(next: () => void) {
      close = next
    },
    destroy() {
      document.removeEventListener('keydown', onkeydown, true)
      document.removeEventListener('focusin', onfocusin)
      if (before && document.contains(before)) before.focus()
    },
  }
}
