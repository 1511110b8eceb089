/** The inspector page's CSS (inlined into the page; allowed by hash in its CSP). */
export const PAGE_STYLE = `
:root, [data-theme=light] {
  --bg: #f4f6f9; --card: #fff; --text: #1b2230; --muted: #566173; --line: #c9d0db;
  --accent: #1f5fbf; --head: #12203a; --head-text: #f2f5fa; --ok: #17803d; --bad: #b42318;
  --flash: #ffe58a; --changed: #8a5300; --changed-bar: #a86400; --secret: #7a3fb0; --code: #0b4f8a;
  --focus: #1f5fbf; --row-active: #e3ecfa; --banner: #fdecea;
  --k-file: #1f5fbf; --k-env: #17803d; --k-flag: #7a3fb0; --k-default: #566173; --k-remote: #0b6e6e; --k-other: #566173;
  color-scheme: light;
}
[data-theme=dark] {
  --bg: #0f141b; --card: #171e28; --text: #e4e9f0; --muted: #a3afc0; --line: #3a4656;
  --accent: #8ab8ff; --head: #0a0f16; --head-text: #e4e9f0; --ok: #4cc27a; --bad: #ff8a80;
  --flash: #5c4a00; --changed: #f0b429; --changed-bar: #f0b429; --secret: #d2b0f5; --code: #9ccbff;
  --focus: #8ab8ff; --row-active: #22324a; --banner: #3a1d1b;
  --k-file: #8ab8ff; --k-env: #6fd69a; --k-flag: #d2b0f5; --k-default: #a3afc0; --k-remote: #6fd6d6; --k-other: #a3afc0;
  color-scheme: dark;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
code, .val, .origin, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); color: var(--text); padding: 8px; z-index: 20; }
.skip:focus { left: 8px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 1px; }
.top { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; padding: 8px 20px;
  background: var(--head); color: var(--head-text); position: sticky; top: 0; z-index: 5; }
.top h1 { margin: 0; font-size: 17px; font-weight: 600; }
.statusbar { display: flex; gap: 10px; align-items: center; font-size: 13px; flex-wrap: wrap; margin-right: auto; }
.top-actions { display: flex; gap: 6px; }
.top button { background: transparent; color: var(--head-text); border-color: #5b6b85; }
.badge { background: #2c4a7a; color: #fff; border-radius: 10px; padding: 1px 9px; font-weight: 600; }
.health { border-radius: 10px; padding: 1px 10px; font-weight: 700; color: #0a0f16; background: #8a94a6; }
.health.live { background: #3ddc84; }
.health.degraded { background: #ffc857; }
.health.rejected { background: #ff6b6b; }
.since-text time { font-variant-numeric: tabular-nums; }
.banner { margin: 12px 20px 0; padding: 8px 14px; border: 2px solid var(--bad); border-radius: 8px; background: var(--banner); }
.banner p { margin: 4px 0; }
.banner .issues { margin: 4px 0; padding-left: 20px; }
.banner strong { color: var(--bad); }
main { display: grid; grid-template-columns: minmax(0, 1fr) minmax(300px, 420px); gap: 16px; padding: 16px 20px;
  align-items: start; max-width: 1600px; margin: 0 auto; }
.side { display: grid; gap: 16px; min-width: 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; min-width: 0; }
.card h2 { margin: 0 0 8px; font-size: 14px; font-weight: 600; }
.card h3 { margin: 10px 0 4px; font-size: 13px; font-weight: 600; color: var(--muted); }
.toolbar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-bottom: 6px; }
.toolbar h2 { margin: 0 auto 0 0; }
input[type=search] { flex: 1 1 200px; min-width: 0; max-width: 340px; }
select { max-width: 240px; min-width: 0; flex: 0 1 auto; }
input, select, button { font: inherit; color: inherit; background: var(--card); border: 1px solid var(--line);
  border-radius: 6px; padding: 3px 8px; }
input, select { border-color: var(--muted); }
button { cursor: pointer; }
button:hover { border-color: var(--accent); }
button.link { border: 0; background: none; padding: 0; color: var(--accent); text-decoration: underline; }
.hint { color: var(--muted); margin: 4px 0; font-size: 13px; }
.tree-root { position: relative; height: calc(100vh - 200px); min-height: 320px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
.rows { position: relative; min-height: 100%; }
.row { position: absolute; left: 0; right: 0; height: 26px; display: grid; align-items: center; cursor: pointer;
  grid-template-columns: minmax(120px, 34%) minmax(0, 1fr) minmax(0, max-content); gap: 12px; padding: 0 8px; white-space: nowrap; }
.row > * { overflow: hidden; text-overflow: ellipsis; }
.row:hover { background: color-mix(in srgb, var(--accent) 8%, transparent); }
.row.active { outline: 2px solid var(--focus); outline-offset: -2px; }
.tree-root:not(:focus) .row.active { outline: 0; }
.row[aria-selected=true] { background: var(--row-active); }
.row .key { color: var(--text); }
.row.branch .key { font-weight: 600; }
.twisty { display: inline-block; width: 14px; color: var(--muted); }
.count { color: var(--muted); font-size: 12px; }
.val { color: var(--code); }
.origin { justify-self: end; max-width: 28ch; border: 1px solid currentColor; border-radius: 9px; padding: 0 7px; font-size: 11.5px; line-height: 18px; }
.kind-file { color: var(--k-file); } .kind-env { color: var(--k-env); } .kind-flag { color: var(--k-flag); }
.kind-default { color: var(--k-default); } .kind-remote { color: var(--k-remote); } .kind-other { color: var(--k-other); }
.secret { color: var(--secret); font-style: italic; }
.row.changed { box-shadow: inset 4px 0 0 var(--changed-bar); }
.row.gone .key, .row.gone .val { text-decoration: line-through; text-decoration-color: var(--bad); }
.gone-mark { color: var(--bad); font-weight: 600; }
.flash { animation: flash 2.4s ease-out; }
@keyframes flash { from { background: var(--flash); } to { background: transparent; } }
@media (prefers-reduced-motion: reduce) { .flash { animation: none; outline: 2px solid var(--changed-bar); } }
.since { color: var(--changed); font-size: 11px; font-weight: 700; margin-left: 6px; }
dl { margin: 0; display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 10px; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
.drawer-head { display: flex; justify-content: space-between; align-items: center; }
.drawer:not(.open) #close-drawer { display: none; }
.actions { display: flex; gap: 6px; flex-wrap: wrap; margin: 8px 0 0; }
.overridden, .key-history { margin: 4px 0 0; padding-left: 18px; }
.constraints { margin: 0; padding-left: 16px; }
.schema-description { white-space: pre-wrap; }
.overridden li, .key-history li { margin: 3px 0; overflow-wrap: anywhere; }
.overridden li:not(.winner) .val { text-decoration: line-through; text-decoration-color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
th { color: var(--muted); font-weight: 500; }
.ok { color: var(--ok); font-weight: 600; }
.bad { color: var(--bad); font-weight: 600; }
.errors, .timeline { list-style: none; margin: 0; padding: 0; max-height: 320px; overflow: auto; }
td.name { word-break: break-all; }
.errors li, .timeline li { border-top: 1px solid var(--line); padding: 6px 0; }
.errors li:first-child, .timeline li:first-child { border-top: 0; }
.errors .head, .timeline .head { display: flex; gap: 8px; flex-wrap: wrap; align-items: baseline; }
.errors .code { color: var(--bad); font-weight: 600; }
.errors li.resolved .code { color: var(--muted); }
.resolved-mark { color: var(--ok); font-weight: 600; }
.errors .where { display: block; overflow-wrap: anywhere; }
.timeline .head strong { color: var(--accent); }
.timeline ul, .diff-list { list-style: none; margin: 2px 0 0; padding: 0 0 0 8px; }
.timeline ul li, .diff-list li { border: 0; padding: 1px 0; overflow-wrap: anywhere; }
.diff-form { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; margin-bottom: 6px; font-size: 13px; }
.arrow { color: var(--muted); margin: 0 4px; }
.error-banner { border: 1px solid var(--bad); border-radius: 6px; padding: 6px 10px; margin: 6px; background: var(--banner); }
@media (max-width: 900px) {
  main { grid-template-columns: minmax(0, 1fr); padding: 10px; gap: 10px; }
  .top { padding: 8px 12px; }
  .banner { margin: 10px 10px 0; }
}
@media (max-width: 560px) {
  .row { grid-template-columns: minmax(0, 45%) minmax(0, 1fr); }
  .row .origin { display: none; }
  input[type=search] { max-width: none; flex-basis: 100%; }
  select { max-width: 100%; }
  .tree-root { height: 60vh; }
  .drawer:not(.open) { display: none; }
  .drawer.open { position: fixed; left: 0; right: 0; bottom: 0; max-height: 62vh; overflow: auto; z-index: 10;
    border-radius: 14px 14px 0 0; box-shadow: 0 -6px 24px rgba(0,0,0,.35); border-width: 2px 0 0; }
}
`;
