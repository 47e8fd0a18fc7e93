// citysoc — small progressive enhancements; every page works without this file.
// All page script lives here (or in other static files): the Content-Security-Policy
// allows no inline <script> and no onclick= attributes. Pages opt in with data- attributes.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector("[data-toggle-nav]");
  const nav = document.getElementById("sidenav");
  if (toggle && nav) {
    toggle.addEventListener("click", () => {
      const open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // Confirm destructive buttons: <button data-confirm="…">.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });
  // Copy buttons: <button data-copy="#id"> copies that element's text; an empty
  // data-copy copies the element just before the button (a <pre> snippet).
  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", () => {
      const source = button.dataset.copy
        ? document.querySelector(button.dataset.copy)
        : button.previousElementSibling;
      if (!source || !navigator.clipboard) return;
      navigator.clipboard.writeText(source.textContent).then(() => {
        if (!button.dataset.copy) button.textContent = "✓";
      });
    });
  });
  // Read-only fields selected whole on click (a calendar link to paste elsewhere).
  document.querySelectorAll("[data-select-on-click]").forEach((input) => {
    input.addEventListener("click", () => input.select());
  });
  pollIntelProgress();
  pollImportProgress();
  refreshAlertRows();
});

// Intel list version / log import progress: <span data-poll-box="box-id">.
function pollIntelProgress() {
  document.querySelectorAll("[data-poll-box]").forEach((marker) => {
    const box = document.getElementById(marker.dataset.pollBox);
    if (!box) return;
    function poll() {
      fetch(box.dataset.statusUrl, { credentials: "same-origin" })
        .then((r) => r.json())
        .then((s) => {
          if (s.finished) { window.location.href = s.url; return; }
          const bar = box.querySelector("[data-bar]");
          if (bar && s.percent !== undefined) { bar.style.width = s.percent + "%"; }
          ["percent", "bytes_done", "records", "rate"].forEach((k) => {
            const el = box.querySelector("[data-" + k.replace("_", "-") + "]");
            if (el && s[k] !== undefined) { el.textContent = s[k]; }
          });
          setTimeout(poll, 1000);
        })
        .catch(() => setTimeout(poll, 3000));
    }
    setTimeout(poll, 1000);
  });
}

// Inventory import progress; the phase labels come translated in data-phase-*.
function pollImportProgress() {
  const box = document.getElementById("import-progress");
  const labels = document.querySelector("[data-import-phases]");
  if (!box || !labels) return;
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then((r) => r.json())
      .then((s) => {
        if (s.finished) { window.location.href = s.url; return; }
        document.getElementById("import-bar").style.width = s.percent + "%";
        document.getElementById("import-count").textContent = s.processed_rows;
        document.getElementById("import-total").textContent = s.total_rows;
        const phase = labels.getAttribute("data-phase-" + s.phase);
        document.getElementById("import-phase").textContent = phase || s.phase;
        setTimeout(poll, 1000);
      })
      .catch(() => setTimeout(poll, 3000));
  }
  setTimeout(poll, 1000);
}

// Alert list: fetch the rows again every few seconds, marking the new ones.
function refreshAlertRows() {
  const body = document.querySelector("[data-alert-rows]");
  if (!body || !window.fetch) return;
  const every = (parseInt(body.dataset.refreshSeconds, 10) || 10) * 1000;
  const seen = {};
  body.querySelectorAll("tr[data-id]").forEach((r) => { seen[r.dataset.id] = true; });
  function url() {
    const q = new URLSearchParams(window.location.search);
    q.set("next", body.dataset.next);
    return body.dataset.refreshUrl + "?" + q.toString();
  }
  function apply(data) {
    const checked = {};
    body.querySelectorAll("input[name=alert]:checked").forEach((c) => { checked[c.value] = true; });
    body.innerHTML = data.rows;
    body.querySelectorAll("tr[data-id]").forEach((r) => {
      if (!seen[r.dataset.id]) { r.classList.add("alert-new"); seen[r.dataset.id] = true; }
      const box = r.querySelector("input[name=alert]");
      if (box && checked[box.value]) { box.checked = true; }
    });
    Object.keys(data.counts).forEach((k) => {
      const el = document.querySelector("[data-count='" + k + "']");
      if (el) { el.textContent = data.counts[k]; }
    });
    const stamp = document.querySelector("[data-refreshed]");
    if (stamp) { stamp.textContent = "✓ " + new Date().toLocaleTimeString("vi-VN"); }
  }
  function poll() {
    fetch(url(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then((data) => { apply(data); setTimeout(poll, every); })
      .catch(() => setTimeout(poll, every * 3));
  }
  setTimeout(poll, every);
}

// Phones show list tables as cards (citysoc.css): each cell gets the name of its column
// as data-label. Rows added later (the alert list refreshes itself) are labelled too.
(() => {
  const SKIP = ".matrix, .heatmap, .keep-table";
  const label = (table) => {
    const head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head || table.tHead.rows.length > 1) return;
    const names = [];
    for (const th of head.cells) {
      for (let i = 0; i < (th.colSpan || 1); i++) names.push(th.textContent.trim());
    }
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let col = 0;
        for (const td of row.cells) {
          const name = names[col];
          if (name && !td.hasAttribute("data-label") && td.colSpan === 1) td.dataset.label = name;
          col += td.colSpan || 1;
        }
      }
    }
  };
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("table.data").forEach((table) => {
      if (table.matches(SKIP)) return;
      label(table);
      new MutationObserver(() => label(table)).observe(table, { childList: true, subtree: true });
    });
  });
})();
