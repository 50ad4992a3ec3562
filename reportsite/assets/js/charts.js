/* Charts: each static figure turns into an interactive plotly chart when the reader asks for it.
 *
 * The page already shows every chart as SVG, with its data table and a CSV link, without this
 * script. The script shows the PNG/SVG download buttons and the "交互图表" toggle. Only a click or
 * tap on that toggle (never a pointer passing over the chart, a finger starting a scroll on it, or
 * focus) loads the plotly bundle and its zh-CN locale from this site (once per page, then from the
 * browser's cache) and redraws the chart from the JSON spec in the figure, at the static figure's
 * height, so nothing moves under the reader's finger and plotly is never parsed on page load. Paths are
 * relative to this script's own URL: the site works under any sub-path and from file://. */
(function () {
  "use strict";

  const script = document.currentScript;
  const CONFIG = {
    locale: "zh-CN", displaylogo: false, showSendToCloud: false, responsive: true,
    modeBarButtonsToRemove: ["zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d", "zoomOut2d",
      "autoScale2d", "resetScale2d"],
  };
  const drawn = new Map();
  let plotly = null;

  function assets() {
    if (script && script.src) return new URL("../", script.src);
    const config = document.getElementById("__config");
    const base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base.replace(/\/?$/, "/") + "assets/", location.href);
  }

  function loadScript(url) {
    return new Promise((resolve, reject) => {
      const tag = document.createElement("script");
      tag.src = url;
      tag.onload = resolve;
      tag.onerror = () => reject(new Error("cannot load " + url));
      document.head.appendChild(tag);
    });
  }

  /* plotly and its locale, loaded once; a failed load may be tried again. */
  function loadPlotly() {
    if (!plotly) {
      const vendor = new URL("vendor/plotly/", assets());
      plotly = loadScript(new URL("plotly-basic.min.js", vendor).href)
        .then(() => loadScript(new URL("plotly-locale-zh-cn.js", vendor).href))
        .then(() => window.Plotly)
        .catch((error) => { plotly = null; throw error; });
    }
    return plotly;
  }

  function colours(figure) {
    const style = getComputedStyle(figure);
    const get = (name) => style.getPropertyValue(name).trim();
    return {
      key: (key) => get("--chart-" + key), text: (key) => get("--chart-" + key + "-text"),
      fg: get("--md-default-fg-color"), light: get("--md-default-fg-color--light"),
      lightest: get("--md-default-fg-color--lightest"), bg: get("--md-default-bg-color"),
    };
  }

  /* Plotly reads the text it draws as HTML of its own (`<a href>`, `<span style>`, `<br>`): names
     from the data are escaped for it, and it shows the characters back. */
  function plain(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  /* A donut: the rows as slices, clockwise from the top, each labelled with its share. */
  function donut(spec, c) {
    const segments = spec.rows.map((row) => row.segments[0]);
    return [{
      type: "pie", hole: 0.55, sort: false, direction: "clockwise", rotation: 0,
      labels: spec.rows.map((row) => plain(row.label)), values: segments.map((s) => s.count),
      text: segments.map((s) => plain(s.share + "%")), textinfo: "text", textposition: "inside",
      insidetextorientation: "horizontal", hovertext: segments.map((s) => plain(s.hover)),
      hovertemplate: "%{hovertext}<extra></extra>", textfont: { color: segments.map((s) => c.text(s.key)) },
      marker: { colors: segments.map((s) => c.key(s.key)), line: { color: c.bg, width: 1.5 } },
    }];
  }

  /* Lines: each legend entry a line across the rows (editions), a marker at each; a segment's
     `series` names its line when its own name differs (a tier renamed between editions). */
  function lines(spec, c) {
    return spec.legend.map((entry) => {
      const segments = spec.rows.map((row) =>
        row.segments.find((s) => (s.series || s.name) === entry.name && s.key === entry.key) || null);
      return {
        type: "scatter", mode: "lines+markers", name: plain(entry.name),
        x: spec.rows.map((row) => plain(row.label)), y: segments.map((s) => (s ? s.value : null)),
        hovertext: segments.map((s) => (s ? plain(s.hover) : "")), hovertemplate: "%{hovertext}<extra></extra>",
        line: { color: c.key(entry.key), width: 2 }, marker: { color: c.key(entry.key), size: 7 },
      };
    });
  }

  function traces(spec, c) {
    if (spec.shape === "donut") return donut(spec, c);
    if (spec.shape === "line") return lines(spec, c);
    const grouped = spec.rows.some((row) => row.group);
    const labels = spec.rows.map((row) => plain(row.label));
    const common = {
      type: "bar", orientation: "h", cliponaxis: false,
      y: grouped ? [spec.rows.map((row) => plain(row.group).replace("（", "<br>（")), labels] : labels,
      hovertemplate: "%{hovertext}<extra></extra>",
    };
    if (!spec.stacked) {
      const segments = spec.rows.map((row) => row.segments[0]);
      return [Object.assign({}, common, {
        x: segments.map((s) => s.value), text: segments.map((s) => plain(s.text)),
        hovertext: segments.map((s) => plain(s.hover)), textposition: "outside", textfont: { color: c.fg },
        marker: { color: segments.map((s) => c.key(s.key)), line: { color: c.bg, width: 1.5 } },
        showlegend: false,
      })];
    }
    return spec.legend.map((entry) => {
      const segments = spec.rows.map((row) =>
        row.segments.find((s) => (s.series || s.name) === entry.name && s.key === entry.key) || null);
      return Object.assign({}, common, {
        name: plain(entry.name),
        x: segments.map((s) => (s && s.count ? s.value : null)),
        text: segments.map((s) => (s ? plain(s.text) : "")),
        hovertext: segments.map((s) => (s ? plain(s.hover) : "")),
        textposition: "inside", insidetextanchor: "middle", textfont: { color: c.text(entry.key) },
        marker: { color: c.key(entry.key), line: { color: c.bg, width: 1.5 } },
      });
    });
  }

  /* Roughly how wide a label is drawn at 12px: CJK characters an em, the rest about 0.6 em. */
  function textWidth(text) {
    return Array.from(text).reduce((sum, ch) => sum + (ch.codePointAt(0) > 0x2e80 ? 12 : 7), 0);
  }

  /* Height and top margin: the static figure's height, so the page does not move when one
     replaces the other; room for the legend, one entry a line when narrow. */
  function size(spec, still) {
    const height = Math.round(still.getBoundingClientRect().height);
    if (spec.shape === "donut") return { top: 8, height: height };
    if (spec.shape === "line") return { top: 40, height: height };
    const narrow = still.getBoundingClientRect().width < 480;
    return { top: spec.stacked ? (narrow ? 20 * spec.legend.length : 30) + 6 : 8, height: height };
  }

  function layout(spec, c, box) {
    if (spec.shape === "donut") {
      return {
        height: box.height, margin: { l: 8, r: 8, t: box.top, b: 8 }, dragmode: false,
        paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
        font: { family: getComputedStyle(document.body).fontFamily, color: c.fg, size: 12 },
        legend: { orientation: "v", traceorder: "normal" }, uniformtext: { mode: "hide", minsize: 10 },
        hoverlabel: { bgcolor: c.bg, bordercolor: c.light, font: { color: c.fg } },
      };
    }
    if (spec.shape === "line") {
      return {
        height: box.height, dragmode: false, margin: { l: 8, r: 12, t: box.top, b: 44 },
        paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
        font: { family: getComputedStyle(document.body).fontFamily, color: c.fg, size: 12 },
        xaxis: { type: "category", fixedrange: true, gridcolor: c.lightest },
        yaxis: {
          rangemode: "tozero", fixedrange: true, automargin: true, gridcolor: c.lightest, zerolinecolor: c.light,
          ticksuffix: spec.measure === "share" ? "%" : "", title: { text: plain(spec.axis), font: { size: 12 } },
        },
        legend: { orientation: "h", x: 0, y: 1, xanchor: "left", yanchor: "bottom", traceorder: "normal" },
        hoverlabel: { bgcolor: c.bg, bordercolor: c.light, font: { color: c.fg } },
      };
    }
    const totals = spec.rows.map((row) => row.segments.reduce((sum, s) => sum + s.value, 0));
    const max = Math.max.apply(null, totals) || 1;
    const ends = spec.stacked ? spec.rows.map((row) => row.end) : spec.rows.map((row) => row.segments[0].text);
    return {
      barmode: "stack", bargap: 0.35, height: box.height, dragmode: false,
      margin: { l: 8, r: 12 + Math.max.apply(null, ends.map(textWidth)), t: box.top, b: 44 },
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
      font: { family: getComputedStyle(document.body).fontFamily, color: c.fg, size: 12 },
      xaxis: {
        range: [0, spec.stacked && spec.measure === "share" ? Math.max(100, max) : max],
        fixedrange: true, title: { text: plain(spec.axis), font: { size: 12 } },
        ticksuffix: spec.measure === "share" ? "%" : "", gridcolor: c.lightest, zerolinecolor: c.light,
      },
      yaxis: {
        type: spec.rows.some((row) => row.group) ? "multicategory" : "category",
        autorange: "reversed", fixedrange: true, automargin: true, dividercolor: c.lightest,
      },
      legend: { orientation: "h", x: 0, y: 1, xanchor: "left", yanchor: "bottom", traceorder: "normal" },
      uniformtext: { mode: "hide", minsize: 10 },
      hoverlabel: { bgcolor: c.bg, bordercolor: c.light, font: { color: c.fg } },
      annotations: spec.stacked && spec.measure === "count" ? spec.rows.map((row, i) => ({
        x: totals[i], y: plain(row.label), text: plain(row.end), xanchor: "left", xshift: 4, showarrow: false,
      })) : [],
    };
  }

  function setInteractive(figure, on) {
    const toggle = figure.querySelector(".chart-toggle");
    const still = figure.querySelector(".chart-static");
    toggle.setAttribute("aria-pressed", String(on));
    const entry = drawn.get(figure);
    if (!on) {
      still.hidden = false;
      if (entry) entry.plot.hidden = true;
      return Promise.resolve();
    }
    figure.setAttribute("aria-busy", "true");
    return loadPlotly().then((Plotly) => {
      if (toggle.getAttribute("aria-pressed") !== "true") return null;
      if (entry) {
        still.hidden = true;
        entry.plot.hidden = false;
        return Plotly.Plots.resize(entry.plot);
      }
      const spec = JSON.parse(figure.dataset.spec);
      const box = size(spec, still);
      const plot = document.createElement("div");
      plot.className = "chart-interactive";
      plot.setAttribute("aria-describedby", figure.dataset.chart + "-desc");
      plot.style.height = box.height + "px";
      still.after(plot);
      still.hidden = true;
      drawn.set(figure, { plot: plot, spec: spec, box: box });
      const c = colours(figure);
      return Plotly.newPlot(plot, traces(spec, c), layout(spec, c, box), CONFIG);
    }).catch((error) => {
      // The static chart stays in place; the reason is kept on the figure for whoever inspects it.
      toggle.setAttribute("aria-pressed", "false");
      figure.dataset.chartError = error.message;
    }).finally(() => figure.removeAttribute("aria-busy"));
  }

  function retheme() {
    drawn.forEach((entry, figure) => {
      const c = colours(figure);
      window.Plotly.react(entry.plot, traces(entry.spec, c), layout(entry.spec, c, entry.box), CONFIG);
    });
  }

  function save(blob, name) {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  /* Downloads come from the static SVG, with its heading: it carries its own light-scheme colours
   * and no script. */
  function download(figure, format) {
    const spec = JSON.parse(figure.dataset.spec);
    const svg = figure.querySelector(".chart-static svg").cloneNode(true);
    const width = svg.viewBox.baseVal.width;
    const height = svg.viewBox.baseVal.height + Number(svg.dataset.heading);
    svg.setAttribute("viewBox", `0 ${-svg.dataset.heading} ${width} ${height}`);
    svg.setAttribute("height", String(height));
    const text = new XMLSerializer().serializeToString(svg);
    if (format === "svg") {
      save(new Blob([text], { type: "image/svg+xml" }), spec.stem + ".svg");
      return;
    }
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = width * 2;
      canvas.height = height * 2;
      const context = canvas.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob((blob) => save(blob, spec.stem + ".png"), "image/png");
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
  }

  function setup(figure) {
    const toggle = figure.querySelector(".chart-toggle");
    toggle.addEventListener("click", () => {
      setInteractive(figure, toggle.getAttribute("aria-pressed") !== "true");
    });
    figure.querySelectorAll("[data-download]").forEach((button) => {
      button.addEventListener("click", () => download(figure, button.dataset.download));
      button.hidden = false;
    });
    toggle.hidden = false;
  }

  function init() {
    document.querySelectorAll("figure.chart[data-chart]").forEach(setup);
    new MutationObserver(retheme).observe(document.body,
      { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
