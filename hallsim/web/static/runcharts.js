/* A run's charts on the scenario page (GET /api/runs/{id}/charts), interactive: the waits
   through the day (all customers, and each service and each counter group where the hall has
   more than one), and the counter staff at work, windows in use and counter queue. */
"use strict";
(function () {
  const t = HS.t;

  function waits(d) {
    const series = [
      { key: "mean", label: t("mean wait"), unit: "min", values: d.mean_wait_min, color: "#1f4e79", dash: null },
      { key: "p90", label: t("p90 wait"), unit: "min", values: d.p90_wait_min, color: "#555555", dash: [6, 3] },
    ];
    Object.keys(d.services).forEach(function (name) {
      series.push({ key: "service:" + name, label: HS.format("wait: {service}", { service: d.names[name] || name }), unit: "min",
        values: d.services[name], show: false });     // switched on one by one: a dozen lines hide each other
    });
    Object.keys(d.groups).forEach(function (name) {
      series.push({ key: "group:" + name, label: HS.format("wait at {group} windows", { group: d.names[name] || name }), unit: "min", values: d.groups[name] });
    });
    return series;
  }

  async function show(job) {
    const host = document.getElementById("run-charts");
    if (!host) return;
    const r = await HS.api("GET", "/api/runs/" + job.id + "/charts");
    if (!r.ok) { host.hidden = true; return; }
    const d = r.data, common = { minutes: d.starts, ends: d.ends };
    host.hidden = false;
    HSCharts.make(document.getElementById("waits-chart"), Object.assign({ id: "waits",
      title: HS.format("Waits through the day, by arrival time (mean of {days} days)", { days: d.days }),
      axes: { y: t("minutes") }, series: waits(d) }, common));
    HSCharts.make(document.getElementById("staff-chart"), Object.assign({ id: "staff",
      title: HS.format("Counter staff, busy windows and the counter queue (mean of {days} days)", { days: d.days }),
      axes: { y: t("people") }, series: [
        { key: "staff", label: t("counter staff at work"), unit: "people", values: d.staff_counter, color: "#1f4e79", dash: null },
        { key: "busy", label: t("busy windows"), unit: "people", values: d.busy_windows, color: "#2e7d32", dash: [6, 3] },
        { key: "queue", label: t("counter queue"), unit: "people", values: d.queue_counter, color: "#b22222", dash: [2, 3] }] }, common));
  }

  document.addEventListener("hallsim:results", function (event) { show(event.detail); });
})();
