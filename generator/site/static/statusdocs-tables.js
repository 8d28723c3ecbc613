/* statusdocs: sort, filter and page the matrix, the code index, the source tables and the
 * side-by-side tables of the code pages.
 *
 * Plain ES2017, no dependencies and no network: everything works on the table
 * already in the page.  Rows and columns are hidden with classes, never removed,
 * and the toolbar only exists when this script runs, so with JavaScript off the
 * tables are complete and unchanged.
 */
(function () {
  "use strict";

  var KINDS = [
    { selector: "table.sd-matrix", kind: "matrix" },
    { selector: "table.sd-codes", kind: "codes" },
    { selector: "table.sd-source-table", kind: "source" },
    { selector: "table.sd-side-by-side", kind: "side" },
  ];
  /* A table with more rows than this (after filtering) shows them a page at a time. */
  var PAGE_ROWS = 100;
  var PAGED_OUT = "sd-paged-out";
  var CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx"];
  var HIDDEN_ROW = "sd-hidden";
  var HIDDEN_COLUMN = "sd-col-hidden";
  /* The matrix's first two columns are the code and the registered phrase; the rest are sources. */
  var MATRIX_FIXED_COLUMNS = 2;
  /* The sort indicators; the no-break space keeps each on the line of the header's last word. */
  var ASCENDING = "\u00a0\u25b2";
  var DESCENDING = "\u00a0\u25bc";
  var UNSORTED = "\u00a0\u2195";
  var NUMBER = /^[-+]?\d+(?:[.,]\d+)?$/;
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  /* ---- cells by logical column (colspan-aware) ---- */

  function cellsByColumn(row) {
    var columns = [];
    Array.prototype.forEach.call(row.cells, function (cell) {
      for (var i = 0; i < (cell.colSpan || 1); i += 1) columns.push(cell);
    });
    return columns;
  }

  function cellAt(row, column) {
    var cell = cellsByColumn(row)[column];
    return cell || null;
  }

  function text(node) {
    return node ? node.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function bodyRows(table) {
    var rows = [];
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) { rows.push(row); });
    });
    return rows;
  }

  function headerRow(table) {
    var head = table.tHead;
    return head && head.rows.length ? head.rows[head.rows.length - 1] : null;
  }

  /* Row spans tie rows together: such a table is filtered but not sorted. */
  function hasRowSpans(table) {
    return bodyRows(table).some(function (row) {
      return Array.prototype.some.call(row.cells, function (cell) { return cell.rowSpan > 1; });
    });
  }

  /* ---- what a row is ---- */

  /* The class of a row: the first digit of the first three-digit number in its first cell. */
  function rowClass(row) {
    var match = /(?:^|\D)([1-9])\d\d(?!\d)/.exec(text(row.cells[0]));
    return match ? match[1] + "xx" : "";
  }

  /* Whether the sources disagree on a row's code: one of its (shown) cells has a name
   * that differs from the registered phrase.  Change this to change the checkbox. */
  function rowDisagrees(row, state) {
    // The site marks the rows of codes whose sources disagree (names or advice).
    return row.classList.contains("sd-disagrees");
  }

  function isColumnHidden(state, column) {
    return state.source !== null && column >= MATRIX_FIXED_COLUMNS && column !== state.source;
  }

  function rowText(row, state) {
    return cellsByColumn(row)
      .filter(function (cell, column, all) {
        return all.indexOf(cell) === column && !isColumnHidden(state, column);
      })
      .map(text)
      .join(" ")
      .toLowerCase();
  }

  /* ---- sorting ---- */

  function isEmptyCell(cell) {
    if (!cell) return true;
    var value = text(cell);
    if (value === "") return true;
    var absent = cell.querySelector(".sd-absent");
    return absent !== null && text(absent) === value;
  }

  /* Markers before a name (≈ variant, ≠ differs, ↺ former) do not count in the order. */
  var MARKERS = /^[\u2190-\u23ff\u25a0-\u25ff\s]+/;

  function sortKey(cell) {
    return text(cell).replace(MARKERS, "");
  }

  function columnIsNumeric(rows, column) {
    var seen = false;
    var numeric = rows.every(function (row) {
      var cell = cellAt(row, column);
      if (isEmptyCell(cell)) return true;
      seen = true;
      return NUMBER.test(sortKey(cell));
    });
    return seen && numeric;
  }

  function sortTable(table, column, descending) {
    var rows = bodyRows(table);
    var numeric = columnIsNumeric(rows, column);
    var sign = descending ? -1 : 1;
    Array.prototype.forEach.call(table.tBodies, function (body) {
      var entries = Array.prototype.map.call(body.rows, function (row, index) {
        var cell = cellAt(row, column);
        var empty = isEmptyCell(cell);
        var key = empty ? "" : sortKey(cell);
        return {
          row: row,
          index: Number(row.getAttribute("data-sd-order") || index),
          empty: empty,
          key: numeric && !empty ? parseFloat(key.replace(",", ".")) : key,
        };
      });
      entries.sort(function (a, b) {
        // Empty cells (a dash in the matrix) go last in either direction.
        if (a.empty !== b.empty) return a.empty ? 1 : -1;
        var order = 0;
        if (!a.empty) {
          order = numeric ? a.key - b.key : collator.compare(a.key, b.key);
        }
        // Ties keep the page's order, so the sort is stable in both directions.
        return order !== 0 ? sign * order : a.index - b.index;
      });
      entries.forEach(function (entry) { body.appendChild(entry.row); });
    });
  }

  function makeSortable(table, onSorted) {
    var header = headerRow(table);
    if (!header || hasRowSpans(table)) return;
    bodyRows(table).forEach(function (row, index) {
      row.setAttribute("data-sd-order", String(index));
    });
    var current = { column: -1, descending: false };
    var buttons = [];
    var column = 0;
    Array.prototype.forEach.call(header.cells, function (cell) {
      var start = column;
      column += cell.colSpan || 1;
      if ((cell.colSpan || 1) !== 1) return;
      var label = text(cell);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sd-sort";
      var indicator = document.createElement("span");
      indicator.className = "sd-sort-indicator";
      indicator.setAttribute("aria-hidden", "true");
      indicator.textContent = UNSORTED;
      // The header text goes into the button; a header that links somewhere keeps its
      // link (a link cannot sit inside a button) and gets a small button beside it.
      var holder = cell.children.length === 1 && cell.children[0].tagName === "P" ? cell.children[0] : cell;
      if (holder.querySelector("a, button, input, select, textarea")) {
        button.classList.add("sd-sort-compact");
        button.setAttribute("aria-label", "Sort by " + label);
      } else {
        while (holder.firstChild) button.appendChild(holder.firstChild);
      }
      button.appendChild(indicator);
      holder.appendChild(button);
      buttons.push({ cell: cell, indicator: indicator, column: start });
      button.addEventListener("click", function () {
        var descending = current.column === start ? !current.descending : false;
        current = { column: start, descending: descending };
        sortTable(table, start, descending);
        buttons.forEach(function (entry) {
          if (entry.column === start) {
            entry.cell.setAttribute("aria-sort", descending ? "descending" : "ascending");
            entry.indicator.textContent = descending ? DESCENDING : ASCENDING;
          } else {
            entry.cell.removeAttribute("aria-sort");
            entry.indicator.textContent = UNSORTED;
          }
        });
        onSorted();
      });
    });
  }

  /* ---- filtering ---- */

  function control(labelText, element) {
    var label = document.createElement("label");
    label.className = "sd-filter-control";
    var span = document.createElement("span");
    span.className = "sd-filter-label";
    span.textContent = labelText;
    label.appendChild(span);
    label.appendChild(element);
    return label;
  }

  function select(options) {
    var element = document.createElement("select");
    options.forEach(function (option) {
      var item = document.createElement("option");
      item.value = option.value;
      item.textContent = option.label;
      element.appendChild(item);
    });
    return element;
  }

  function sourceColumns(table) {
    var header = headerRow(table);
    if (!header) return [];
    var columns = [];
    cellsByColumn(header).forEach(function (cell, column, all) {
      if (column >= MATRIX_FIXED_COLUMNS && all.indexOf(cell) === column) {
        columns.push({ column: column, label: text(cell) });
      }
    });
    return columns;
  }

  function applyColumns(table, state) {
    Array.prototype.forEach.call(table.rows, function (row) {
      cellsByColumn(row).forEach(function (cell, column, all) {
        if (all.indexOf(cell) !== column) return;
        cell.classList.toggle(HIDDEN_COLUMN, isColumnHidden(state, column));
      });
    });
  }

  function applyRows(table, state, status, pager) {
    var rows = bodyRows(table);
    var query = state.query.trim().toLowerCase();
    var matching = [];
    rows.forEach(function (row) {
      var visible =
        (state.cls === "" || rowClass(row) === state.cls) &&
        (!state.disagree || rowDisagrees(row, state)) &&
        (query === "" || rowText(row, state).indexOf(query) !== -1);
      row.classList.toggle(HIDDEN_ROW, !visible);
      if (visible) matching.push(row);
    });
    var pages = Math.max(1, Math.ceil(matching.length / PAGE_ROWS));
    state.page = Math.min(Math.max(state.page, 0), pages - 1);
    var first = state.page * PAGE_ROWS;
    var last = Math.min(first + PAGE_ROWS, matching.length);
    rows.forEach(function (row) { row.classList.remove(PAGED_OUT); });
    matching.forEach(function (row, index) {
      if (index < first || index >= last) row.classList.add(PAGED_OUT);
    });
    var message;
    if (pages > 1) {
      message = "Showing " + (first + 1) + "\u2013" + last + " of " + matching.length + " rows";
      if (matching.length !== rows.length) message += " (" + rows.length + " in all)";
    } else {
      message = "Showing " + matching.length + " of " + rows.length + " rows";
    }
    if (status.textContent !== message) status.textContent = message;
    pager.element.hidden = pages < 2;
    pager.previous.disabled = state.page === 0;
    pager.next.disabled = state.page >= pages - 1;
    pager.where.textContent = "Page " + (state.page + 1) + " of " + pages;
    return matching;
  }

  function button(label, onClick) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "sd-page-button";
    element.textContent = label;
    element.addEventListener("click", onClick);
    return element;
  }

  /* Previous and next page, and where we are; hidden while the rows fit one page. */
  function makePager(state, update) {
    var element = document.createElement("span");
    element.className = "sd-pager";
    var previous = button("Previous", function () { state.page -= 1; update(); });
    var next = button("Next", function () { state.page += 1; update(); });
    var where = document.createElement("span");
    where.className = "sd-page-where";
    element.appendChild(previous);
    element.appendChild(where);
    element.appendChild(next);
    return { element: element, previous: previous, next: next, where: where };
  }

  function addToolbar(table, kind) {
    var state = { cls: "", source: null, disagree: false, query: "", page: 0 };
    var inputs = { classes: null, disagree: null, search: null };
    var toolbar = document.createElement("div");
    toolbar.className = "sd-filter";
    toolbar.setAttribute("role", "group");
    toolbar.setAttribute("aria-label", "Filter this table");
    var status = document.createElement("span");
    status.className = "sd-filter-status";
    status.setAttribute("aria-live", "polite");
    var pager = null;
    var update = function () { return applyRows(table, state, status, pager); };
    pager = makePager(state, update);
    var refilter = function () { state.page = 0; update(); };

    if (kind === "matrix" || kind === "codes") {
      var classes = select(
        [{ value: "", label: "All" }].concat(CLASSES.map(function (c) { return { value: c, label: c }; }))
      );
      classes.addEventListener("change", function () { state.cls = classes.value; refilter(); });
      inputs.classes = classes;
      toolbar.appendChild(control("Class", classes));
    }
    if (kind === "matrix") {
      var columns = sourceColumns(table);
      if (columns.length) {
        var sources = select(
          [{ value: "", label: "All" }].concat(columns.map(function (c) {
            return { value: String(c.column), label: c.label };
          }))
        );
        sources.addEventListener("change", function () {
          state.source = sources.value === "" ? null : Number(sources.value);
          applyColumns(table, state);
          refilter();
        });
        toolbar.appendChild(control("Source", sources));
      }
      var disagree = document.createElement("input");
      disagree.type = "checkbox";
      disagree.addEventListener("change", function () {
        state.disagree = disagree.checked;
        refilter();
      });
      inputs.disagree = disagree;
      var check = document.createElement("label");
      check.className = "sd-filter-control sd-filter-check";
      check.appendChild(disagree);
      check.appendChild(document.createTextNode(" Only codes where the sources disagree"));
      toolbar.appendChild(check);
    }
    var search = document.createElement("input");
    search.type = "search";
    search.placeholder = "text in any cell";
    search.setAttribute("autocomplete", "off");
    search.addEventListener("input", function () { state.query = search.value; refilter(); });
    inputs.search = search;
    toolbar.appendChild(control("Filter rows", search));
    toolbar.appendChild(status);
    toolbar.appendChild(pager.element);

    var parent = table.parentElement;
    var anchor = parent && parent.classList.contains("table-wrapper") ? parent : table;
    anchor.parentNode.insertBefore(toolbar, anchor);
    update();
    /* A link to a row on another page of the table turns to that page (filters cleared). */
    var reveal = function (row) {
      var matching = update();
      var index = matching.indexOf(row);
      if (index === -1) {
        // The row is filtered out: clear the filters, and show them cleared.
        state.cls = "";
        state.disagree = false;
        state.query = "";
        if (inputs.classes) inputs.classes.value = "";
        if (inputs.disagree) inputs.disagree.checked = false;
        if (inputs.search) inputs.search.value = "";
        matching = update();
        index = matching.indexOf(row);
      }
      if (index !== -1 && Math.floor(index / PAGE_ROWS) !== state.page) {
        state.page = Math.floor(index / PAGE_ROWS);
        update();
      }
    };
    return { update: update, refilter: refilter, reveal: reveal };
  }

  var tables = [];

  function enhance(table, kind) {
    if (table.getAttribute("data-sd-interactive") === "1") return;
    table.setAttribute("data-sd-interactive", "1");
    var controls = addToolbar(table, kind);
    makeSortable(table, controls.refilter);  // a new order starts again at its first page
    tables.push({ table: table, reveal: controls.reveal });
  }

  /* The row the address points to (or that holds its target), shown and scrolled to. */
  function revealTarget() {
    var id;
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch (error) {
      return; // not an address of anything on the page ("#100%")
    }
    var target = id ? document.getElementById(id) : null;
    var row = target ? target.closest("tr") : null;
    // Only a body row can be paged out; a header's target is always shown.
    if (!row || !row.parentElement || row.parentElement.tagName !== "TBODY") return;
    tables.forEach(function (entry) {
      if (entry.table.contains(row)) {
        entry.reveal(row);
        target.scrollIntoView();
      }
    });
  }

  function init() {
    KINDS.forEach(function (entry) {
      Array.prototype.forEach.call(document.querySelectorAll(entry.selector), function (table) {
        try {
          enhance(table, entry.kind);
        } catch (error) {
          // One odd table must not break the others, nor the page.
          if (window.console) window.console.warn("statusdocs-tables:", error);
        }
      });
    });
  }

  // Search result snippets are cut from each page's text: leave out the site's badges
  // ("≈", "says retry"), which are its judgements, not the sources' words, as the
  // search index does (they carry Sphinx's `no-search` class).
  function snippetsWithoutBadges() {
    // searchtools.js declares `const Search`: a global binding, not a property of window.
    // eslint-disable-next-line no-undef
    var search = typeof Search !== "undefined" ? Search : null;
    if (!search || typeof search.htmlToText !== "function" || search.sdPatched) return;
    var original = search.htmlToText;
    search.htmlToText = function (htmlString, anchor) {
      var page = new DOMParser().parseFromString(htmlString, "text/html");
      page.querySelectorAll(".no-search").forEach(function (badge) {
        badge.remove();
      });
      return original(page.documentElement.outerHTML, anchor);
    };
    search.sdPatched = true;
  }

  function start() {
    snippetsWithoutBadges();
    init();
    revealTarget();
    window.addEventListener("hashchange", revealTarget);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
