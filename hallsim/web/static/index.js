/* The start page: open an exercise room and go to the trainer's screen. */
"use strict";
document.getElementById("open-room").addEventListener("submit", async function (event) {
  event.preventDefault();
  const challenge = document.getElementById("challenge").value;
  const reps = Number(document.getElementById("room-reps").value) || 10;
  const r = await HS.api("POST", "/api/rooms", { challenge: challenge, reps: reps,
    hide_until_reveal: document.getElementById("room-hide").checked });
  const out = document.getElementById("room-opened");
  out.hidden = false;
  if (!r.ok) { out.textContent = JSON.stringify(r.data); return; }
  out.textContent = HS.t("Room opened") + ": " + r.data.room;
  location.href = HS.pageLink("/rooms/" + r.data.room + "/trainer") + "#" + encodeURIComponent(r.data.trainer_token);
});
