// Exam attempt: a countdown to the deadline, a warning in the last minute, and the answers sent
// by themselves when time runs out. The server's clock decides: the page carries the deadline
// and the server's "now" (ISO); the difference between the two clocks is measured when the page
// arrived, so a wrong clock on this computer does not shift the countdown. Without JavaScript
// the countdown stays hidden and the page says «сдать до HH:MM».
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("countdown");
  const form = document.getElementById("paper");
  if (!box || !form) return;
  const deadline = Date.parse(box.dataset.deadline);
  const serverNow = Date.parse(box.dataset.now);
  if (Number.isNaN(deadline) || Number.isNaN(serverNow)) return;
  // This computer's clock when the server's response arrived (navigation timing), else now.
  const nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  const arrived = nav && nav.responseStart > 0 ? performance.timeOrigin + nav.responseStart : Date.now();
  const skew = serverNow - arrived;
  const left = box.querySelector("[data-left]");
  const badge = box.querySelector(".badge");
  const note = box.querySelector("[data-warning]");
  let warned = false;
  let timer = null;

  const format = (ms) => {
    const total = Math.max(0, Math.ceil(ms / 1000));
    const two = (n) => String(n).padStart(2, "0");
    const hours = Math.floor(total / 3600);
    const clock = `${two(Math.floor((total % 3600) / 60))}:${two(total % 60)}`;
    return hours ? `${hours}:${clock}` : clock;
  };
  const finish = (text) => {
    clearInterval(timer);
    badge.classList.remove("warn");
    badge.classList.add("off");
    badge.textContent = "Время\u00a0вышло";
    note.textContent = text;
  };
  const tick = () => {
    if (document.querySelector("#save-state [data-closed]")) {
      // The server already closed the attempt (its message says why): nothing left to send.
      finish("");
      return;
    }
    const remaining = deadline - (Date.now() + skew);
    if (remaining <= 0) {
      finish("Отправляем ответы…");
      HTMLFormElement.prototype.submit.call(form); // no confirm(), no htmx: the plain form post
      return;
    }
    left.textContent = format(remaining);
    if (remaining <= 60000 && !warned) {
      warned = true;
      badge.classList.add("warn");
      note.textContent = "Меньше минуты — затем ответы отправятся автоматически.";
    }
  };
  box.hidden = false;
  timer = setInterval(tick, 250);
  tick();
});
