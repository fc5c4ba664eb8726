#!/usr/bin/env bash
# GLPK on the larger OR-Library instances (400 to 800; orlib.sh covers the
# flow solver on all eight and GLPK on 100 to 300), so that both solvers are
# shown to reach every published optimum.  Slow: GLPK needs tens of seconds on
# assign800, hence the label.
set -euo pipefail
MM_ORLIB_SOLVERS=glpk-large exec bash "$(dirname "$0")/orlib.sh"
