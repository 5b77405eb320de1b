/* The task statistics chart: on time, late and overdue per unit, from the table's own figures
   (the JSON block #stats-chart-data the page renders beside its table). */
(function () {
  "use strict";
  var source = document.getElementById("stats-chart-data");
  var canvas = document.getElementById("stats-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#198754", "#fd7e14", "#dc3545"];
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [data.on_time, data.late, data.overdue].map(function (values, i) {
        return {label: data.series[i], data: values, backgroundColor: colours[i]};
      })
    },
    options: {
      maintainAspectRatio: false,
      scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true, ticks: {precision: 0}}}
    }
  });
})();
