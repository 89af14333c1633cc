/** The one `app`, shared by the modules that need it (windows register with it, quit closes them). */
import { StandInApp } from './app'

export const app = new StandInApp()
