/* The archive across editions: the edition switcher in the header of every page, and an
 * alliance's history on its page. Both read root files loaded with script tags (editions.js,
 * history/CODE.js), so the site works from file:// and a frozen edition's pages never change as
 * editions are added. */
(function () {
  "use strict";

  function bar() { return document.querySelector("[data-edition-switch]"); }

  function loadScript(src, done) {
    var s = document.createElement("script");
    s.src = src;
    s.onload = done;
    s.onerror = function () { /* the static text already says where to look */ };
    document.head.appendChild(s);
  }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    for (var k in attrs || {}) { node.setAttribute(k, attrs[k]); }
    return node;
  }

  /* Where this page sits below its edition's folder: "" or "alliances/". */
  function pageDepthPrefix(root) {
    var depth = root.split("../").length - 2;
    var parts = location.pathname.split("/");
    return parts.slice(parts.length - 1 - depth, parts.length - 1).map(function (p) { return p + "/"; }).join("");
  }

  function fillSwitcher(b, list, data) {
    var current = b.getAttribute("data-edition"), root = b.getAttribute("data-root");
    var here = pageDepthPrefix(root) + location.pathname.split("/").pop();
    var code = /^alliances\//.test(here) ? here.replace(/^alliances\/|\.html$/g, "") : null;
    var history = code ? (window.REPORT_HISTORY || {})[code] || [] : [];
    data.editions.forEach(function (e) {
      var has = code ? history.some(function (r) { return r.edition === e.id; }) : e.pages.indexOf(here) >= 0;
      var label = e.id + " 年度" + (e.id === data.latest ? "（最新）" : "") + (e.demo ? "（示例数据）" : "");
      var item = el("li");
      if (e.id === current) {
        // The edition shown: marked for the eye by its style, for a screen reader by aria-current.
        item.appendChild(el("span", label, { "aria-current": "page", "class": "edition-switch__current" }));
      } else {
        item.appendChild(el("a", label, { href: root + e.id + "/" + (has ? here : "index.html") }));
      }
      list.insertBefore(item, list.lastChild);
    });
  }

  function setUpSwitcher() {
    var b = bar();
    if (!b) { return; }
    var details = b, list = b.querySelector("[data-edition-list]");
    var loaded = false;
    details.addEventListener("toggle", function () {
      if (!details.open || loaded) { return; }
      loaded = true;
      loadScript(b.getAttribute("data-root") + "editions.js", function () {
        if (window.REPORT_ARCHIVE) { fillSwitcher(b, list, window.REPORT_ARCHIVE); }
      });
    });
  }

  function historyChart(rows) {
    // Sized in its own units at a 12-unit font, with room after the longest bar for a label such as
    // "100（活跃度较高）", so a label is never cut off; 320 units wide, narrower than a phone's
    // text column, so its text is never drawn under 12 px there.
    var ns = "http://www.w3.org/2000/svg", rowH = 26, width = 320, labelW = 72, valueW = 124;
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + rows.length * rowH);
    svg.setAttribute("width", width);
    svg.setAttribute("height", rows.length * rowH);
    svg.setAttribute("font-size", 12);
    svg.setAttribute("class", "history-chart");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "历年评分：" + rows.map(function (r) {
      return r.edition + " " + (r.score === null ? (r.tier || "数据不完整") : r.score + " 分");
    }).join("，"));
    rows.forEach(function (r, i) {
      var y = i * rowH;
      var label = document.createElementNS(ns, "text");
      label.setAttribute("x", 0); label.setAttribute("y", y + 17);
      label.textContent = r.edition;
      svg.appendChild(label);
      var barW = r.score === null ? 0 : (width - labelW - valueW) * r.score / 100;
      var rect = document.createElementNS(ns, "rect");
      rect.setAttribute("x", labelW); rect.setAttribute("y", y + 5);
      rect.setAttribute("width", barW); rect.setAttribute("height", rowH - 10);
      rect.setAttribute("class", r.tier_order === null ? "bar" : "bar tier-fill-" + r.tier_order);
      svg.appendChild(rect);
      var value = document.createElementNS(ns, "text");
      value.setAttribute("x", labelW + barW + 4); value.setAttribute("y", y + 17);
      value.textContent = r.score === null ? (r.tier || "数据不完整") : r.score + "（" + r.tier + "）";
      svg.appendChild(value);
    });
    return svg;
  }

  function renderHistory(box, rows, root) {
    var code = box.getAttribute("data-history");
    var table = el("table", null, { "class": "data history cards" });
    table.appendChild(el("caption", "历年评价情况（档次按各年度的档次次序比较）"));
    var head = el("tr"), names = ["年度", "名称", "状态", "档次", "评分", "名次", "A 级"];
    names.forEach(function (h) { head.appendChild(el("th", h, { scope: "col" })); });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    rows.forEach(function (r) {
      var tr = body.appendChild(el("tr"));
      var cell = tr.appendChild(el("td", null, { "class": "card-title", "data-label": names[0] }));
      cell.appendChild(el("a", r.edition + (r.demo ? "（示例）" : ""), { href: root + r.edition + "/alliances/" + code + ".html" }));
      // The name that edition printed (an alliance keeps its code through a rename).
      [r.name || "—", r.status === "evaluated" ? "参评" : "数据不完整", r.tier || "—", r.score === null ? "—" : r.score,
       r.rank === null ? "—" : r.rank + " / " + r.evaluated, r.a_level ? "是" : ""].forEach(function (text, i) {
        tr.appendChild(el("td", text, { "data-label": names[i + 1] }));
      });
    });
    box.textContent = "";
    box.appendChild(historyChart(rows));
    box.appendChild(table);
    var bands = rows.map(function (r) { return r.bands; }).filter(function (b, i, all) { return b && all.indexOf(b) === i; });
    if (bands.length > 1) {
      box.appendChild(el("p", "注意：各年度的档次划分不同（" + bands.join("；") + "），档次按次序比较，分数仅供参考。", { "class": "history-note" }));
    }
  }

  function setUpHistory() {
    var box = document.querySelector("[data-history]"), b = bar();
    if (!box || !b) { return; }
    var root = b.getAttribute("data-root"), code = box.getAttribute("data-history");
    loadScript(root + "history/" + code + ".js", function () {
      var rows = (window.REPORT_HISTORY || {})[code];
      if (rows && rows.length) { renderHistory(box, rows, root); }
    });
  }

  function start() { setUpSwitcher(); setUpHistory(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
