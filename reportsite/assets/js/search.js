/* Site search across the archive: the header box shows results as you type, the search page lists
 * them all, grouped by edition, the newest first.
 *
 * The indexes (each edition's search-index.js, written by reportsite/render/search.py) are loaded
 * on the first keystroke, never on page load or focus: the archive's root file editions.js names
 * the editions, then each edition's index is loaded in turn (one global, read and cleared after
 * each). They are scripts, not JSON, because fetch and XHR are refused on file://. Without
 * editions.js (an edition copied alone) the page's own edition is searched. A query is found as a
 * substring of a page's text, so any part of a Chinese name matches without word segmentation.
 * Page text is data: results are built with textContent, never innerHTML. The script itself is
 * loaded when the reader comes to the search box (templates/theme/partials/search-loader.html). */
(function () {
  "use strict";

  var script = document.currentScript;
  // Loaded by the header's loader when the reader comes to the box, and by the search page itself:
  // the first to run wires the page.
  if (!script || window.reportSiteSearch) return;
  window.reportSiteSearch = true;
  var edition = new URL("../../", script.src);
  var archive = new URL("../../../", script.src);
  var HEADER_RESULTS = 8;
  var SNIPPET_LENGTH = 110;
  var loading = null;

  /* Half-width, lower-case ASCII: Ｄ106, d106 and D106 are one query. One character in, one out,
     so positions in the folded text are positions in the original. */
  function fold(text) {
    return text.replace(/[A-Z\uFF01-\uFF5E\u3000]/g, function (c) {
      var n = c.charCodeAt(0);
      if (n === 0x3000) return " ";
      if (n > 0xFF00) c = String.fromCharCode(n - 0xFEE0);
      return c.toLowerCase();
    });
  }

  function prepare(raw, id, rank, base) {
    return raw.pages.map(function (p, order) {
      return {
        url: p[0], title: p[1], key: fold(p[2]), t: fold(p[1]), order: order, edition: id, rank: rank, base: base,
        sections: p[3].map(function (s) {
          return { anchor: s[0], heading: s[1], text: s[2], h: fold(s[1]), x: fold(s[2]) };
        })
      };
    });
  }

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = url;
      tag.onload = resolve;
      tag.onerror = function () { reject(new Error("not loaded: " + url)); };
      document.head.appendChild(tag);
    });
  }

  /* One edition's index, read from the global it sets, which is then cleared for the next. */
  function loadEdition(id, rank) {
    var base = id ? new URL(id + "/", archive) : edition;
    return loadScript(new URL("search-index.js", base).href).then(function () {
      var raw = window.reportSearchIndex;
      window.reportSearchIndex = undefined;
      if (!raw) throw new Error("empty index");
      return prepare(raw, id, rank, base);
    });
  }

  function loadIndex() {
    if (!loading) {
      loading = loadScript(new URL("editions.js", archive).href).then(function () {
        var ids = ((window.REPORT_ARCHIVE || {}).editions || []).map(function (e) { return e.id; });
        if (!ids.length) throw new Error("no editions");
        var pages = [];
        return ids.reduce(function (done, id, rank) {
          return done.then(function () {
            return loadEdition(id, rank).then(function (found) { pages = pages.concat(found); }, function () { /* skipped */ });
          });
        }, Promise.resolve()).then(function () { return pages; });
      }).catch(function () { return loadEdition("", 0); });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  function count(haystack, needle, cap) {
    var n = 0;
    for (var i = haystack.indexOf(needle); i >= 0 && n < cap; i = haystack.indexOf(needle, i + needle.length)) {
      n++;
    }
    return n;
  }

  /* How well a page matches one needle: 0 when it does not contain it. An alliance's code outranks
     everything, then the title (a name part), then headings, then the body by occurrences. */
  function weigh(page, needle) {
    var score = 0;
    if (page.key && page.key === needle) score += 1000;
    var at = page.t.indexOf(needle);
    if (at >= 0) score += (at === 0 ? 120 : 100) + (page.key ? 500 : 0);
    var body = 0;
    page.sections.forEach(function (s) {
      if (s.h.indexOf(needle) >= 0) score += 20;
      body += count(s.x, needle, 10);
    });
    return score + Math.min(body, 10);
  }

  function bigrams(term) {
    if (term.length < 3 || /^[\x00-\x7f]+$/.test(term)) return [term];
    var out = [];
    for (var i = 0; i + 2 <= term.length; i++) out.push(term.slice(i, i + 2));
    return out;
  }

  /* Pages containing every word of the query; when none does, pages containing most of its
     two-character pieces (半导体联盟 finds 第三代半导体产业技术创新战略联盟). Newest edition first,
     then by how well they match: an alliance's page first for its name or code. */
  function search(pages, query) {
    var terms = fold(query).split(/\s+/).filter(function (t, i, all) { return t && all.indexOf(t) === i; });
    if (!terms.length) return { terms: [], hits: [], partial: false };
    var hits = [];
    pages.forEach(function (page) {
      var total = 0;
      for (var i = 0; i < terms.length; i++) {
        var w = weigh(page, terms[i]);
        if (!w) return;
        total += w;
      }
      hits.push({ page: page, score: total, needles: terms });
    });
    var partial = false;
    if (!hits.length) {
      partial = true;
      var pieces = [].concat.apply([], terms.map(bigrams));
      pages.forEach(function (page) {
        var found = pieces.filter(function (p) { return weigh(page, p) > 0; });
        if (found.length >= Math.max(2, Math.ceil(pieces.length * 0.6))) {
          var total = found.reduce(function (sum, p) { return sum + weigh(page, p); }, 0);
          hits.push({ page: page, score: found.length * 10000 + total, needles: found });
        }
      });
    }
    hits.sort(function (a, b) {
      return a.page.rank - b.page.rank || b.score - a.score || a.page.title.length - b.page.title.length ||
        a.page.order - b.page.order;
    });
    return { terms: terms, hits: hits, partial: partial };
  }

  /* Ranges [start, end) where any needle occurs in `folded`, merged where they touch. */
  function ranges(folded, needles) {
    var found = [];
    needles.forEach(function (n) {
      for (var i = folded.indexOf(n); i >= 0; i = folded.indexOf(n, i + n.length)) {
        found.push([i, i + n.length]);
      }
    });
    found.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    found.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push(r);
    });
    return merged;
  }

  /* `text` into `parent` as text nodes, the needles wrapped in <mark>. */
  function highlight(parent, text, folded, needles) {
    var at = 0;
    ranges(folded, needles).forEach(function (r) {
      parent.appendChild(document.createTextNode(text.slice(at, r[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(r[0], r[1]);
      parent.appendChild(mark);
      at = r[1];
    });
    parent.appendChild(document.createTextNode(text.slice(at)));
  }

  /* True when the page's title or alliance code is what was searched for. */
  function namesPage(page, needles) {
    return needles.some(function (n) { return page.t.indexOf(n) >= 0 || n === page.key; });
  }

  /* The part of a page to link to and quote: the part whose heading contains the match, else the
     first whose text does. */
  function bestSection(page, needles) {
    var inText = null;
    for (var i = 0; i < page.sections.length; i++) {
      var s = page.sections[i];
      if (needles.some(function (n) { return s.h.indexOf(n) >= 0; })) return s;
      if (!inText && needles.some(function (n) { return s.x.indexOf(n) >= 0; })) inText = s;
    }
    return inText || page.sections[0] || null;
  }

  /* The sentence around the first match (from the end of the one before to the end of its own,
     at most SNIPPET_LENGTH characters), not a run of the page's text. */
  function snippet(section, needles) {
    var first = -1;
    needles.forEach(function (n) {
      var i = section.x.indexOf(n);
      if (i >= 0 && (first < 0 || i < first)) first = i;
    });
    if (first < 0) first = 0;
    var ends = /[。！？；]/;
    var start = first;
    while (start > 0 && !ends.test(section.text.charAt(start - 1)) && first - start < SNIPPET_LENGTH / 2) start--;
    var end = first;
    while (end < section.text.length && !ends.test(section.text.charAt(end)) && end - start < SNIPPET_LENGTH) end++;
    if (end < section.text.length && ends.test(section.text.charAt(end))) end++;
    var before = start > 0 && !ends.test(section.text.charAt(start - 1)) ? "…" : "";
    var after = end < section.text.length && !ends.test(section.text.charAt(end - 1)) ? "…" : "";
    return {
      text: before + section.text.slice(start, end).trim() + after,
      folded: before + section.x.slice(start, end).trim() + after
    };
  }

  function resultItem(hit) {
    var page = hit.page;
    // A page found by its title or code is linked at its top and quoted from its opening.
    var top = namesPage(page, hit.needles);
    var section = top ? page.sections[0] : bestSection(page, hit.needles);
    var anchor = !top && section && section.anchor ? "#" + section.anchor : "";
    var li = document.createElement("li");
    li.className = "search-result";
    var link = document.createElement("a");
    link.className = "search-result__link";
    link.href = new URL(page.url + anchor, page.base).href;
    var title = document.createElement("span");
    title.className = "search-result__title";
    highlight(title, page.title, page.t, hit.needles);
    link.appendChild(title);
    if (anchor && section.heading) {
      var heading = document.createElement("span");
      heading.className = "search-result__heading";
      highlight(heading, section.heading, section.h, hit.needles);
      link.appendChild(heading);
    }
    li.appendChild(link);
    if (section && section.text) {
      var cut = snippet(section, hit.needles);
      var p = document.createElement("p");
      p.className = "search-result__snippet";
      highlight(p, cut.text, cut.folded, hit.needles);
      li.appendChild(p);
    }
    return li;
  }

  function summary(result, query) {
    if (!result.terms.length) return "";
    var quoted = "“" + query.trim() + "”";
    if (!result.hits.length) return "没有找到包含" + quoted + "的页面。";
    if (result.partial) return "没有页面包含完整的" + quoted + "，以下 " + result.hits.length + " 个页面包含其中大部分字词。";
    return "找到 " + result.hits.length + " 个包含" + quoted + "的页面。";
  }

  /* The hits under a heading for each edition, the newest first. */
  function render(list, status, result, query, limit) {
    while (list.firstChild) list.removeChild(list.firstChild);
    var group = null, current = null;
    result.hits.slice(0, limit).forEach(function (hit) {
      if (hit.page.edition !== current) {
        current = hit.page.edition;
        var item = document.createElement("li");
        item.className = "search-results__edition";
        if (current) {
          var name = document.createElement("p");
          name.className = "search-results__edition-name";
          name.textContent = current + " 年度";
          item.appendChild(name);
        }
        group = document.createElement("ol");
        group.className = "search-results";
        item.appendChild(group);
        list.appendChild(item);
      }
      group.appendChild(resultItem(hit));
    });
    status.textContent = summary(result, query);
  }

  function failed(status) {
    status.textContent = "搜索索引未能加载，请刷新页面重试。";
  }

  /* The header box: results under it as you type; Enter opens the search page with all of them. */
  function enhanceHeader(form) {
    var input = form.querySelector("input[name=q]");
    var panel = document.createElement("div");
    panel.className = "site-search__panel";
    panel.id = "site-search-panel";
    panel.hidden = true;
    var status = document.createElement("p");
    status.className = "site-search__status";
    status.setAttribute("role", "status");
    var list = document.createElement("ol");
    list.className = "search-results";
    var more = document.createElement("a");
    more.className = "site-search__more";
    panel.appendChild(status);
    panel.appendChild(list);
    panel.appendChild(more);
    form.appendChild(panel);
    input.setAttribute("aria-controls", panel.id);

    function update() {
      var query = input.value;
      if (!query.trim()) { panel.hidden = true; return; }
      loadIndex().then(function (pages) {
        if (input.value !== query) return;
        var result = search(pages, query);
        render(list, status, result, query, HEADER_RESULTS);
        more.hidden = result.hits.length <= HEADER_RESULTS;
        more.textContent = "查看全部 " + result.hits.length + " 个结果";
        more.href = form.action.split("?")[0] + "?q=" + encodeURIComponent(query.trim());
        panel.hidden = false;
      }, function () { failed(status); panel.hidden = false; });
    }

    function links() { return [].slice.call(panel.querySelectorAll("a")).filter(function (a) { return !a.hidden; }); }

    input.addEventListener("input", update);
    // What the reader typed while this script was on its way is searched now.
    if (document.activeElement === input && input.value.trim()) update();
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        panel.hidden = true;
        input.focus();
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (panel.hidden) {
          if (event.target === input && event.key === "ArrowDown") update();
          return;
        }
        var all = links();
        if (!all.length) return;
        var at = all.indexOf(document.activeElement);
        var next = event.key === "ArrowDown" ? at + 1 : at - 1;
        event.preventDefault();
        if (next < 0) input.focus();
        else all[Math.min(next, all.length - 1)].focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) panel.hidden = true;
    });
    form.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !form.contains(event.relatedTarget)) panel.hidden = true;
    });
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (/^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName) || target.isContentEditable) return;
      event.preventDefault();
      input.focus();
    });
  }

  /* The search page: every result for ?q=, updated as the query is edited. */
  function enhancePage(box) {
    var form = box.querySelector("form");
    var input = form.querySelector("input[name=q]");
    var status = box.querySelector("[data-search-status]");
    var list = box.querySelector("[data-search-results]");
    var query = new URLSearchParams(window.location.search).get("q") || "";
    input.value = query;
    document.querySelectorAll("form[data-site-search] input[name=q]").forEach(function (i) { i.value = query; });
    status.textContent = query.trim() ? "正在搜索……" : "";

    function update() {
      var q = input.value;
      loadIndex().then(function (pages) {
        if (input.value !== q) return;
        render(list, status, search(pages, q), q, Infinity);
      }, function () { failed(status); });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      try {
        window.history.replaceState(null, "", "?q=" + encodeURIComponent(input.value.trim()));
      } catch (e) { /* file:// may refuse; the results are shown all the same */ }
      update();
    });
    input.addEventListener("input", update);
    update();
  }

  function start() {
    document.querySelectorAll("form[data-site-search]").forEach(enhanceHeader);
    var box = document.querySelector("[data-search-page]");
    if (box) enhancePage(box);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
