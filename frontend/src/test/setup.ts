import { configure } from '@testing-library/svelte'

// App.svelte loads the views off the first screen with import(): in jsdom
// on a busy 2-core machine that can outlast findBy's default second. As
// with testTimeout, a wait is no speed goal.
configure({ asyncUtilTimeout: 5000 })
