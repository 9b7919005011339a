// The occupancy dashboard's charts: every <canvas data-chart> gets a Chart.js
// chart from the part (data-key) of the JSON its data-source names. Counts
// only; the table after each chart has the same numbers.
(function () {
  "use strict";

  var BLUE = "#0b5cad";
  var GREY = "#c9d1da";

  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function options(stacked) {
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: stacked } },
      scales: {
        x: { stacked: stacked },
        y: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } },
      },
    };
  }

  function config(kind, data, canvas) {
    if (kind === "occupancy") {
      return {
        type: "bar",
        data: { labels: data.labels, datasets: [
          { label: canvas.getAttribute("data-used-label") || "", data: data.used,
            backgroundColor: BLUE },
          { label: canvas.getAttribute("data-free-label") || "", data: data.free,
            backgroundColor: GREY },
        ] },
        options: options(true),
      };
    }
    var label = canvas.getAttribute("data-series-label") || "";
    if (kind === "line") {
      return {
        type: "line",
        data: { labels: data.labels, datasets: [{
          label: label, data: data.values, borderColor: BLUE, backgroundColor: BLUE,
          spanGaps: false, tension: 0.2,
        }] },
        options: options(false),
      };
    }
    return {
      type: "bar",
      data: { labels: data.labels, datasets: [{
        label: label, data: data.values, backgroundColor: BLUE,
      }] },
      options: options(false),
    };
  }

  function start() {
    if (!window.Chart) { return; }
    var canvases = document.querySelectorAll("canvas[data-chart]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var all = read(canvas.getAttribute("data-source"));
      var data = all ? all[canvas.getAttribute("data-key")] : null;
      if (!data) { return; }
      var chart = new window.Chart(canvas, config(canvas.getAttribute("data-chart"), data, canvas));
      canvas.setAttribute("data-drawn", chart.id !== undefined ? "yes" : "no");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
