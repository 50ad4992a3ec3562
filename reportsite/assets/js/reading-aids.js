/* 适老化 reading aids, printing, citation copy, chart permalinks, and Material's hidden toggles.
 *
 * Loaded in the head without `defer`: the reader's choice (text size, line spacing, contrast, a
 * large cursor) is applied to the root element before the page is drawn, so a page never flashes
 * in the default style. The choice lives in localStorage, which Chromium and Firefox share between
 * the pages of a site opened from file:// as well; without storage (a private window that refuses
 * it) the aids work for the page. Every control is a button that stays in the Tab order: the step
 * in use is pressed (aria-pressed), never disabled, and every change is announced in the status line.
 * Copying uses the clipboard API where the page is a secure context (https, localhost) and falls
 * back to a selected text area and execCommand("copy"), which also works from file://.
 */
(function () {
  "use strict";
  var KEY = "reportsite.reading-aids";
  var STEPS = { size: ["标准", "大", "特大"], spacing: ["标准", "加大", "更大"] };
  var root = document.documentElement;
  var DEFAULT = { size: 0, spacing: 0, contrast: false, cursor: false };

  function step(value, name) { return Math.max(0, Math.min(STEPS[name].length - 1, value | 0)); }

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(KEY) || "{}");
      return { size: step(saved.size, "size"), spacing: step(saved.spacing, "spacing"),
               contrast: saved.contrast === true, cursor: saved.cursor === true };
    } catch (e) {
      return { size: 0, spacing: 0, contrast: false, cursor: false };
    }
  }

  function save(state) {
    try { window.localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* storage refused */ }
  }

  function apply(state) {
    for (var i = 1; i < 3; i++) {
      root.classList.toggle("ra-text-" + i, state.size === i);
      root.classList.toggle("ra-spacing-" + i, state.spacing === i);
    }
    root.classList.toggle("ra-contrast", state.contrast);
    root.classList.toggle("ra-cursor", state.cursor);
  }

  var state = load();
  apply(state);

  function describe(s) {
    return "字号：" + STEPS.size[s.size] + "；行距：" + STEPS.spacing[s.spacing] + "；高对比度：" +
      (s.contrast ? "开" : "关") + "；大鼠标：" + (s.cursor ? "开" : "关");
  }

  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }

  /* Every control on the page shows the state: the step in use pressed, the switches on or off. */
  function show(announce) {
    each("[data-ra]", function (b) {
      var name = b.getAttribute("data-ra");
      if (name === "size" || name === "spacing") {
        b.setAttribute("aria-pressed", String(state[name] === Number(b.getAttribute("data-ra-step"))));
      } else if (name === "contrast" || name === "cursor") {
        b.setAttribute("aria-pressed", String(state[name]));
      }
    });
    if (announce) each("[data-ra-status]", function (s) { s.textContent = describe(state); });
  }

  /* At the larger text steps a chart's numbers are also shown as its data table, unfolded: the
     drawing keeps its size on a phone, the table grows with the text. */
  function unfoldTables() {
    if (state.size > 0) each("details.chart-data", function (d) { d.open = true; });
  }

  /* A data table wider than its box scrolls inside it (a chart's table at the larger text steps, a
     wide table on a phone): it takes a Tab stop, so that a keyboard reaches and scrolls it; a
     table that fits takes none. Checked once the page is laid out, and again when it changes. */
  function scrollers() {
    each("table.data", function (t) {
      var wide = t.getClientRects().length > 0 && t.scrollWidth > t.clientWidth + 1;
      if (wide && !t.hasAttribute("tabindex")) t.setAttribute("tabindex", "0");
      else if (!wide && t.getAttribute("tabindex") === "0") t.removeAttribute("tabindex");
    });
  }

  function change(button) {
    var name = button.getAttribute("data-ra");
    if (name === "size" || name === "spacing") state[name] = step(button.getAttribute("data-ra-step"), name);
    if (name === "contrast" || name === "cursor") state[name] = !state[name];
    if (name === "reset") state = { size: DEFAULT.size, spacing: DEFAULT.spacing, contrast: false, cursor: false };
    apply(state);
    save(state);
    show(true);
    unfoldTables();
    scrollers();
  }

  function togglePanel(toggle, open) {
    var panel = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!panel) return;
    toggle.setAttribute("aria-expanded", String(open));
    panel.hidden = !open;
  }

  function copyText(text, done) {
    function fallback() {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "copy-buffer";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      done(ok);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }

  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function wireCite(box) {
    var date = box.querySelector("[data-cite-date]");
    var status = box.querySelector("[data-cite-status]");
    date.textContent = "[" + today() + "]";
    box.querySelector("[data-cite-copy]").addEventListener("click", function () {
      var text = box.querySelector("[data-cite-text]").textContent;
      copyText(text, function (ok) {
        status.textContent = ok ? "已复制引用文本" : "无法自动复制，请选中上方文字后手动复制";
      });
    });
  }

  function wirePermalink(link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var url = location.href.split("#")[0] + link.getAttribute("href");
      history.replaceState(null, "", link.getAttribute("href"));
      copyText(url, function (ok) {
        link.textContent = ok ? "已复制本图链接" : "本图链接见地址栏";
      });
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : event.target.parentElement;
    var button = target && target.closest("[data-ra], [data-ra-toggle], [data-print]");
    if (!button) return;
    if (button.hasAttribute("data-ra")) change(button);
    else if (button.hasAttribute("data-print")) window.print();
    else togglePanel(button, button.getAttribute("aria-expanded") !== "true");
  });

  /* Escape closes the panel and gives focus back to its button. */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    each("[data-ra-toggle][aria-expanded='true']", function (toggle) {
      togglePanel(toggle, false);
      toggle.focus();
    });
  });

  /* Material's drawer and search toggles are hidden checkboxes without `autocomplete="off"` (the
     HTML checker rejects it on a checkbox): a page restored by Back, or whose form state the
     browser kept, starts with both closed. */
  window.addEventListener("pageshow", function () {
    each("input.md-toggle", function (box) {
      if (!box.checked) return;
      box.checked = false;
      box.dispatchEvent(new Event("change"));
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    show(false);
    unfoldTables();
    each(".cite-box", wireCite);
    each("[data-permalink]", wirePermalink);
  });
  // After the next frame is drawn, when the layout the check reads is already done.
  window.addEventListener("load", function () {
    requestAnimationFrame(function () { setTimeout(scrollers, 0); });
  });
  var resizing = 0;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(scrollers, 200);
  });
  // A details element's toggle does not bubble: caught on its way down.
  document.addEventListener("toggle", function (event) {
    if (event.target.matches && event.target.matches("details.chart-data")) scrollers();
  }, true);
})();
