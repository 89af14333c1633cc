import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { z } from 'zod'
import App from './App.vue'
import { currentLocale, i18n } from './i18n'
import './style.css'

// The CSP forbids eval; without this zod probes `new Function` once and the page logs a CSP violation.
z.config({ jitless: true })

document.documentElement.lang = currentLocale()
createApp(App).use(createPinia()).use(i18n).mount('#app')
