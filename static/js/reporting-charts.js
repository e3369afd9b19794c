// Draws each <canvas data-chart="ID"> from the JSON in <script id="ID" type="application/json">. The same
// figures are always in a table on the page, so nothing is lost without this file or without colour.
(function () {
  "use strict";

  var COLOURS = ["#1d70b8", "#f47738", "#00703c", "#912b88", "#505a5f"];

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var datasets = spec.datasets.map(function (dataset, index) {
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: COLOURS[index % COLOURS.length],
      };
    });
    // A horizontal chart puts the (long, wrapped) labels on the y axis, where they have room; its values run
    // along x, up to spec.max (100 for percentages).
    var values = { stacked: !!spec.stacked, beginAtZero: true };
    if (spec.max !== undefined) {
      values.max = spec.max;
    }
    var categories = { stacked: !!spec.stacked, ticks: { autoSkip: false } };
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: !spec.horizontal,
        indexAxis: spec.horizontal ? "y" : "x",
        scales: spec.horizontal ? { x: values, y: categories } : { x: categories, y: values },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
