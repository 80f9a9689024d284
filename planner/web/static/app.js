// The empty-workbook link follows the chosen region model.
(function () {
  "use strict";
  const model = document.getElementById("model");
  const link = document.getElementById("template-link");
  if (!model || !link) return;
  model.addEventListener("change", function () {
    link.href = "/sjabloon?model=" + encodeURIComponent(model.value);
  });
})();

// Live progress of a running plan: poll the JSON API, show phase, best cost, bound and gap.
(function () {
  "use strict";
  const panel = document.getElementById("running");
  if (!panel) return;
  const id = panel.dataset.job;
  const phases = { plaatsing: "kinderen plaatsen", kosten: "kosten verlagen", verbeteren: "rooster verbeteren",
                   wensen: "wensen (continuïteit)" };
  const set = (el, text) => { document.getElementById(el).textContent = text; };
  const started = Date.now();
  async function poll() {
    let job;
    try {
      const response = await fetch("/api/jobs/" + id, { credentials: "same-origin" });
      job = await response.json();
    } catch (e) {
      setTimeout(poll, 1000);
      return;
    }
    const p = job.progress || {};
    set("elapsed", Math.round((Date.now() - started) / 1000) + " s");
    if (p.phase) {
      set("phase", phases[p.phase] || p.phase);
      if (p.phase === "plaatsing") {
        set("best", Math.round(p.objective) + " dagdelen geplaatst");
        set("bound", "hoogstens " + Math.floor(p.bound));
      } else {
        set("best", (p.objective_text || "–") + " per week");
        set("bound", p.bound_text || "–");
      }
      set("gap", p.gap_text || "–");
      const order = ["plaatsing", "kosten", "verbeteren", "wensen"];
      document.getElementById("bar-fill").style.width = (25 * (order.indexOf(p.phase) + 1)) + "%";
    }
    if (["done", "cancelled", "failed"].includes(job.state)) {
      window.location.href = "/opdrachten/" + id;
      return;
    }
    setTimeout(poll, 500);
  }
  document.getElementById("cancel").addEventListener("click", async function () {
    this.disabled = true;
    this.textContent = "Stoppen …";
    await fetch("/api/jobs/" + id + "/cancel", { method: "POST", credentials: "same-origin" });
  });
  poll();
})();

// A queued job: show its place, reload when it starts; it can be taken out of the queue.
(function () {
  "use strict";
  const panel = document.getElementById("queued");
  if (!panel) return;
  const id = panel.dataset.job;
  async function poll() {
    try {
      const job = await (await fetch("/api/jobs/" + id, { credentials: "same-origin" })).json();
      if (job.state !== "queued") { window.location.reload(); return; }
      document.getElementById("position").textContent = job.queue_position;
    } catch (e) { /* try again */ }
    setTimeout(poll, 1000);
  }
  document.getElementById("cancel-queued").addEventListener("click", async function () {
    this.disabled = true;
    await fetch("/api/jobs/" + id + "/cancel", { method: "POST", credentials: "same-origin" });
    window.location.reload();
  });
  poll();
})();

// Deleting a job asks first: it removes the upload and every report file.
(function () {
  "use strict";
  const form = document.getElementById("delete-form");
  if (!form) return;
  form.addEventListener("submit", function (event) {
    if (!window.confirm("De werkmap en alle rapporten van deze opdracht verwijderen?")) event.preventDefault();
  });
})();
