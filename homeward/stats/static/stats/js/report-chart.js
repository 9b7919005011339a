// The report chart: the <canvas data-source> gets a Chart.js bar chart from
// the JSON element it names ({kind, labels, series: [{label, values}]}).
// The figures are already published by the server: a hidden count ("<k")
// arrives as null and is drawn as no bar; the table after the chart shows
// every figure, "<k" included. "stacked": one segment per column.
(function () {
  "use strict";

  var COLOURS = [
    "#0b5cad", "#b3412a", "#1f6f3a", "#8a5a00", "#6b3fa0", "#00707a",
    "#a3192b", "#4d6b8a", "#9c6b00", "#2f4f4f", "#c2185b", "#5d7b2f",
  ];
  var OTHER = "#9aa3ad";

  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function config(data) {
    var stacked = data.kind === "stacked" && data.series.length > 1;
    var horizontal = data.labels.length > 8;
    var valueAxis = { beginAtZero: true, stacked: stacked, ticks: { precision: 0 } };
    var categoryAxis = { stacked: stacked, ticks: { autoSkip: false } };
    var datasets = data.series.map(function (series, index) {
      return {
        label: series.label,
        data: series.values,
        backgroundColor: index < COLOURS.length ? COLOURS[index] : OTHER,
      };
    });
    return {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { display: stacked, position: "bottom" } },
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
      },
    };
  }

  function start() {
    if (!window.Chart) { return; }
    var canvases = document.querySelectorAll("canvas[data-source]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var data = read(canvas.getAttribute("data-source"));
      if (!data) { return; }
      var chart = new window.Chart(canvas, config(data));
      canvas.setAttribute("data-drawn", chart.id !== undefined ? "yes" : "no");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
