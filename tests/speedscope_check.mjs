// Opens pinata traces in speedscope itself: the npm package's release build (installed by
// scripts/setup.sh into .cache/npm) in headless Chromium, driven over the DevTools protocol
// (--remote-debugging-pipe: no port, no extra package). Each trace is served from 127.0.0.1 and
// loaded with speedscope's #profileURL=; speedscope's Trace Event importer reports a mis-nest
// with console.warn ("Tried to end ...", "... was still open at end of profile", ...). A trace
// passes when speedscope imports it, sets its title, and warns nothing.
// First a self-test: a trace with the float end that mis-nested S6 (35018.4 + 4985.8 passes
// 40004.2) must be refused, so that a pass means something.
// usage: node tests/speedscope_check.mjs TRACE...   (SPEEDSCOPE_DIR, CHROMIUM override)
import {spawn} from 'node:child_process'
import {createServer} from 'node:http'
import {readFileSync, mkdtempSync, rmSync, existsSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, dirname, extname} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const release = process.env.SPEEDSCOPE_DIR || join(root, '.cache/npm/node_modules/speedscope/dist/release')
const chromium = process.env.CHROMIUM || '/usr/bin/chromium'
const PER_TRACE_LIMIT_MS = 300000 // a hang guard, not a timing: a trace that never loads fails

function fail(msg) {
  console.error(`speedscope_check: ${msg}`)
  console.log('0 passed, 1 failed')
  process.exit(1)
}
if (!existsSync(join(release, 'index.html')))
  fail(`no speedscope at ${release}: run scripts/setup.sh (it installs speedscope from npm)`)
if (!existsSync(chromium)) fail(`no Chromium at ${chromium}: run scripts/setup.sh`)

// --- the files: speedscope's release, and the traces by number --------------------------------
const traces = [] // {name, body}
const types = {'.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
               '.wasm': 'application/wasm', '.png': 'image/png', '.woff2': 'font/woff2', '.ico': 'image/x-icon'}
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname)
  let body = null, type = 'application/octet-stream'
  const m = /^\/trace\/(\d+)\.json$/.exec(path)
  if (m && traces[+m[1]]) { body = traces[+m[1]].body; type = types['.json'] }
  else if (!path.includes('..')) {
    const file = join(release, path === '/' ? 'index.html' : path)
    if (existsSync(file)) { body = readFileSync(file); type = types[extname(file)] || type }
  }
  if (body == null) { res.writeHead(404); res.end(); return }
  res.writeHead(200, {'Content-Type': type})
  res.end(body)
})
await new Promise(r => server.listen(0, '127.0.0.1', r))
const base = `http://127.0.0.1:${server.address().port}`

// --- Chromium over the DevTools pipe (fd 3 in, fd 4 out; messages end with NUL) ---------------
const profile = mkdtempSync(join(tmpdir(), 'pinata-speedscope-'))
const browser = spawn(chromium, ['--headless=new', '--remote-debugging-pipe', '--no-sandbox', '--disable-gpu',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-first-run', '--no-default-browser-check',
  `--user-data-dir=${profile}`, 'about:blank'], {stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe']})
let stderr = ''
browser.stderr.on('data', d => { stderr = (stderr + d).slice(-4000) })
const toBrowser = browser.stdio[3], fromBrowser = browser.stdio[4]
let nextId = 1, pending = new Map(), listeners = []
let inbuf = Buffer.alloc(0)
fromBrowser.on('data', chunk => {
  inbuf = Buffer.concat([inbuf, chunk])
  for (let i; (i = inbuf.indexOf(0)) >= 0;) {
    const msg = JSON.parse(inbuf.subarray(0, i).toString('utf8'))
    inbuf = inbuf.subarray(i + 1)
    if (msg.id && pending.has(msg.id)) {
      const {resolve, reject} = pending.get(msg.id)
      pending.delete(msg.id)
      msg.error ? reject(new Error(JSON.stringify(msg.error))) : resolve(msg.result)
    } else for (const l of listeners) l(msg)
  }
})
browser.on('exit', code => { for (const {reject} of pending.values()) reject(new Error(`Chromium exited (${code}): ${stderr}`)) })
function send(method, params = {}, sessionId) {
  const id = nextId++
  toBrowser.write(JSON.stringify({id, method, params, ...(sessionId ? {sessionId} : {})}) + '\0')
  return new Promise((resolve, reject) => pending.set(id, {resolve, reject}))
}
let exited = new Promise(r => browser.on('exit', r))
async function cleanup() {
  // Browser.close ends Chromium's helper processes too, which write the profile until they go
  await Promise.race([send('Browser.close').catch(() => {}), exited])
  const killer = setTimeout(() => browser.kill('SIGKILL'), 10000)
  await exited
  clearTimeout(killer)
  server.close()
  for (let i = 0; i < 50; i++) { // a helper may still be writing: a temporary dir, best effort
    try { rmSync(profile, {recursive: true, force: true}); break } catch { await new Promise(r => setTimeout(r, 100)) }
  }
}

// --- one trace in speedscope ----------------------------------------------------------------
async function open(name, body) {
  traces.push({name, body})
  const url = `${base}/index.html#profileURL=${encodeURIComponent(`${base}/trace/${traces.length - 1}.json`)}`
  const {targetId} = await send('Target.createTarget', {url: 'about:blank'})
  const {sessionId} = await send('Target.attachToTarget', {targetId, flatten: true})
  const seen = {warnings: [], logs: [], done: false, failed: null}
  const listener = msg => {
    if (msg.sessionId !== sessionId) return
    if (msg.method === 'Runtime.consoleAPICalled') {
      const text = msg.params.args.map(a => a.value ?? a.description ?? '').join(' ')
      if (msg.params.type === 'warning' || msg.params.type === 'error') seen.warnings.push(text)
      else seen.logs.push(text)
    } else if (msg.method === 'Runtime.exceptionThrown') {
      seen.warnings.push(`exception: ${msg.params.exceptionDetails.exception?.description ?? msg.params.exceptionDetails.text}`)
    } else if (msg.method === 'Page.javascriptDialogOpening') {
      seen.failed = `speedscope said: ${msg.params.message}`
      send('Page.handleJavaScriptDialog', {accept: true}, sessionId).catch(() => {})
    }
  }
  listeners.push(listener)
  try {
    await send('Runtime.enable', {}, sessionId)
    await send('Page.enable', {}, sessionId)
    await send('Page.navigate', {url}, sessionId)
    const start = Date.now()
    for (;;) { // speedscope sets the page's title once the import is done
      // while the page navigates, its context may be gone: that is "not yet", not a failure
      const r = await send('Runtime.evaluate', {expression: 'document.title', returnByValue: true}, sessionId)
        .catch(() => null)
      if (/ - speedscope$/.test(r?.result?.value || '')) break
      if (seen.failed) break
      if (Date.now() - start > PER_TRACE_LIMIT_MS) { seen.failed = 'speedscope never finished importing it'; break }
      await new Promise(r => setTimeout(r, 100))
    }
  } finally {
    listeners = listeners.filter(l => l !== listener)
    await send('Target.closeTarget', {targetId}).catch(() => {})
  }
  const imported = seen.logs.some(l => l.includes('Importing as Trace Event Format profile'))
  if (!seen.failed && !imported) seen.failed = `not imported as a Trace Event Format profile (${seen.logs.slice(0, 3).join('; ')})`
  return seen
}

// The end of a slice that mis-nests in speedscope: the thread's first ts is not 0, and
// 35018.4 + 4985.8 = 40004.200000000004 ends after the next slice starts.
const misnest = JSON.stringify([
  {ph: 'X', cat: 'poll', name: 'first', ts: 12.3, dur: 1, pid: 1, tid: 1},
  {ph: 'X', cat: 'park', name: 'park', ts: 35018.4, dur: 4985.8, pid: 1, tid: 1},
  {ph: 'X', cat: 'poll', name: 'next', ts: 40004.2, dur: 3, pid: 1, tid: 1},
  {ph: 'X', cat: 'poll', name: 'child', ts: 40005.2, dur: 1, pid: 1, tid: 1},
])

let passed = 0, failed = 0
try {
  const self = await open('self-test', misnest)
  if (self.failed || self.warnings.length === 0)
    fail(`self-test: speedscope did not warn about the known mis-nest (${self.failed || 'no warning'})`)
  console.log(`speedscope_check: self-test: the known mis-nest warns (${self.warnings[0].slice(0, 100)})`)
  for (const path of process.argv.slice(2)) {
    const r = await open(path, readFileSync(path))
    if (r.failed || r.warnings.length) {
      failed++
      console.log(`speedscope_check: ${path}: FAILED: ${r.failed || `${r.warnings.length} warnings`}`)
      for (const w of r.warnings.slice(0, 5)) console.log(`  ${w.slice(0, 300)}`)
    } else {
      passed++
      console.log(`speedscope_check: ${path}: ok`)
    }
  }
} catch (e) {
  await cleanup()
  fail(e.stack || String(e))
}
await cleanup()
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
