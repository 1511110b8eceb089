/** The inspector page's CSS (inlined into the page; allowed by hash in its CSP). */
export const PAGE_STYLE = `
:root {
  --bg: #f4f6f9; --card: #fff; --text: #1b2230; --muted: #5c6778; --line: #dde2ea;
  --accent: #1f5fbf; --head: #12203a; --head-text: #f2f5fa; --ok: #17803d; --bad: #b42318;
  --flash: #ffe58a; --changed: #f0a500; --secret: #7a3fb0; --code: #0b4f8a; --focus: #2f7cf6;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f141b; --card: #171e28; --text: #e4e9f0; --muted: #9aa6b8; --line: #2a3442;
    --accent: #7fb0ff; --head: #0a0f16; --head-text: #e4e9f0; --ok: #4cc27a; --bad: #ff7b72;
    --flash: #5c4a00; --changed: #e0a100; --secret: #c9a2f2; --code: #8cc4ff;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
code, .val, .origin, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: 8px; z-index: 2; }
.skip:focus { left: 8px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 1px; }
.top { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px 16px;
  padding: 10px 20px; background: var(--head); color: var(--head-text); }
.top h1 { margin: 0; font-size: 17px; font-weight: 600; }
.meta { margin: 0; display: flex; gap: 12px; align-items: center; font-size: 13px; }
.badge { background: #2c4a7a; color: #fff; border-radius: 10px; padding: 1px 9px; font-weight: 600; }
.status::before { content: ""; display: inline-block; width: 8px; height: 8px; border-radius: 50%;
  background: #8a94a6; margin-right: 6px; vertical-align: 1px; }
.status.live::before { background: #3ddc84; }
.status.down::before { background: #ff6b6b; }
.updated { opacity: .8; }
main { display: grid; grid-template-columns: minmax(0, 1fr) minmax(300px, 400px); gap: 16px; padding: 16px 20px;
  align-items: start; max-width: 1600px; margin: 0 auto; }
.side { display: grid; gap: 16px; min-width: 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; min-width: 0; }
.card h2 { margin: 0 0 8px; font-size: 14px; font-weight: 600; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 6px; }
.toolbar h2 { margin: 0 auto 0 0; }
input[type=search] { flex: 1 1 220px; min-width: 0; max-width: 360px; }
select { max-width: 240px; min-width: 0; flex: 0 1 auto; }
input, select, button { font: inherit; color: inherit; background: var(--card); border: 1px solid var(--line);
  border-radius: 6px; padding: 4px 8px; }
button { cursor: pointer; }
button:hover { border-color: var(--accent); }
.hint { color: var(--muted); margin: 4px 0; font-size: 13px; }
.tree-root ul { list-style: none; margin: 0; padding: 0 0 0 16px; }
.tree-root > ul { padding-left: 0; }
.tree-root li { margin: 0; }
summary { cursor: pointer; padding: 2px 4px; border-radius: 4px; }
summary:hover { background: color-mix(in srgb, var(--accent) 8%, transparent); }
summary .key { font-weight: 600; }
.count { color: var(--muted); font-size: 12px; margin-left: 6px; }
.leaf { display: grid; grid-template-columns: minmax(90px, max-content) minmax(0, 1fr) minmax(0, auto); gap: 4px 12px;
  width: 100%; text-align: left; border: 1px solid transparent; background: none; padding: 2px 6px; border-radius: 4px;
  align-items: baseline; }
.leaf:hover { background: color-mix(in srgb, var(--accent) 8%, transparent); border-color: transparent; }
.leaf[aria-pressed=true] { border-color: var(--accent); background: color-mix(in srgb, var(--accent) 12%, transparent); }
.leaf .key { color: var(--text); }
.val { color: var(--code); overflow-wrap: anywhere; }
.origin { color: var(--muted); text-align: right; overflow-wrap: anywhere; }
.secret { color: var(--secret); font-style: italic; }
li.changed > .leaf { box-shadow: inset 3px 0 0 var(--changed); }
.flash { animation: flash 2.4s ease-out; }
@keyframes flash { from { background: var(--flash); } to { background: transparent; } }
@media (prefers-reduced-motion: reduce) { .flash { animation: none; outline: 2px solid var(--changed); } }
.since { color: var(--changed); font-size: 11px; font-weight: 600; margin-left: 6px; }
dl { margin: 0; display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 10px; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
.overridden { margin: 6px 0 0; padding-left: 18px; }
.overridden li { margin: 3px 0; }
.overridden .val { text-decoration: line-through; text-decoration-color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
th { color: var(--muted); font-weight: 500; }
.ok { color: var(--ok); font-weight: 600; }
.bad { color: var(--bad); font-weight: 600; }
.errors, .timeline { list-style: none; margin: 0; padding: 0; max-height: 300px; overflow: auto; }
td.name { word-break: break-all; }
.errors li, .timeline li { border-top: 1px solid var(--line); padding: 6px 0; }
.errors li:first-child, .timeline li:first-child { border-top: 0; }
.errors .code { color: var(--bad); font-weight: 600; margin-right: 6px; }
.errors .where { display: block; }
.timeline .head { display: flex; gap: 8px; flex-wrap: wrap; align-items: baseline; }
.timeline .head strong { color: var(--accent); }
.timeline ul { list-style: none; margin: 2px 0 0; padding: 0 0 0 8px; }
.timeline ul li { border: 0; padding: 1px 0; }
.arrow { color: var(--muted); margin: 0 4px; }
.error-banner { background: color-mix(in srgb, var(--bad) 12%, var(--card)); border: 1px solid var(--bad);
  border-radius: 6px; padding: 6px 10px; margin: 6px 0; }
@media (max-width: 900px) {
  main { grid-template-columns: minmax(0, 1fr); padding: 10px; gap: 10px; }
  .top { padding: 8px 12px; }
}
@media (max-width: 560px) {
  .leaf { grid-template-columns: minmax(0, max-content) minmax(0, 1fr); }
  .leaf .origin { grid-column: 1 / -1; text-align: left; }
  input[type=search] { max-width: none; flex-basis: 100%; }
  select { max-width: 100%; }
}
`;
