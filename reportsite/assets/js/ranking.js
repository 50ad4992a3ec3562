/* Ranking table: sort by any column, filter by tier and group, search by name, alias or code.
 *
 * The table is complete without this script. The view lives in the query string
 * (?q=&tier=&group=&sort=&dir=) so it can be shared; the script uses only relative URLs, so it
 * works under any sub-path and from file://. A keystroke only shows or hides rows; rows are
 * reordered only when the sort changes. Written for old phone browsers: no arrow functions,
 * no URLSearchParams.
 */
(function () {
  "use strict";

  var table = document.querySelector("table[data-ranking]");
  var tools = document.querySelector("[data-ranking-tools]");
  if (!table || !tools || !table.tBodies.length || !table.tHead) return;

  var tbody = table.tBodies[0];
  var inputs = {
    q: tools.querySelector('[data-filter="q"]'),
    tier: tools.querySelector('[data-filter="tier"]'),
    group: tools.querySelector('[data-filter="group"]')
  };
  var count = tools.querySelector("[data-ranking-count]");
  var reset = tools.querySelector("[data-ranking-reset]");
  var collator = window.Intl && Intl.Collator ? new Intl.Collator("zh-Hans-CN", { numeric: true }) : null;
  var state = { q: "", tier: "", group: "", sort: "", dir: "" };
  var urlTimer = 0;

  /* Case, full-width letters and digits do not matter: "ｄ106" and "D106" find d106. */
  function fold(text) {
    text = String(text);
    if (text.normalize) text = text.normalize("NFKC");
    return text.toLowerCase();
  }

  function compareText(a, b) {
    return collator ? collator.compare(a, b) : a.localeCompare(b, "zh-Hans-CN");
  }

  /* Sortable columns: a header's sort key reads the row's data-<key> attribute (or the one named
   * by data-sort-by) when the row has it, otherwise the cell's text. */
  var columns = {};
  var headers = [];
  [].forEach.call(table.tHead.rows[0].cells, function (th, index) {
    var key = th.getAttribute("data-sort");
    if (!key) return;
    columns[key] = {
      th: th,
      index: index,
      attr: "data-" + (th.getAttribute("data-sort-by") || key),
      number: th.getAttribute("data-type") === "number",
      first: th.getAttribute("data-sort-first") === "desc" ? "desc" : "asc"
    };
    headers.push(key);
  });

  /* Each row's sort values and search text, read once. Null is an empty value, sorted last. */
  var rows = [].map.call(tbody.rows, function (tr) {
    var values = {};
    headers.forEach(function (key) {
      var col = columns[key];
      var raw = tr.hasAttribute(col.attr) ? tr.getAttribute(col.attr) : tr.cells[col.index].textContent;
      raw = raw.replace(/^\s+|\s+$/g, "");
      if (col.number) {
        var n = parseFloat(raw);
        values[key] = raw === "" || isNaN(n) ? null : n;
      } else {
        values[key] = raw === "" ? null : raw;
      }
    });
    return {
      tr: tr,
      search: fold(tr.getAttribute("data-search") || tr.textContent),
      code: fold(values.code || ""),
      tier: tr.getAttribute("data-tier") || "",
      group: tr.getAttribute("data-group") || "",
      position: parseFloat(tr.getAttribute("data-position")) || 0,
      values: values
    };
  });

  /* A term that is a whole code finds that alliance only (104, not D104 too). */
  var isCode = {};
  rows.forEach(function (row) { isCode[row.code] = true; });

  function compare(a, b) {
    var col = columns[state.sort];
    if (col) {
      var x = a.values[state.sort];
      var y = b.values[state.sort];
      if (x === null || y === null) {
        if (x !== y) return x === null ? 1 : -1;
      } else {
        var c = col.number ? x - y : compareText(x, y);
        if (c) return state.dir === "desc" ? -c : c;
      }
    }
    return a.position - b.position;
  }

  function sortRows() {
    var fragment = document.createDocumentFragment();
    rows.slice().sort(compare).forEach(function (row) {
      fragment.appendChild(row.tr);
    });
    tbody.appendChild(fragment);
    headers.forEach(function (key) {
      if (key === state.sort) {
        columns[key].th.setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
      } else {
        columns[key].th.removeAttribute("aria-sort");
      }
    });
  }

  function filterRows() {
    var terms = fold(state.q).split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var show = (!state.tier || row.tier === state.tier) && (!state.group || row.group === state.group);
      for (var i = 0; show && i < terms.length; i++) {
        show = isCode[terms[i]] ? row.code === terms[i] : row.search.indexOf(terms[i]) !== -1;
      }
      if (row.tr.hidden === show) row.tr.hidden = !show;
      if (show) shown++;
    });
    count.textContent = "显示 " + shown + " / " + rows.length + " 家" + (shown ? "" : "，没有符合条件的联盟");
  }

  /* --- The query string ------------------------------------------------------------------- */

  function decode(text) {
    try {
      return decodeURIComponent(text.replace(/\+/g, " "));
    } catch (e) {
      return "";
    }
  }

  function hasOption(select, value) {
    return [].some.call(select.options, function (option) {
      return option.value === value;
    });
  }

  /* The state a URL asks for; unknown values are ignored, so an old or mistyped link still opens. */
  function readUrl() {
    var asked = {};
    location.search.replace(/^\?/, "").split("&").forEach(function (pair) {
      var i = pair.indexOf("=");
      if (pair) asked[decode(i < 0 ? pair : pair.slice(0, i))] = i < 0 ? "" : decode(pair.slice(i + 1));
    });
    state.q = (asked.q || "").replace(/^\s+|\s+$/g, "");
    state.tier = asked.tier && hasOption(inputs.tier, asked.tier) ? asked.tier : "";
    state.group = asked.group && hasOption(inputs.group, asked.group) ? asked.group : "";
    state.sort = columns[asked.sort] ? asked.sort : "";
    state.dir = !state.sort ? "" : asked.dir === "asc" || asked.dir === "desc" ? asked.dir : columns[state.sort].first;
  }

  function writeUrl() {
    clearTimeout(urlTimer);
    var parts = [];
    ["q", "tier", "group", "sort", "dir"].forEach(function (key) {
      if (state[key]) parts.push(key + "=" + encodeURIComponent(state[key]));
    });
    var url = (parts.length ? "?" + parts.join("&") : location.pathname) + location.hash;
    try {
      history.replaceState(history.state, "", url);
    } catch (e) {
      /* Safari limits how often the URL may change, and some browsers refuse for file://; the
       * view still works, only the address lags. */
    }
  }

  /* Typing writes the URL once it pauses (Safari refuses too many changes in a short time). */
  function writeUrlSoon() {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(writeUrl, 300);
  }

  /* --- Controls ------------------------------------------------------------------------------ */

  function showState() {
    inputs.q.value = state.q;
    inputs.tier.value = state.tier;
    inputs.group.value = state.group;
  }

  headers.forEach(function (key) {
    var th = columns[key].th;
    var button = document.createElement("button");
    var icon = document.createElement("span");
    button.type = "button";
    button.className = "ranking-sort";
    while (th.firstChild) button.appendChild(th.firstChild);
    icon.className = "ranking-sort-icon";
    icon.setAttribute("aria-hidden", "true");
    button.appendChild(icon);
    th.appendChild(button);
    button.addEventListener("click", function () {
      if (state.sort === key) {
        state.dir = state.dir === "desc" ? "asc" : "desc";
      } else {
        state.sort = key;
        state.dir = columns[key].first;
      }
      sortRows();
      writeUrl();
    });
  });

  inputs.q.addEventListener("input", function () {
    state.q = inputs.q.value.replace(/^\s+|\s+$/g, "");
    filterRows();
    writeUrlSoon();
  });
  ["tier", "group"].forEach(function (key) {
    inputs[key].addEventListener("change", function () {
      state[key] = inputs[key].value;
      filterRows();
      writeUrl();
    });
  });
  if (reset) {
    reset.addEventListener("click", function () {
      state = { q: "", tier: "", group: "", sort: "", dir: "" };
      showState();
      sortRows();
      filterRows();
      writeUrl();
    });
  }

  /* At load, touch the table only when the URL asks for a view: re-laying out a long table is
   * what a phone pays for. The tools are visible from the first paint (hidden without JS by a
   * <noscript> style), so nothing shifts. */
  readUrl();
  showState();
  if (state.sort) sortRows();
  filterRows();
  table.setAttribute("data-ranking-ready", "");
})();
