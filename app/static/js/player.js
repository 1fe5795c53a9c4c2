// Call page: click a word or a time to seek; the word being spoken is highlighted.
document.addEventListener("DOMContentLoaded", () => {
  const player = document.getElementById("player");
  if (!player) return;
  const words = Array.from(document.querySelectorAll(".transcript .w"));
  const starts = words.map((w) => parseFloat(w.dataset.start));
  document.addEventListener("click", (event) => {
    const target = event.target.closest("[data-seek], .transcript .w, svg.timeline rect[data-start]");
    if (!target) return;
    player.currentTime = parseFloat(target.dataset.seek ?? target.dataset.start);
    player.play();
  });
  let current = null;
  player.addEventListener("timeupdate", () => {
    const t = player.currentTime;
    let lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    const word = found >= 0 && t <= parseFloat(words[found].dataset.end) + 0.3 ? words[found] : null;
    if (word === current) return;
    current?.classList.remove("now");
    word?.classList.add("now");
    current = word;
  });
});
