// citysoc — small progressive enhancements; every page works without this file.
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
});

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
