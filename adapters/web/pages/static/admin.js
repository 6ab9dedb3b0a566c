// Admin pages: tick a whole dataset group; follow a running evaluation until its report is ready.
(() => {
  "use strict";

  for (const button of document.querySelectorAll(".select-group")) {
    button.addEventListener("click", () => {
      const boxes = document.querySelectorAll(`.dataset-group[data-group="${button.dataset.group}"] input[type=checkbox]`);
      const tick = [...boxes].some((box) => !box.checked);
      for (const box of boxes) box.checked = tick;
      button.textContent = tick ? "untick all" : "tick all";
    });
  }

  const run = document.getElementById("eval-run");
  if (!run || run.dataset.status !== "running") return;
  const state = document.getElementById("run-state");
  const progress = document.getElementById("run-progress");

  const poll = async () => {
    let status;
    try {
      const response = await fetch(run.dataset.statusUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`status ${response.status}`);
      status = await response.json();
    } catch (error) {
      state.textContent = `Could not check the run (${error.message}); trying again…`;
      setTimeout(poll, 4000);
      return;
    }
    if (status.status !== "running") {
      window.location.reload();
      return;
    }
    if (status.total) {
      progress.max = status.total;
      progress.value = status.done;
      state.textContent = `Running: ${status.done} of ${status.total} cases done, ${status.passed} passed.`;
    }
    setTimeout(poll, 2000);
  };
  setTimeout(poll, 1000);
})();
