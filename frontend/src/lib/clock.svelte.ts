// One shared ticking clock so "5 min ago" stays true without every row
// running a timer of its own.
class Clock {
  value = $state(Date.now())
  #timer: ReturnType<typeof setInterval> | undefined
  #users = 0

  use(): () => void {
    if (this.#users++ === 0) this.#timer = setInterval(() => (this.value = Date.now()), 30_000)
    return () => {
      if (--this.#users === 0) clearInterval(this.#timer)
    }
  }
}

export const now = new Clock()
