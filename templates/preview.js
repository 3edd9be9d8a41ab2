// selfeval serve: keep the open page current. Server-sent events say when anything changed;
// the page then fetches what it shows and replaces it in place (no reload, no navigation).
"use strict";
window.selfevalLoadedAt = Date.now();
(function () {
  const page = document.body.dataset.page;
  const live = document.getElementById("live");
  let version = document.body.dataset.version ? Number(document.body.dataset.version) : null;

  async function refreshIndex() {
    const response = await fetch("/fragment/index", { cache: "no-store" });
    document.getElementById("rows").innerHTML = await response.text();
  }

  async function refreshForm() {
    const id = document.body.dataset.id;
    const response = await fetch(`/api/form/${id}.json`, { cache: "no-store" });
    if (!response.ok) { return; }
    const form = await response.json();
    document.getElementById("project").textContent = form.project;
    document.getElementById("total").textContent = form.total || "—";
    document.getElementById("grade").textContent = form.grade || "—";
    const frame = document.getElementById("form");
    const source = `/render/${id}.html?v=${form.version}`;
    if (frame.getAttribute("src") !== source) { frame.setAttribute("src", source); }
    const panel = await fetch(`/fragment/form/${id}`, { cache: "no-store" });
    document.getElementById("diagnostics").innerHTML = await panel.text();
  }

  function connect() {
    const events = new EventSource("/events");
    events.onopen = () => { live.classList.remove("off"); live.textContent = live.dataset.live; };
    events.onerror = () => { live.classList.add("off"); live.textContent = live.dataset.lost; };
    events.onmessage = async (message) => {
      const next = JSON.parse(message.data).version;
      if (version === null) { version = next; return; }
      if (next === version) { return; }
      version = next;
      if (page === "index") { await refreshIndex(); }
      else if (page === "form") { await refreshForm(); }
      else if (page === "changes") { location.reload(); }
      document.body.dataset.version = String(version);
    };
  }
  connect();
})();
