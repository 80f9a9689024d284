// A capacity run: show its place in the queue or its phase; reload the page when it starts or ends.
(function () {
  "use strict";
  const panel = document.getElementById("capacity-running") || document.getElementById("capacity-queued");
  if (!panel) return;
  const id = panel.dataset.job;
  const queued = panel.id === "capacity-queued";
  async function poll() {
    try {
      const job = await (await fetch("/api/jobs/" + id, { credentials: "same-origin" })).json();
      if (job.state !== (queued ? "queued" : "running")) { window.location.reload(); return; }
      const p = job.progress || {};
      if (queued) document.getElementById("position").textContent = job.queue_position;
      else {
        if (p.phase_nl) document.getElementById("capacity-phase").textContent = p.phase_nl;
        if (p.seconds !== undefined) document.getElementById("capacity-elapsed").textContent = p.seconds + " s";
      }
    } catch (e) { /* try again */ }
    setTimeout(poll, 1000);
  }
  document.getElementById("capacity-cancel").addEventListener("click", async function () {
    this.disabled = true;
    await fetch("/api/jobs/" + id + "/cancel", { method: "POST", credentials: "same-origin" });
    window.location.reload();
  });
  poll();
})();
