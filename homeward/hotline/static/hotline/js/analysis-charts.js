// The analysis charts: every <canvas data-chart> gets a Chart.js chart from
// the JSON its data-source names. The numbers are already suppressed by the
// server: a hidden count ("<k") arrives as null and is drawn as no bar; the
// table after each chart has every value, "<k" included.
(function () {
  "use strict";

  var BLUE = "#0b5cad";
  var GREY = "#9aa3ad";
  var PHASE_COLOURS = { before: GREY, during: "#b3412a", after: BLUE };

  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function config(kind, data, canvas) {
    var label = canvas.getAttribute("data-series-label") || "";
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: kind === "ranking" } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    };
    if (kind === "line") {
      return {
        type: "line",
        data: { labels: data.labels, datasets: [{
          label: label, data: data.values, borderColor: BLUE, backgroundColor: BLUE,
          spanGaps: false, tension: 0.2,
        }] },
        options: options,
      };
    }
    if (kind === "ranking") {
      options.indexAxis = "y";
      options.scales = { x: { beginAtZero: true, ticks: { precision: 0 } } };
      return {
        type: "bar",
        data: { labels: data.labels, datasets: [
          { label: label, data: data.values, backgroundColor: BLUE },
          { label: canvas.getAttribute("data-previous-label") || "", data: data.previous,
            backgroundColor: GREY },
        ] },
        options: options,
      };
    }
    if (kind === "campaign") {
      return {
        type: "bar",
        data: { labels: data.labels, datasets: [{
          label: label, data: data.values,
          backgroundColor: data.phases.map(function (phase) { return PHASE_COLOURS[phase]; }),
        }] },
        options: options,
      };
    }
    return {
      type: "bar",
      data: { labels: data.labels, datasets: [{
        label: label, data: data.values, backgroundColor: BLUE,
      }] },
      options: options,
    };
  }

  function start() {
    if (!window.Chart) { return; }
    var canvases = document.querySelectorAll("canvas[data-chart]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var data = read(canvas.getAttribute("data-source"));
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
