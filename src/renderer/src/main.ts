import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { z } from 'zod'
import App from './App.vue'
import './style.css'

// The CSP forbids eval; without this zod probes `new Function` once and the page logs a CSP violation.
z.config({ jitless: true })

createApp(App).use(createPinia()).mount('#app')
