/**
 * The stand-in for the `electron` module (register.ts resolves the bare specifier here): the named
 * exports the built main bundle imports, each modelling only Electron's documented behaviour. The test
 * drives and reads it through control.ts.
 */
import { app } from './app-instance'
import { StandInBrowserWindow } from './browser-window'
import { installControl } from './control'
import { ipcMain } from './ipc-main'
import { protocol } from './protocol'
import { StandInMenu, StandInTray, nativeImage } from './tray-menu'
import { StandInNotification, dialog, screen, session, shell } from './system'
import { utilityProcess } from './utility-process'

installControl()

export {
  app,
  StandInBrowserWindow as BrowserWindow,
  dialog,
  ipcMain,
  StandInMenu as Menu,
  nativeImage,
  StandInNotification as Notification,
  protocol,
  screen,
  session,
  shell,
  StandInTray as Tray,
  utilityProcess,
}
