/* genbench leaderboard site: sorting, filtering, image zoom and copy buttons.
   No dependencies, no network: the pages work from file:// and any static host. */
(function () {
  "use strict";

  // A cell's sort key: a number, a string, or null when empty (empty cells sort last).
  function key(cell, type) {
    var raw = cell ? cell.getAttribute("data-value") : "";
    if (raw === null || raw === "") return null;
    if (type === "number") {
      var value = parseFloat(raw);
      return isNaN(value) ? null : value;
    }
    return raw.toLowerCase();
  }

  function compare(a, b) {
    if (a === b) return 0;
    return a < b ? -1 : 1;
  }

  function setupTable(table) {
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var body = table.tBodies[0];
    var current = { column: -1, descending: false };

    heads.forEach(function (head, column) {
      var button = head.querySelector("button");
      if (!button) return;
      button.addEventListener("click", function () {
        var direction = head.getAttribute("data-direction");
        // First click: better first (higher is better → descending); next: reverse.
        var descending = direction === "higher";
        if (current.column === column) descending = !current.descending;
        current = { column: column, descending: descending };
        sortBy(column, head.getAttribute("data-type"), descending);
        heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
        head.setAttribute("aria-sort", descending ? "descending" : "ascending");
      });
    });

    function sortBy(column, type, descending) {
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a.cells[column], type);
        var y = key(b.cells[column], type);
        if (x === null || y === null) {
          if (x === y) return a.dataset.index - b.dataset.index;
          return x === null ? 1 : -1;
        }
        var order = descending ? compare(y, x) : compare(x, y);
        return order || a.dataset.index - b.dataset.index;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    }
  }

  function setupFilter(table) {
    var input = document.getElementById("filter");
    var baselines = document.getElementById("hide-baselines");
    var count = document.getElementById("count");
    if (!input || !baselines) return;
    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      var rows = table.tBodies[0].rows;
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        var text = row.getAttribute("data-search") || "";
        var visible = words.every(function (word) { return text.indexOf(word) >= 0; });
        if (baselines.checked && row.getAttribute("data-baseline") === "true") visible = false;
        row.hidden = !visible;
        if (visible) shown++;
      }
      count.textContent = shown === rows.length ? rows.length + " rows" :
        shown + " of " + rows.length + " rows";
    }
    input.addEventListener("input", apply);
    baselines.addEventListener("change", apply);
  }

  function setupZoom() {
    var box = document.getElementById("lightbox");
    if (!box) return;
    var big = box.querySelector("img");
    function close() { box.hidden = true; big.removeAttribute("src"); }
    document.addEventListener("click", function (event) {
      var target = event.target;
      if (target.classList && target.classList.contains("zoom")) {
        big.src = target.currentSrc || target.src;
        big.alt = target.alt;
        big.className = target.classList.contains("grid") ? "grid" : "";
        box.hidden = false;
      } else if (!box.hidden && box.contains(target)) {
        close();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !box.hidden) close();
    });
  }

  // The clipboard API needs a secure context and the user's permission; a selected
  // textarea and execCommand cover the pages opened from file:// in older browsers.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return fallbackCopy(text); }
      );
    }
    return Promise.resolve(fallbackCopy(text));
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (error) { done = false; }
    document.body.removeChild(area);
    return done;
  }

  function setupCopy() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button.copy") : null;
      if (!button) return;
      copyText(button.getAttribute("data-copy")).then(function (done) {
        button.textContent = done ? "copied" : "select and copy by hand";
        button.classList.toggle("done", done);
        window.setTimeout(function () {
          button.textContent = "copy";
          button.classList.remove("done");
        }, 2000);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var table = document.getElementById("board");
    if (table) {
      setupTable(table);
      setupFilter(table);
    }
    setupZoom();
    setupCopy();
  });
})();
