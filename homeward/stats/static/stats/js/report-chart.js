// The report chart: the <canvas data-source> gets a Chart.js bar chart from
// the JSON element it names ({kind, labels, series: [{label, values}],
// totals?: [row total | null]}).
// The figures are already published by the server: a hidden count ("<k")
// arrives as null. The chart draws only what the table publishes:
// - a row whose figures are all hidden (or zero) is left out of the chart;
// - in a stacked chart, the part of a published row total that falls in
//   hidden cells (total minus the shown cells: itself a published figure's
//   difference) is one grey segment, labelled by the canvas's
//   data-hidden-label;
// - past 11 columns, the smaller columns are drawn together as one segment
//   (data-other-label).
// The table after the chart shows every figure, "<k" included.
(function () {
  "use strict";

  var COLOURS = [
    "#0b5cad", "#b3412a", "#1f6f3a", "#8a5a00", "#6b3fa0", "#00707a",
    "#a3192b", "#4d6b8a", "#9c6b00", "#2f4f4f", "#c2185b",
  ];
  var OTHER = "#6f7b88";
  var HIDDEN = "#c9d0d8";
  var MAX_SERIES = COLOURS.length;

  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function sum(values) {
    return values.reduce(function (a, b) { return a + (b || 0); }, 0);
  }

  // The chart's series after grouping the columns past MAX_SERIES.
  function grouped(series, otherLabel) {
    if (series.length <= MAX_SERIES) { return series; }
    var ranked = series.slice().sort(function (a, b) { return sum(b.values) - sum(a.values); });
    var kept = ranked.slice(0, MAX_SERIES - 1);
    var rest = ranked.slice(MAX_SERIES - 1);
    var values = rest[0].values.map(function (_, row) {
      var shown = rest.map(function (s) { return s.values[row]; }).filter(function (v) { return v !== null; });
      return shown.length ? sum(shown) : null;
    });
    // Keep the server's column order for the ones drawn on their own.
    kept.sort(function (a, b) { return series.indexOf(a) - series.indexOf(b); });
    return kept.concat([{ label: otherLabel, values: values, other: true }]);
  }

  function prepare(data, canvas) {
    var stacked = data.kind === "stacked" && data.series.length > 1;
    var totals = data.totals || null;
    var series = stacked
      ? grouped(data.series, canvas.getAttribute("data-other-label") || "…")
      : data.series;
    var hidden = null;
    if (stacked && totals) {
      hidden = totals.map(function (total, row) {
        if (total === null) { return null; }
        var rest = total - sum(data.series.map(function (s) { return s.values[row]; }));
        return rest > 0 ? rest : null;
      });
      if (hidden.every(function (v) { return v === null; })) { hidden = null; }
    }
    // The rows with something to draw.
    var keep = data.labels.map(function (_, row) {
      var drawn = series.some(function (s) { return s.values[row]; });
      return drawn || Boolean(hidden && hidden[row]);
    });
    function pick(values) { return values.filter(function (_, row) { return keep[row]; }); }
    var datasets = series.map(function (s, index) {
      return {
        label: s.label,
        data: pick(s.values),
        backgroundColor: s.other ? OTHER : COLOURS[index % COLOURS.length],
        maxBarThickness: 64,
      };
    }).filter(function (d) { return d.data.some(function (v) { return v; }); });
    if (hidden) {
      datasets.push({
        label: canvas.getAttribute("data-hidden-label") || "<k",
        data: pick(hidden),
        backgroundColor: HIDDEN,
        maxBarThickness: 64,
      });
    }
    return {
      stacked: stacked,
      labels: pick(data.labels),
      datasets: datasets,
      left: keep.filter(function (k) { return !k; }).length,
      legend: datasets.length > 1 || Boolean(hidden),
    };
  }

  // Long category names are shortened on the axis (the tooltip and the
  // table keep them whole), so that a narrow screen still shows the bars.
  function shortener(canvas) {
    var room = Math.max(14, Math.floor((canvas.clientWidth || 600) / 18));
    return function (value) {
      var label = String(this.getLabelForValue(value));
      return label.length > room ? label.slice(0, room - 1) + "…" : label;
    };
  }

  function config(prepared, canvas) {
    var stacked = prepared.stacked;
    var horizontal = prepared.labels.length > 8 || window.innerWidth < 600;
    var valueAxis = { beginAtZero: true, stacked: stacked, ticks: { precision: 0 } };
    var categoryAxis = { stacked: stacked, ticks: { autoSkip: false, callback: shortener(canvas) } };
    return {
      type: "bar",
      data: { labels: prepared.labels, datasets: prepared.datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { display: prepared.legend, position: "bottom" } },
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
      },
    };
  }

  // A horizontal chart gets about 1.6rem per bar (plus the axis and legend);
  // an upright one the stylesheet's height.
  function size(canvas, prepared) {
    var box = canvas.parentNode;
    var horizontal = prepared.labels.length > 8 || window.innerWidth < 600;
    box.classList.remove("chart-tall");
    if (!horizontal) { return; }
    var legendRows = prepared.datasets.length > 1 ? Math.ceil(prepared.datasets.length / 3) : 0;
    var rem = Math.max(12, 4 + 1.6 * prepared.labels.length + 1.5 * legendRows);
    box.style.height = rem + "rem";
  }

  function start() {
    if (!window.Chart) { return; }
    var canvases = document.querySelectorAll("canvas[data-source]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var data = read(canvas.getAttribute("data-source"));
      if (!data) { return; }
      var prepared = prepare(data, canvas);
      var note = document.getElementById(canvas.getAttribute("data-left-note") || "");
      if (note) { note.hidden = prepared.left === 0; }
      if (!prepared.labels.length) {
        canvas.parentNode.hidden = true;
        canvas.setAttribute("data-drawn", "empty");
        return;
      }
      size(canvas, prepared);
      var chart = new window.Chart(canvas, config(prepared, canvas));
      canvas.setAttribute("data-drawn", chart.id !== undefined ? "yes" : "no");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
