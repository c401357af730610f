# dl-course: every target sets up .venv first when it is missing or out of date.
#   make lab        start the course in JupyterLab
#   make classroom  a JupyterHub classroom on localhost (instructor + demo students; Ctrl-C stops)
#   make test       run every test (what CI runs)
#   make release    regenerate course/ from solutions/ with nbgrader
#   make autograde WEEK=02_convolution [SUBMISSIONS=dir]
#   make feedback WEEK=02_convolution
#   make grades [FORMAT=canvas|moodle]
#   make report [WEEK=02_convolution]   the instructor's report (all weeks without WEEK)
#   make bench      run each solution notebook; time and peak memory table (README)
#   make lint       ruff

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: lab classroom test system-deps release check-release autograde feedback grades report bench lint clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

lab: $(STAMP)
	$(BIN)/dlcourse lab

# configurable-http-proxy, the hub's proxy, from npm into the git-ignored .node/
CHP := .node/node_modules/.bin/configurable-http-proxy
$(CHP):
	npm install --prefix .node --no-audit --no-fund configurable-http-proxy@5.3.0

classroom: $(STAMP) $(CHP)
	$(BIN)/dlcourse classroom $(CLASSROOM_ARGS)

system-deps:
	@scripts/install-system-deps.sh

test: $(STAMP) system-deps
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(CHP); \
	else echo "note: npm missing; the classroom tests will skip"; fi
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

release: $(STAMP)
	$(BIN)/dlcourse release

check-release: $(STAMP)
	$(BIN)/dlcourse release --check

autograde: $(STAMP)
	$(BIN)/dlcourse autograde $(WEEK) $(if $(SUBMISSIONS),--submissions $(SUBMISSIONS))

feedback: $(STAMP)
	$(BIN)/dlcourse feedback $(WEEK)

grades: $(STAMP)
	$(BIN)/dlcourse grades $(if $(FORMAT),--format $(FORMAT))

report: $(STAMP)
	$(BIN)/dlcourse report $(WEEK)

# cohorts graded for the README's scaling table: WEEK:SUBMISSIONS:MODES (see dlcourse bench -h)
COHORTS ?= 03_cnn_mnist:8:jobs1,jobs2,dask1,dask2 02_convolution:6:nbgrader,jobs1,jobs2
bench: $(STAMP)
	$(BIN)/dlcourse bench --update-readme $(foreach c,$(COHORTS),--cohort $(c))

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
