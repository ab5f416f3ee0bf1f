// Every back-office page: sign-out ends the session on the server, and an office PC left
// alone signs out after the venue's idle time, as every other screen does.
import { signOut, signinUrl, startIdleSignout } from "../session.js";

document.querySelector("[data-sign-out]")?.addEventListener("click", async () => {
  await signOut().catch(() => {});
  location.assign(signinUrl("/office"));
});
startIdleSignout();
