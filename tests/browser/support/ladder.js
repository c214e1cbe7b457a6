// The example policy's ladder on the fixtures ladder-*.csv, played day by day as a running
// daemon would (the console's suspension test and the customer page's test share it): the book
// imported on 1 March 2026, then each day from the 5th to the 9th walked at 09:00 and dispatched
// hourly from 10:00 to 15:00, so that the SMS notices use up their attempts and are given up,
// which settles the suspension's fair warning. Due on Monday 2 March: reminder on Thursday,
// warning on Friday, the suspension (day 5, a Saturday; the policy suspends on no Friday,
// Saturday or Sunday) on Monday 9 March.

// An instant of March 2026 at `hour` UTC on `day` ("05").
const march = (day, hour) => `2026-03-${day}T${String(hour).padStart(2, '0')}:00:00Z`;

export async function playLadder(cobrador) {
  for (const kind of ['customers', 'services', 'invoices'])
    await cobrador.ctl.importCsv(kind, `ladder-${kind}.csv`, { now: march('01', 12) });
  for (const day of ['05', '06', '07', '08', '09']) {
    await cobrador.ctl.ok(['walk'], { now: march(day, 9) });
    for (let hour = 10; hour <= 15; hour++) await cobrador.ctl.ok(['dispatch', '--until-empty'], { now: march(day, hour) });
  }
}
