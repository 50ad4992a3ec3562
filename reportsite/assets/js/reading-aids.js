/* 适老化 reading aids, citation copy and chart permalinks.
 *
 * Loaded in the head without `defer`: the reader's choice (text size, contrast) is applied to the
 * root element before the page is drawn, so a page never flashes in the default style. The choice
 * lives in localStorage, which Chromium and Firefox share between the pages of a site opened from
 * file:// as well; without storage (a private window that refuses it) the aids work for the page.
 * Copying uses the clipboard API where the page is a secure context (https, localhost) and falls
 * back to a selected text area and execCommand("copy"), which also works from file://.
 */
(function () {
  "use strict";
  var KEY = "reportsite.reading-aids";
  var STEPS = ["标准", "大", "特大"];
  var root = document.documentElement;

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(KEY) || "{}");
      return { size: Math.max(0, Math.min(STEPS.length - 1, saved.size | 0)), contrast: saved.contrast === true };
    } catch (e) {
      return { size: 0, contrast: false };
    }
  }

  function save(state) {
    try { window.localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* storage refused */ }
  }

  function apply(state) {
    for (var i = 1; i < STEPS.length; i++) root.classList.toggle("ra-text-" + i, state.size === i);
    root.classList.toggle("ra-contrast", state.contrast);
  }

  var state = load();
  apply(state);

  function describe(s) {
    return "字号：" + STEPS[s.size] + "；高对比度：" + (s.contrast ? "开" : "关");
  }

  function wire(box) {
    var status = box.querySelector("[data-ra-status]");
    var buttons = {};
    Array.prototype.forEach.call(box.querySelectorAll("[data-ra]"), function (b) { buttons[b.getAttribute("data-ra")] = b; });
    function show(announce) {
      buttons.larger.disabled = state.size >= STEPS.length - 1;
      buttons.smaller.disabled = state.size <= 0;
      buttons.contrast.setAttribute("aria-pressed", state.contrast ? "true" : "false");
      if (announce) status.textContent = describe(state);
    }
    box.addEventListener("click", function (event) {
      var button = event.target.closest("[data-ra]");
      if (!button || button.disabled) return;
      var action = button.getAttribute("data-ra");
      if (action === "larger") state.size = Math.min(STEPS.length - 1, state.size + 1);
      if (action === "smaller") state.size = Math.max(0, state.size - 1);
      if (action === "contrast") state.contrast = !state.contrast;
      if (action === "reset") state = { size: 0, contrast: false };
      apply(state);
      save(state);
      show(true);
      // A disabled button loses focus; keep the keyboard user inside the control.
      if (button.disabled) (action === "larger" ? buttons.smaller : buttons.larger).focus();
    });
    show(false);
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

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-reading-aids]"), wire);
    Array.prototype.forEach.call(document.querySelectorAll(".cite-box"), wireCite);
    Array.prototype.forEach.call(document.querySelectorAll("[data-permalink]"), wirePermalink);
  });
})();
