// Implements web/console_style.hpp.
#include "web/console_style.hpp"

namespace cobrador::web {

std::string_view console_css() {
  return R"css(:root{--ink:#1b1f24;--muted:#5b6470;--line:#d7dce2;--paper:#fff;--band:#f4f6f8;--accent:#0b5cad;--bad:#b3261e;--good:#1e7b34;--warn:#a15c00}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--band)}
a{color:var(--accent)}
a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #ffbf47;outline-offset:1px}
header.top{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:.6rem 1rem;background:#102a43;color:#fff}
header.top a{color:#fff;text-decoration:none;padding:.2rem .1rem}
header.top a[aria-current=page]{border-bottom:3px solid #ffbf47}
header.top .who{margin-left:auto;font-size:.9em;opacity:.9}
header.top form{display:inline}
.skip{position:absolute;left:-999px}.skip:focus{left:.5rem;top:.5rem;background:#fff;color:#000;padding:.3rem;z-index:2}
main{max-width:1200px;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.2rem 0 1rem}
h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
section.card{background:var(--paper);border:1px solid var(--line);border-radius:6px;padding:.8rem 1rem;margin:0 0 1rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:1rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:.9em}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.figure{font-size:1.8rem;font-weight:600}
.muted{color:var(--muted)}
.notice{padding:.6rem .8rem;border-radius:4px;margin:0 0 1rem;background:#e8f1fb;border:1px solid #b6d2f0}
.notice.bad{background:#fdecea;border-color:#f2b8b5}
button,input[type=submit]{font:inherit;padding:.35rem .8rem;border:1px solid var(--accent);background:var(--accent);color:#fff;border-radius:4px;cursor:pointer}
button.quiet{background:transparent;color:#fff;border-color:#fff}
input[type=text],input[type=password],input[type=search],select,textarea{font:inherit;padding:.35rem .5rem;border:1px solid var(--line);border-radius:4px;max-width:100%}
label{display:block;margin:.4rem 0 .2rem}
form.signin{max-width:420px;margin:3rem auto}
svg.chart{width:100%;height:auto;display:block}
svg.chart text{font-size:11px;fill:var(--muted)}
.legend{display:flex;flex-wrap:wrap;gap:.2rem 1rem;font-size:.9em}
@media (max-width:640px){main{padding:.5rem}th,td{padding:.3rem}.figure{font-size:1.4rem}header.top .who{margin-left:0}}
@media print{header.top{display:none}}
)css";
}

}  // namespace cobrador::web
