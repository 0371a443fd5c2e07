// One shared ticking clock so "5 min ago" stays true without every row
// running a timer of its own. It stops while the window is hidden (closed
// to the tray): nobody sees the labels then, and they catch up on return.
class Clock {
  value = $state(Date.now())
  #timer: ReturnType<typeof setInterval> | undefined
  #users = 0

  #tick = () => (this.value = Date.now())

  #follow = () => {
    clearInterval(this.#timer)
    this.#timer = undefined
    if (this.#users === 0 || document.visibilityState === 'hidden') return
    this.#tick()
    this.#timer = setInterval(this.#tick, 30_000)
  }

  use(): () => void {
    if (this.#users++ === 0) {
      document.addEventListener('visibilitychange', this.#follow)
      this.#follow()
    }
    return () => {
      if (--this.#users === 0) {
        document.removeEventListener('visibilitychange', this.#follow)
        this.#follow()
      }
    }
  }
}

export const now = new Clock()
