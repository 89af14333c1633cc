// An open (no whitelist) HTTP tracker from bittorrent-tracker, bound to 127.0.0.1 only, run as its
// own process so the test process needs no types for the package. Usage: node js-tracker-server.mjs PORT
// Prints "listening http://127.0.0.1:PORT/announce" when ready; exits on SIGTERM/SIGINT.
import { Server } from 'bittorrent-tracker'

const port = Number(process.argv[2])
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: js-tracker-server.mjs PORT')
  process.exit(2)
}
const server = new Server({ http: true, udp: false, ws: false, stats: false, trustProxy: false })
server.on('error', (err) => {
  console.error(`tracker error: ${err.message}`)
  process.exit(1)
})
server.on('warning', (err) => console.error(`tracker warning: ${err.message}`))
server.on('start', (addr) => console.log(`start ${addr}`))
server.on('complete', (addr) => console.log(`complete ${addr}`))
server.on('stop', (addr) => console.log(`stop ${addr}`))
server.listen(port, '127.0.0.1', () => {
  console.log(`listening http://127.0.0.1:${port}/announce`)
})
const quit = () => server.close(() => process.exit(0))
process.on('SIGTERM', quit)
process.on('SIGINT', quit)
