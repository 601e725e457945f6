/* Dashboard charts (Chart.js, vendored). Data comes from the page (json_script "report-charts"). */
(function () {
  "use strict";
  var node = document.getElementById("report-charts");
  if (!node || !window.Chart) { return; }
  var data = JSON.parse(node.textContent);
  var text = data.text;
  var small = window.matchMedia("(max-width: 575.98px)").matches;
  var big = window.matchMedia("(min-width: 1600px)").matches;
  Chart.defaults.font.size = small ? 11 : (big ? 16 : 13);
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.position = "bottom";
  var nf = new Intl.NumberFormat("vi-VN");
  var pf = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });
  var blue = "#0d47a1", green = "#2e7d32", red = "#c62828", grey = "#9e9e9e", amber = "#f9a825";
  function pct(v) { return v === null || v === undefined ? "—" : pf.format(v) + " %"; }
  function tooltip(kind) {
    return { callbacks: { label: function (ctx) {
      var v = ctx.parsed.y !== undefined ? ctx.parsed.y : ctx.parsed;
      if (ctx.dataset.yAxisID === "rate" || kind === "pct") { return ctx.dataset.label + ": " + pct(v); }
      return ctx.dataset.label + ": " + nf.format(v);
    } } };
  }
  function el(id) { return document.getElementById(id); }

  if (el("chart-trend")) {
    var t = data.trend;
    var sets = [
      { type: "bar", label: text.received, data: t.received, backgroundColor: "#90caf9", yAxisID: "count" },
      { type: "bar", label: text.finished, data: t.finished, backgroundColor: blue, yAxisID: "count" },
      { type: "line", label: text.rate, data: t.rate, borderColor: green, backgroundColor: green,
        yAxisID: "rate", tension: 0.2, spanGaps: true, pointRadius: small ? 2 : 3 }
    ];
    if (t.target !== null) {
      sets.push({ type: "line", label: text.target, data: t.labels.map(function () { return t.target; }),
        borderColor: red, borderDash: [6, 4], pointRadius: 0, yAxisID: "rate" });
    }
    new Chart(el("chart-trend"), {
      data: { labels: t.labels, datasets: sets },
      options: { interaction: { mode: "index", intersect: false }, plugins: { tooltip: tooltip() },
        scales: { count: { position: "left", beginAtZero: true, ticks: { callback: function (v) { return nf.format(v); } } },
                  rate: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false },
                          ticks: { callback: function (v) { return v + " %"; } } },
                  x: { ticks: { maxRotation: 0, autoSkip: true } } } }
    });
  }
  if (el("chart-channels")) {
    new Chart(el("chart-channels"), {
      type: "doughnut",
      data: { labels: data.channels.labels, datasets: [{ data: data.channels.values, backgroundColor: [blue, green, amber] }] },
      options: { plugins: { tooltip: { callbacks: { label: function (ctx) { return ctx.label + ": " + nf.format(ctx.parsed); } } } } }
    });
  }
  function rateBars(id, block, horizontal) {
    if (!el(id)) { return; }
    new Chart(el(id), {
      type: "bar",
      data: { labels: block.labels, datasets: [{ label: text.rate, data: block.rate,
        backgroundColor: block.rate.map(function (v) { return v !== null && v < 95 ? red : green; }) }] },
      options: { indexAxis: horizontal ? "y" : "x", plugins: { legend: { display: false }, tooltip: tooltip("pct") },
        scales: horizontal ? { x: { min: 0, max: 100, ticks: { callback: function (v) { return v + " %"; } } } }
                           : { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + " %"; } } } } }
    });
  }
  rateBars("chart-levels", data.levels, false);
  if (el("chart-fields")) {
    new Chart(el("chart-fields"), {
      type: "bar",
      data: { labels: data.fields.labels.map(function (s) { return s.length > 40 ? s.slice(0, 38) + "…" : s; }),
              datasets: [{ label: text.received, data: data.fields.received, backgroundColor: blue }] },
      options: { indexAxis: "y", plugins: { legend: { display: false }, tooltip: tooltip() },
                 scales: { x: { beginAtZero: true, ticks: { callback: function (v) { return nf.format(v); } } } } }
    });
  }
})();
