/**
 * The page's Fleet section (only with `inspector(config, { fleet })`): a table of the service's
 * instances from `/api/fleet`, refreshed every 2 s, rejected and behind first. Its own inline script,
 * allowed by hash like the page's.
 */

/** The section's markup (filled by {@link FLEET_SCRIPT}). */
export const FLEET_SECTION = `<section class="card" aria-labelledby="fleet-heading">
  <h2 id="fleet-heading">Fleet</h2>
  <div id="fleet"><p class="hint">Loading…</p></div>
</section>`;

/** Fetches `/api/fleet` and renders it with text nodes only (no HTML from the store). */
export const FLEET_SCRIPT = `(function () {
  var base = document.querySelector('meta[name="livecfg-base"]').getAttribute('content') || '/';
  var box = document.getElementById('fleet');
  function cell(row, text) { var td = document.createElement('td'); td.textContent = text; row.appendChild(td); }
  function render(body) {
    var table = document.createElement('table');
    var head = table.createTHead().insertRow();
    ['Instance', 'Host', 'Version', 'Checksum', 'Applied', 'Heartbeat', 'Status'].forEach(function (name) {
      var th = document.createElement('th'); th.textContent = name; head.appendChild(th);
    });
    var tbody = table.createTBody();
    body.instances.forEach(function (item) {
      var row = tbody.insertRow();
      row.className = 'fleet-' + item.status;
      cell(row, item.instance); cell(row, item.host); cell(row, 'v' + item.configVersion);
      cell(row, item.checksum.slice(0, 8)); cell(row, item.applied === null ? '-' : item.applied);
      cell(row, (item.heartbeatAgeMs / 1000).toFixed(1) + 's');
      cell(row, item.rejected ? item.status + ': ' + item.rejected.code + ' ' + item.rejected.message : item.status);
    });
    box.replaceChildren(table);
    if (body.instances.length === 0) box.textContent = 'No instance of ' + body.service + ' reports.';
  }
  function refresh() {
    fetch(base + 'api/fleet', { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-cache' })
      .then(function (res) { return res.ok ? res.json() : Promise.reject(new Error('HTTP ' + res.status)); })
      .then(render, function (error) { box.textContent = 'Fleet unavailable: ' + error.message; })
      .finally(function () { setTimeout(refresh, 2000); });
  }
  refresh();
})();`;
