// Hand edits of the roster (issue 21): pick a child or staff member, move or remove them; the server's
// independent checker answers with every rule broken and the new weekly cost. Undo, keep, replan.
(function () {
  "use strict";
  const panel = document.getElementById("edit");
  if (!panel) return;
  const id = panel.dataset.job;
  const $ = (name) => document.getElementById(name);
  let selected = null;  // the picked chip
  let pending = null;   // {body, chip, home} of the edit shown but not kept

  function cellOf(group, dagdeel) {
    return document.querySelector('td[data-group="' + CSS.escape(group) + '"][data-dagdeel="' + CSS.escape(dagdeel) + '"]');
  }
  function pick(chip) {
    if (pending) return;  // first undo or keep the edit on screen
    document.querySelectorAll(".pick.selected").forEach((el) => el.classList.remove("selected"));
    selected = chip;
    chip.classList.add("selected");
    const d = chip.dataset;
    $("edit-selected").textContent = (d.role === "child" ? "jeugdige " : "medewerker ") + d.person +
      " in " + d.group + " op " + d.dagdeel;
    $("edit-group").value = d.group;
    $("edit-dagdeel").value = d.dagdeel;
    $("edit-move").disabled = false;
    $("edit-remove").disabled = false;
  }
  document.querySelectorAll(".pick").forEach((chip) => {
    chip.addEventListener("click", () => pick(chip));
    chip.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(chip); } });
  });

  async function post(path, body) {
    const response = await fetch("/api/jobs/" + id + path, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: body ? JSON.stringify(body) : null });
    const answer = await response.json();
    if (!response.ok) {
      const detail = typeof answer.detail === "string" ? answer.detail : "ongeldige wijziging";
      throw new Error(detail);
    }
    return answer;
  }
  function showError(message) {
    $("edit-error").textContent = message;
    $("edit-error").hidden = !message;
  }
  function show(answer) {
    $("edit-result").hidden = false;
    $("edit-cost").textContent = answer.cost_text;
    $("edit-cost-before").textContent = new Intl.NumberFormat("nl-NL", { style: "currency", currency: "EUR" })
      .format(answer.cost_before);
    const list = $("edit-violations");
    list.replaceChildren();
    answer.lines.forEach((line) => { const li = document.createElement("li"); li.textContent = line; list.appendChild(li); });
    $("edit-ok").hidden = answer.violations.length > 0;
  }
  function place(chip, cell) {
    if (!cell) { chip.hidden = true; return; }
    if (chip.dataset.role === "staff") {
      let staff = cell.querySelector(".staff");
      if (!staff) { staff = document.createElement("div"); staff.className = "staff"; cell.appendChild(staff); }
      staff.appendChild(chip);
    } else {
      cell.insertBefore(chip, cell.querySelector(".staff"));
    }
    chip.hidden = false;
  }
  async function edit(remove) {
    if (!selected) return;
    const d = selected.dataset;
    const body = { person_id: d.person, role: d.role, from_group: d.group, from_dagdeel: d.dagdeel, remove: remove };
    if (!remove) { body.to_group = $("edit-group").value; body.to_dagdeel = $("edit-dagdeel").value; }
    try {
      const answer = await post("/edit", body);
      showError("");
      pending = { body: body, chip: selected, home: selected.parentElement };
      place(selected, remove ? null : cellOf(body.to_group, body.to_dagdeel));
      selected.classList.add("moved");
      $("edit-move").disabled = true;
      $("edit-remove").disabled = true;
      show(answer);
      $("edit-result").scrollIntoView({ block: "nearest" });
    } catch (e) { showError(e.message); }
  }
  $("edit-form").addEventListener("submit", (e) => { e.preventDefault(); edit(false); });
  $("edit-remove").addEventListener("click", () => edit(true));
  $("edit-undo").addEventListener("click", () => {
    if (!pending) return;
    pending.home.appendChild(pending.chip);
    if (pending.chip.dataset.role === "child") pending.home.insertBefore(pending.chip, pending.home.querySelector(".staff"));
    pending.chip.hidden = false;
    pending.chip.classList.remove("moved", "selected");
    pending = null;
    selected = null;
    $("edit-result").hidden = true;
    $("edit-selected").textContent = "niemand";
  });
  $("edit-keep").addEventListener("click", async () => {
    if (!pending) return;
    try {
      await post("/edit", Object.assign({}, pending.body, { keep: true }));
      window.location.reload();
    } catch (e) { showError(e.message); }
  });
  $("edit-undo-kept").addEventListener("click", async () => {
    try { await post("/edit/undo", null); window.location.reload(); } catch (e) { showError(e.message); }
  });
  panel.dataset.ready = "1";  // the handlers are in place (the browser test waits for this)
})();
