// pancyst web app: focus evidence spans, and recompute the category as a reviewer edits.
// Report text never passes through here as HTML: the server escapes it and the CSP allows no inline script.
"use strict";

function focusEvidence(key) {
  const marks = document.querySelectorAll("mark[data-k]");
  let first = null;
  marks.forEach((m) => {
    const hit = m.dataset.k.split(" ").includes(key);
    m.classList.toggle("focus", hit);
    if (hit && first === null) first = m;
  });
  const note = document.getElementById("preview-note");
  if (first !== null) first.scrollIntoView({ block: "center" });
  else if (note) note.textContent = "No evidence quoted for " + key + ".";
}

async function preview(form) {
  const note = document.getElementById("preview-note");
  const response = await fetch(form.dataset.preview, { method: "POST", body: new FormData(form), credentials: "same-origin" });
  const data = await response.json();
  if (!response.ok) { note.textContent = data.error || "not accepted"; note.classList.add("error"); return; }
  note.classList.remove("error");
  document.getElementById("category").textContent = data.risk_category === null ? "—" : String(data.risk_category);
  const rec = data.recommendation;
  document.getElementById("recommendation").textContent = rec ? rec.action : "—";
  document.getElementById("recommendation-text").textContent = rec ? rec.text : "";
  note.textContent = "Recomputed from the edits (not saved yet).";
  document.querySelectorAll(".lesion-category").forEach((el, i) => {
    const c = data.lesion_categories[i];
    el.textContent = c === undefined ? "—" : String(c);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("button.ev").forEach((b) => b.addEventListener("click", () => focusEvidence(b.dataset.k)));
  const form = document.getElementById("edit");
  if (form && form.dataset.preview) {
    form.addEventListener("change", () => { preview(form).catch(() => {}); });
  }
});
